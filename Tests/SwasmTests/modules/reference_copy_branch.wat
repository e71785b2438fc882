;; A reference moved by the copy fused into an `if`'s branch (copy_br_i32_eqz): its cached code must pass verification.
(module
  (func $pick (param externref i32) (result externref)
    local.get 0
    local.get 1
    if (param externref) (result externref)
      drop
      ref.null extern
    end)
  (func (export "main") (result i32)
    (ref.is_null (call $pick (ref.null extern) (i32.const 0)))))

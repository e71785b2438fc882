;; Uses one post-MVP feature per export: an engine configured without it must refuse the module.
(module
  (memory 1)
  (func (export "sign") (param i32) (result i32) (i32.extend8_s (local.get 0)))
  (func (export "fill") (memory.fill (i32.const 0) (i32.const 1) (i32.const 4)))
  (func (export "pair") (result i32 i32) (i32.const 1) (i32.const 2)))

;; A WASI-style reactor: no _start; `_initialize` must run before any other export.
(module
  (global $ready (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $ready (i32.const 42)))
  (func (export "get") (result i32) (global.get $ready)))

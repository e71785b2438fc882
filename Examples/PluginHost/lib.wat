;; The shared library: helpers for plugins, with a call counter they all update.
(module
  (global $calls (mut i32) (i32.const 0))
  (func (export "mul") (param i32 i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.mul (local.get 0) (local.get 1)))
  (func (export "calls") (result i32) (global.get $calls)))

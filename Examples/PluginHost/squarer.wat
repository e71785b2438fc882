(module
  (import "lib" "mul" (func $mul (param i32 i32) (result i32)))
  (import "host" "log" (func $log (param i32 i32)))
  (func (export "run") (param i32) (result i32)
    (call $log (i32.const 2) (local.get 0))
    (call $mul (local.get 0) (local.get 0))))

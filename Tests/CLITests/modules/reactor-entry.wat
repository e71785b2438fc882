;; A WASI reactor run as a program (`swasm run --entry main`): `_initialize` sets a global, `main` returns it plus
;; the number of command-line arguments as the exit status; `twice` has a parameter (no valid entry).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (memory 1)
  (global $base (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $base (i32.const 40)))
  (func (export "main") (result i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (i32.add (global.get $base) (i32.load (i32.const 0))))
  (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))

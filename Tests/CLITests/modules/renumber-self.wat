;; fd_renumber of a descriptor onto itself changes nothing: the write to stdout after it must still work.
(module
  (import "wasi_snapshot_preview1" "fd_renumber" (func $renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "still open\n")
  (func (export "_start")
    ;; iovec at 0: base 16, length 11
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 11))
    (if (call $renumber (i32.const 1) (i32.const 1)) (then (call $exit (i32.const 3))))
    (if (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)) (then (call $exit (i32.const 4))))))

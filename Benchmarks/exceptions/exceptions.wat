;; The cost of exception handling (Benchmarks/run.py exceptions). One module, three workloads chosen by the first
;; argument's first letter, each printing a checksum:
;;   plain  30 million calls of a small function in a loop;
;;   try    the same loop with each call inside a try_table (nothing is ever thrown): with handlers that cost
;;          nothing until something is thrown, as fast as `plain`;
;;   unwind one million exceptions, each thrown ten frames deep and caught where the loop is.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $found (param i32))

  ;; A xorshift step: the work each iteration calls.
  (func $step (param $x i64) (result i64)
    (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
    (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
    (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))

  (func $plain (param $n i32) (result i64)
    (local $x i64) (local $sum i64)
    (local.set $x (i64.const 88172645463325252))
    (loop $next
      (local.set $x (call $step (local.get $x)))
      (local.set $sum (i64.add (local.get $sum) (i64.and (local.get $x) (i64.const 1023))))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))

  (func $try (param $n i32) (result i64)
    (local $x i64) (local $sum i64)
    (local.set $x (i64.const 88172645463325252))
    (loop $next
      (block $caught
        (try_table (catch_all $caught)
          (local.set $x (call $step (local.get $x)))))
      (local.set $sum (i64.add (local.get $sum) (i64.and (local.get $x) (i64.const 1023))))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))

  ;; Recurses `depth` frames, then throws `value`.
  (func $dive (param $depth i32) (param $value i32) (result i32)
    (if (i32.eqz (local.get $depth)) (then (throw $found (local.get $value))))
    (i32.add (call $dive (i32.sub (local.get $depth) (i32.const 1)) (local.get $value)) (i32.const 1)))

  (func $unwind (param $n i32) (result i64)
    (local $sum i64)
    (loop $next
      (block $caught (result i32)
        (try_table (catch $found $caught)
          (drop (call $dive (i32.const 10) (local.get $n))))
        (unreachable))
      (local.set $sum (i64.add (i64.extend_i32_u) (local.get $sum)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))

  ;; Writes `value` in decimal and a newline to stdout (the buffer ends at byte 100, the iovec is at 0).
  (func $print (param $value i64)
    (local $p i32)
    (local.set $p (i32.const 100))
    (i32.store8 (i32.const 100) (i32.const 10))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.wrap_i64 (i64.add (i64.rem_u (local.get $value) (i64.const 10)) (i64.const 48))))
      (br_if $digit (i64.ne (local.tee $value (i64.div_u (local.get $value) (i64.const 10))) (i64.const 0))))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 101) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; The first letter of argv[1] (0 without one): argv's pointers at 200, its strings from 1024.
  (func $mode (result i32)
    (drop (call $args_sizes_get (i32.const 104) (i32.const 108)))
    (if (i32.lt_u (i32.load (i32.const 104)) (i32.const 2)) (then (return (i32.const 0))))
    (drop (call $args_get (i32.const 200) (i32.const 1024)))
    (i32.load8_u (i32.load (i32.const 204))))

  (func (export "_start")
    (local $mode i32)
    (local.set $mode (call $mode))
    (if (i32.eq (local.get $mode) (i32.const 112)) (then (return (call $print (call $plain (i32.const 30000000))))))  ;; p
    (if (i32.eq (local.get $mode) (i32.const 116)) (then (return (call $print (call $try (i32.const 30000000))))))    ;; t
    (if (i32.eq (local.get $mode) (i32.const 117)) (then (return (call $print (call $unwind (i32.const 1000000))))))  ;; u
    (unreachable)))

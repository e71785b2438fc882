;; The cache format's test vector: a small module touching every part of the format and of the verifier
;; (calls, loops, memory, a funcref table, reference globals, an import wired to the host, v128 values).
(module
  (import "env" "log" (func $log (param i32)))
  (memory 1)
  (table $t 4 funcref)
  (global $counter (mut i32) (i32.const 0))
  (global $saved (mut funcref) (ref.null func))
  (global $lanes (mut v128) (v128.const i32x4 1 2 3 4))
  (elem (i32.const 0) $fac $square)
  (data (i32.const 16) "swasm")

  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))

  (func $square (param $x i64) (result i64) (i64.mul (local.get $x) (local.get $x)))

  ;; Sums the bytes of memory[0, n) in a loop.
  (func (export "sum_bytes") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $log (local.get $acc))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (local.get $acc))

  ;; Calls table slot i with x, after moving references around (table.get/set, a funcref global, ref.null).
  (func (export "apply") (param $i i32) (param $x i64) (result i64)
    (global.set $saved (table.get $t (local.get $i)))
    (table.set $t (i32.const 3) (global.get $saved))
    (table.set $t (i32.const 2) (ref.null func))
    (call_indirect $t (param i64) (result i64) (local.get $x) (i32.const 3)))

  (func (export "counter") (result i32) (global.get $counter))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))

  ;; v128: a parameter, a constant, a global, lanes out to a scalar.
  (func (export "scaled_sum") (param $v v128) (result i32)
    (local $w v128)
    (local.set $w (i32x4.mul (local.get $v) (v128.const i32x4 1 2 3 4)))
    (global.set $lanes (i32x4.add (global.get $lanes) (local.get $w)))
    (i32.add (i32x4.extract_lane 0 (local.get $w)) (i32x4.extract_lane 3 (local.get $w)))))

;; Tail calls (TailCallTests.swift): chains of return_call and return_call_indirect within a module, into another
;; instance and into host functions.
(module
  (import "env" "host_add" (func $host_add (param i64 i64) (result i64)))
  (import "other" "read_memory" (func $other_read (param i32) (result i32)))
  (type $i64_to_i32 (func (param i64) (result i32)))
  (type $to_i32 (func (result i32)))
  (memory 1)
  (data (i32.const 0) "\01")
  (table $t 5 funcref)
  (elem (table $t) (i32.const 0) func $even $seven $odd_indirect $even_indirect)

  ;; even/odd by mutual tail recursion: n tail calls in constant stack.
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (export "odd") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))

  ;; The same through the table.
  (func $even_indirect (export "even_indirect") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call_indirect $t (type $i64_to_i32) (i64.sub (local.get 0) (i64.const 1)) (i32.const 2)))))
  (func $odd_indirect (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call_indirect $t (type $i64_to_i32) (i64.sub (local.get 0) (i64.const 1)) (i32.const 3)))))
  (func $seven (result i32) (i32.const 7))
  ;; Calls table slot `i` as an [i64] -> [i32] function: a type mismatch, a null slot (4) or one past the end (5)
  ;; traps before the frame goes.
  (func (export "call_slot") (param i32) (result i32)
    (return_call_indirect $t (type $i64_to_i32) (i64.const 4) (local.get 0)))

  ;; Frames of different sizes: a function with a large frame tail-calls one with a small frame and back, each
  ;; checking that its declared locals start at zero and passing a v128 and an f64 along.
  (func $big (export "big") (param $n i32) (param $v v128) (param $f f64) (result f64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $g i64) (local $h v128)
    (if (i64.ne (i64.or (local.get $a) (local.get $g)) (i64.const 0)) (then unreachable))
    (if (v128.any_true (local.get $h)) (then unreachable))
    (local.set $a (i64.const -1))
    (local.set $g (i64.const -1))
    (local.set $h (v128.const i64x2 -1 -1))
    (if (result f64) (i32.eqz (local.get $n))
      (then (f64.add (local.get $f) (f64.convert_i32_s (i32x4.extract_lane 3 (local.get $v)))))
      (else (return_call $small (i32.sub (local.get $n) (i32.const 1)) (local.get $v) (local.get $f)))))
  (func $small (param $n i32) (param $v v128) (param $f f64) (result f64)
    (local $x i32)
    (if (local.get $x) (then unreachable))
    (local.set $x (i32.const 1))
    (return_call $big (local.get $n) (i32x4.add (local.get $v) (v128.const i32x4 0 0 0 1))
      (f64.add (local.get $f) (f64.const 0.5))))

  ;; Into a host function: its result is the caller's.
  (func (export "to_host") (param i64 i64) (result i64)
    (return_call $host_add (local.get 0) (local.get 1)))
  (func (export "via_host") (result i64)
    (i64.add (call $to_host_inner (i64.const 40)) (i64.const 1)))
  (func $to_host_inner (param i64) (result i64)
    (return_call $host_add (local.get 0) (i64.const 1)))

  ;; Into another instance, whose memory differs: after the tail-called function returns, this instance's memory
  ;; is back (its byte 0 is 1, the other's is 2).
  (func $to_other (param i32) (result i32)
    (return_call $other_read (local.get 0)))
  (func (export "cross_instance") (result i32)
    (i32.add (i32.mul (call $to_other (i32.const 0)) (i32.const 10)) (i32.load8_u (i32.const 0))))

  ;; A trap in a tail-called function.
  (func $divide (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "divide_tail") (param i32 i32) (result i32)
    (return_call $divide (local.get 0) (local.get 1)))
)

;; Dependent chains that the accumulator carries (instructions with `_acc_` in their names), and a join where it
;; must not: AccumulatorTests checks both the translation and the results.
(module
  (memory (export "memory") 1)
  ;; Each step's shift reads the previous xor's result, and each xor the shift's.
  (func (export "xorshift") (param $x i32) (result i32)
    (local.set $x (i32.xor (i32.shl (local.get $x) (i32.const 13)) (local.get $x)))
    (local.set $x (i32.xor (i32.shr_u (local.get $x) (i32.const 17)) (local.get $x)))
    (local.set $x (i32.xor (i32.shl (local.get $x) (i32.const 5)) (local.get $x)))
    (local.get $x))
  ;; The result of a non-commutative operation as its right operand; 64-bit values.
  (func (export "mix64") (param $a i64) (param $b i64) (result i64)
    (i64.sub (local.get $b) (i64.mul (i64.add (local.get $a) (local.get $b)) (i64.const 0x9E3779B97F4A7C15))))
  ;; The else arm's last instruction writes the `if`'s result slot (and the accumulator); the then arm reaches the
  ;; join with the accumulator holding another value (x * 7). The add after the join must read the slot.
  (func (export "join") (param $x i32) (param $c i32) (result i32) (local $t i32)
    (i32.add
      (if (result i32) (local.get $c)
        (then (i32.mul (local.get $x) (i32.const 3)) (local.set $t (i32.mul (local.get $x) (i32.const 7))))
        (else (i32.add (local.get $x) (i32.const 1))))
      (i32.const 100)))
  ;; A store whose address and value were just computed, and a load from a computed address.
  (func (export "store_load") (param $p i32) (param $v i32) (result i32)
    (i32.store offset=4 (i32.add (local.get $p) (i32.const 8)) (i32.mul (local.get $v) (local.get $v)))
    (i32.load offset=12 (i32.add (local.get $p) (i32.const 0))))
  ;; A 32-bit result read as the operand of conversions (zero-extended in the accumulator as in the slot).
  (func (export "wrap_extend") (param $a i64) (result i64)
    (i64.extend_i32_s (i32.add (i32.wrap_i64 (local.get $a)) (i32.const 1))))
  ;; A loop whose branch condition was just computed; the loop header is a branch target.
  (func (export "sum_down") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  ;; An f64 chain through the float accumulator; a NaN's bits go through it unchanged (neg, then copysign).
  (func (export "f64_chain") (param $x f64) (param $y f64) (result f64)
    (f64.div (f64.sqrt (f64.add (f64.mul (local.get $x) (local.get $x)) (local.get $y))) (local.get $y)))
  (func (export "nan_bits") (param $x f64) (param $y f64) (result f64)
    (f64.copysign (f64.neg (local.get $x)) (local.get $y)))
  ;; A linked list reversed in place, as CoreMark's core_list_reverse compiles: the loop-carried moves at the back
  ;; edge end in a copy of the next node, which the load right after it reads from the accumulator.
  (func (export "reverse") (param $head i32) (result i32) (local $list i32) (local $next i32) (local $tmp i32)
    (local.set $tmp (local.get $head))
    (block $done
      (br_if $done (i32.eqz (local.get $tmp)))
      (loop $l
        (local.set $next (local.get $list))
        (local.set $list (local.get $tmp))
        (local.set $tmp (i32.load (local.get $list)))
        (i32.store (local.get $list) (local.get $next))
        (br_if $l (local.get $tmp))))
    (local.get $list)))

;; Patterns the translator fuses, at the edges of their semantics.
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c")
  ;; i32.add then load: the add wraps at 32 bits, the static offset does not.
  (func (export "load_add") (param $p i32) (result i32)
    (i32.load offset=4 (i32.add (local.get $p) (i32.const -8))))
  (func (export "load8_add") (param $p i32) (result i32)
    (i32.load8_u offset=1 (i32.add (local.get $p) (i32.const 3))))
  ;; i32.add then store of a local, read back.
  (func (export "store_add") (param $p i32) (param $v i32) (result i32)
    (i32.store offset=4 (i32.add (local.get $p) (i32.const -8)) (local.get $v))
    (i32.load offset=4 (i32.add (local.get $p) (i32.const -8))))
  ;; The add's result also kept in a local: no fusion may lose it.
  (func (export "tee_add") (param $p i32) (result i32) (local $a i32)
    (i32.load (local.tee $a (i32.add (local.get $p) (i32.const 4))))
    (local.get $a)
    (i32.add))
  ;; Dependent float operations, fused into one instruction each: order and rounding as written.
  (func (export "f64_mul_add") (param f64 f64 f64) (result f64)
    (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "f64_rsub_mul") (param f64 f64 f64) (result f64)
    (f64.sub (local.get 2) (f64.mul (local.get 0) (local.get 1))))
  (func (export "f32_sub_mul") (param f32 f32 f32) (result f32)
    (f32.mul (f32.sub (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "f64_chain") (param f64 f64) (result f64)
    (f64.sub (f64.mul (f64.add (local.get 0) (local.get 1)) (local.get 0)) (f64.mul (local.get 1) (local.get 1))))
  ;; Two i32 operations with immediates in a row: shift counts are taken modulo 32, arithmetic wraps.
  (func (export "bits") (param i32) (result i32) (i32.and (i32.shr_u (local.get 0) (i32.const 35)) (i32.const 7)))
  (func (export "collatz") (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1)))
  (func (export "signed") (param i32) (result i32) (i32.xor (i32.shr_s (local.get 0) (i32.const 4)) (i32.const -1)))
  ;; i32.eqz of a comparison becomes the inverse comparison (also when a branch then fuses with it).
  (func (export "not_lt_s") (param i32 i32) (result i32) (i32.eqz (i32.lt_s (local.get 0) (local.get 1))))
;; i32.eqz of a float comparison is not inverted (NaN), but a branch on it tests the comparison and branches the
  ;; other way: with NaN, !(a < b) is true.
  (func (export "not_flt_value") (param f64 f64) (result i32) (i32.eqz (f64.lt (local.get 0) (local.get 1))))
  (func (export "not_flt_branch") (param f32 f32) (result i32)
    (block $yes (br_if $yes (i32.eqz (f32.lt (local.get 0) (local.get 1)))) (return (i32.const 0)))
    (i32.const 1))
  (func (export "not_fge_if") (param f64 f64) (result i32)
    (if (result i32) (i32.eqz (f64.ge (local.get 0) (local.get 1))) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "nonzero64") (param i64) (result i32) (i32.eqz (i64.eqz (local.get 0))))
  (func (export "count_bits") (param $x i64) (result i32) (local $n i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (i32.eqz (i64.eqz (local.get $x)))))
        (local.set $n (i32.add (local.get $n) (i32.wrap_i64 (i64.and (local.get $x) (i64.const 1)))))
        (local.set $x (i64.shr_u (local.get $x) (i64.const 1)))
        (br_if $again (i32.eqz (i64.eqz (local.get $x))))))
    (local.get $n))
  ;; A float result stored right away: computed and stored by one instruction; out of bounds still traps.
  (func (export "store_sum") (param $p i32) (param f64 f64) (result f64)
    (f64.store offset=8 (local.get $p) (f64.add (local.get 1) (local.get 2)))
    (f64.load offset=8 (local.get $p)))
  (func (export "store_product32") (param $p i32) (param f32 f32) (result f32)
    (f32.store (local.get $p) (f32.mul (local.get 1) (local.get 2)))
    (f32.load (local.get $p)))
  ;; select on a comparison, fused: register and immediate comparisons, i32 and i64, a float result.
  (func (export "max_u64") (param i64 i64) (result i64)
    (select (local.get 0) (local.get 1) (i64.gt_u (local.get 0) (local.get 1))))
  (func (export "clamp_low") (param i32) (result i32)
    (select (i32.const -5) (local.get 0) (i32.lt_s (local.get 0) (i32.const -5))))
  (func (export "pick_f64") (param i64 f64 f64) (result f64)
    (select (local.get 1) (local.get 2) (i64.le_s (local.get 0) (i64.const -1))))
  ;; An i32 load feeding an operation with an immediate, fused.
  (func (export "byte_bits") (param $p i32) (result i32) (i32.and (i32.load8_u offset=2 (local.get $p)) (i32.const 6)))
  (func (export "word_scaled") (param $p i32) (result i32) (i32.shl (i32.load (local.get $p)) (i32.const 36)))
  (func (export "half_plus") (param $p i32) (result i32) (i32.add (i32.load16_u (local.get $p)) (i32.const -1)))
  ;; A load stored straight back with the same width: one memory move. Returns what the destination then holds.
  (func (export "move8") (param $to i32) (param $from i32) (result i64)
    (i32.store8 offset=1 (local.get $to) (i32.load8_s offset=2 (local.get $from)))
    (i64.load (local.get $to)))
  (func (export "move16") (param $to i32) (param $from i32) (result i64)
    (i64.store16 (local.get $to) (i64.load16_u (local.get $from)))
    (i64.load (local.get $to)))
  (func (export "move32") (param $to i32) (param $from i32) (result i64)
    (f32.store (local.get $to) (f32.load (local.get $from)))  ;; a NaN's bits move unchanged too
    (i64.load (local.get $to)))
  (func (export "move64") (param $to i32) (param $from i32) (result i64)
    (i64.store offset=8 (local.get $to) (i64.load offset=4 (local.get $from)))
    (i64.load offset=8 (local.get $to)))
  ;; select on a bit test, for each numeric type of the values.
  (func (export "pick_odd_i64") (param i32 i64 i64) (result i64)
    (select (local.get 1) (local.get 2) (i32.and (local.get 0) (i32.const 1))))
  (func (export "pick_bit_f64") (param i32 f64 f64) (result f64)
    (select (local.get 1) (local.get 2) (i32.and (local.get 0) (i32.const 0x80000000))))
  ;; A call whose only argument move is one copy makes the copy itself (call_copy, call_indirect_copy).
  (type $two (func (param i32 i32) (result i32)))
  (table $calls 2 funcref)
  (elem (table $calls) (i32.const 0) func $minus)
  (func $minus (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func $keep (param externref) (result externref) (local.get 0))
  (func (export "call_copy") (param $x i32) (result i32)
    (call $minus (i32.add (local.get $x) (i32.const 10)) (local.get $x)))
  (func (export "call_indirect_copy") (param $x i32) (param $slot i32) (result i32)
    (call_indirect $calls (type $two) (i32.mul (local.get $x) (i32.const 3)) (local.get $x) (local.get $slot)))
  (func (export "pass_ref") (param externref) (result externref) (call $keep (local.get 0)))
  ;; x += e on a float in memory: one instruction when the load and the store use the same address and offset.
  (func (export "add_to_f64") (param $p i32) (param $e f64) (result f64)
    (f64.store offset=8 (local.get $p) (f64.add (local.get $e) (f64.load offset=8 (local.get $p))))
    (f64.load offset=8 (local.get $p)))
  (func (export "add_to_f32") (param $p i32) (param $e f32) (result f32)
    (f32.store (local.get $p) (f32.add (local.get $e) (f32.load (local.get $p))))
    (f32.load (local.get $p)))
  ;; Not the same place (offsets differ): a load, then an add stored elsewhere.
  (func (export "add_elsewhere") (param $p i32) (param $e f64) (result f64)
    (f64.store offset=16 (local.get $p) (f64.add (local.get $e) (f64.load offset=8 (local.get $p))))
    (f64.load offset=16 (local.get $p)))
  ;; x -= e on a float in memory, x loaded before the one float instruction that computes e (which moves down).
  (func (export "sub_from_f64") (param $p i32) (param $a f64) (param $b f64) (result f64)
    (f64.store offset=8 (local.get $p)
      (f64.sub (f64.load offset=8 (local.get $p)) (f64.div (local.get $a) (local.get $b))))
    (f64.load offset=8 (local.get $p)))
  (func (export "sub_from_f32") (param $p i32) (param $a f32) (result f32)
    (f32.store (local.get $p) (f32.sub (f32.load (local.get $p)) (f32.sqrt (local.get $a))))
    (f32.load (local.get $p)))
  ;; e computed by an instruction that may trap: not moved, so a bad address still traps before the division.
  (func (export "sub_trapping_e") (param $p i32) (param $d i32) (result f64)
    (f64.store (local.get $p)
      (f64.sub (f64.load (local.get $p)) (f64.convert_i32_s (i32.div_s (i32.const 1) (local.get $d)))))
    (f64.load (local.get $p)))
  ;; A load from a scaled index: the shift wraps at 32 bits and counts mod 32, the offset is added after.
  (func (export "load_scaled") (param $i i32) (result i32) (i32.load offset=4 (i32.shl (local.get $i) (i32.const 2))))
  (func (export "load_scaled64") (param $i i32) (result i64) (i64.load (i32.shl (local.get $i) (i32.const 35))))
  (func (export "load_scaled_f64") (param $i i32) (result f64) (f64.load (i32.shl (local.get $i) (i32.const 3))))
  ;; A call whose only argument move is an i32 constant writes it itself (call_const): defined function 45.
  (func (export "call_const") (param $x i32) (result i32)
    (call $minus (i32.add (local.get $x) (i32.const 10)) (i32.const 7)))
  ;; 46: i64.extend_i32_u is free (an i32 sits zero-extended in its slot): no instruction.
  (func (export "extend_sum") (param $a i64) (param $b i32) (result i64)
    (i64.add (local.get $a) (i64.extend_i32_u (i32.add (local.get $b) (i32.const 1)))))
  ;; 47-49: a select on eqz(x & k): select_and_ri with the values swapped, except for an i64 x and a negative k.
  (func (export "pick_if_clear64") (param $b i64) (param $x i64) (param $y i64) (result i64)
    (select (local.get $x) (local.get $y) (i64.eqz (i64.and (local.get $b) (i64.const 1)))))
  (func (export "pick_if_clear_high64") (param $b i64) (param $x i64) (param $y i64) (result i64)
    (select (local.get $x) (local.get $y) (i64.eqz (i64.and (local.get $b) (i64.const -2)))))
  (func (export "pick_if_clear32") (param $b i32) (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.eqz (i32.and (local.get $b) (i32.const 0x80000000)))))
  ;; 50: a product by a constant added to another value: one i32_mul_ri_add (either operand order).
  (func (export "mul_add") (param $x i32) (param $y i32) (result i32)
    (i32.add (local.get $y) (i32.mul (local.get $x) (i32.const 31))))
  ;; 51: `i += 3` then the jump back to the loop's test: one i32_add_ri_br.
  (func (export "count_up") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 3)))
        (br $top)))
    (local.get $i))
  ;; 52: a loop-carried value copied into place, then the back edge's test: one copy_br_i32_nez.
  (func (export "carry") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $c i32)
    (loop $l
      (local.set $b (i32.add (local.get $a) (i32.const 1)))
      (local.set $c (i32.lt_u (local.get $a) (local.get $n)))
      (local.set $a (local.get $b))
      (br_if $l (local.get $c)))
    (local.get $a))
  ;; 53: a copy, then an `if` (a branch when the condition is zero): one copy_br_i32_eqz.
  (func (export "carry_if") (param $x i32) (param $y i32) (result i32) (local $t i32)
    (local.set $t (local.get $y))
    (if (local.get $x) (then (local.set $t (i32.add (local.get $t) (i32.const 100)))))
    (local.get $t))
  ;; 54, 55: calls with two argument moves, a copy and a constant: both made by the call instruction (constants
  ;; are moved last whatever the argument order), call_copy_const.
  (func (export "call_two_moves") (param $x i32) (result i32) (call $minus (local.get $x) (i32.const 7)))
  (func (export "call_two_moves_copy_last") (param $x i32) (result i32) (call $minus (i32.const 100) (local.get $x)))
  ;; 56: a decimal digit appended, as compilers reassociate it (n * 10 + c - '0'): one i32_mul_ri_add_ri.
  (func (export "append_digit") (param $n i32) (param $c i32) (result i32)
    (i32.add (i32.add (i32.mul (local.get $n) (i32.const 10)) (local.get $c)) (i32.const -48)))
  ;; 57: xorshift32 (x ^= x << 13; x ^= x >> 17; x ^= x << 5): i32_shl_ri_xor, i32_shr_u_ri_xor.
  (func (export "xorshift32") (param $x i32) (result i32)
    (local.set $x (i32.xor (i32.shl (local.get $x) (i32.const 13)) (local.get $x)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
    (i32.xor (i32.shl (local.get $x) (i32.const 5)) (local.get $x)))
  ;; 58: a 64-bit finalizer step, h ^ (h >> 31) and h ^ (h << 7): i64_shr_u_ri_xor, i64_shl_ri_xor.
  (func (export "mix64") (param $h i64) (result i64)
    (local.set $h (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 31))))
    (i64.xor (i64.shl (local.get $h) (i64.const 7)) (local.get $h)))
  ;; 59: `if (r >= m) r -= m` as compilers emit it for a constant m (an add of -m, a select on r > m - 1): one
  ;; select_i64_gt_u_add.
  (func (export "reduce64") (param $r i64) (result i64)
    (select (i64.add (local.get $r) (i64.const -1000000007)) (local.get $r)
            (i64.gt_u (local.get $r) (i64.const 1000000006))))
  ;; 60: the same with a variable modulus (-m given): one select_i32_ge_u_add.
  (func (export "reduce32") (param $r i32) (param $m i32) (param $minus_m i32) (result i32)
    (select (i32.add (local.get $minus_m) (local.get $r)) (local.get $r) (i32.ge_u (local.get $r) (local.get $m))))
  ;; 61: a loop's exit test stored in a local, the loop-carried value moved into place, then the back edge on that
  ;; local: one i32_lt_u_ri_copy_br (the Collatz step count of the benchmark suite, steps < 1000).
  (func (export "count_from") (param $i i32) (result i32) (local $next i32) (local $more i32)
    (loop $l
      (local.set $next (i32.add (local.get $i) (i32.const 1)))
      (local.set $more (i32.lt_s (local.get $i) (i32.const 999)))
      (local.set $i (local.get $next))
      (br_if $l (local.get $more)))
    (local.get $i))
  ;; 62, 63: an i32 shift widened by i64.extend_i32_u (which emits nothing) then an i64.xor: not fused into the
  ;; i32 shift-xor, which would drop the other operand's upper half.
  (func (export "widened_shl_xor") (param $x i32) (param $y i64) (result i64)
    (i64.xor (i64.extend_i32_u (i32.shl (local.get $x) (i32.const 13))) (local.get $y)))
  (func (export "xor_widened_shr_u") (param $x i32) (param $y i64) (result i64)
    (i64.xor (local.get $y) (i64.extend_i32_u (i32.shr_u (local.get $x) (i32.const 3)))))
  ;; 64: a call with two argument copies (merged into one copy2): both made by the call instruction, call_copy2.
  (func (export "call_two_copies") (param $x i32) (param $y i32) (result i32) (call $minus (local.get $y) (local.get $x)))
  ;; 65: an array pointer loaded from a structure, then indexed (p->items + i * 16): one i32_load_add_shl.
  (func (export "indexed_field") (param $p i32) (param $i i32) (result i32)
    (i32.add (i32.load offset=8 (local.get $p)) (i32.shl (local.get $i) (i32.const 4))))
  ;; 66: a switch on the byte a pointer points at, the byte kept in a local (`switch (c = *p)`): the load and the
  ;; br_table in one br_table_load8_u. Memory holds 01 02 03 ... 0c from 0, zeros after.
  (func (export "byte_switch") (param $p i32) (result i32) (local $c i32)
    (block $default
      (block $one
        (block $zero
          (br_table $zero $one $default (local.tee $c (i32.load8_u (local.get $p)))))
        (return (i32.const 100)))
      (return (i32.const 200)))
    (i32.add (local.get $c) (i32.const 1000)))
  ;; 67: the same with a static offset: the load stays apart (the fused instruction has no offset field).
  (func (export "byte_switch_offset") (param $p i32) (result i32)
    (block $default
      (block $one
        (br_table $one $default (i32.load8_u offset=1 (local.get $p))))
      (return (i32.const 200)))
    (i32.const 300))
  ;; 68: a flag set, then `i++` and the jump back (`flag = 7; i++; continue`): one const32_add_ri_br (or one of its
  ;; pinned forms: the loop may keep i in l0).
  (func (export "count_with_flag") (param $n i32) (result i32) (local $i i32) (local $flag i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $flag (i32.const 7))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.add (local.get $i) (local.get $flag)))
  ;; 69: a value set before a jump to the end of a block (a phi's input): one const32_br.
  (func (export "pick_const") (param $c i32) (result i32) (local $x i32)
    (block $out
      (local.set $x (i32.const 11))
      (br_if $out (local.get $c))
      (local.set $x (i32.const 22))
      (br $out))
    (local.get $x))
  ;; 70: the add reads the constant just set: the const32 stays apart (the fused form writes the constant first,
  ;; but its accumulator and pinned forms read the add's operand before it).
  (func (export "const_then_add") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.const 100))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i))
  ;; 71: a branch on a bit test (`if (x & 4)`): one br_i32_and_ri_nez; 72: on its negation, br_i32_and_ri_eqz.
  (func (export "bit_set") (param $x i32) (result i32)
    (block $yes
      (br_if $yes (i32.and (local.get $x) (i32.const 4)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "bit_clear") (param $x i32) (result i32)
    (block $yes
      (br_if $yes (i32.eqz (i32.and (local.get $x) (i32.const 4))))
      (return (i32.const 0)))
    (i32.const 1))
  ;; 73: a byte loaded and masked, then the branch: one br_i32_load8_u_and_ri_nez.
  (func (export "byte_bit_set") (param $p i32) (result i32)
    (block $yes
      (br_if $yes (i32.and (i32.load8_u offset=1 (local.get $p)) (i32.const 2)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; 74: the masked value kept in a local as well (local.tee): the and stays apart.
  (func (export "bit_kept") (param $x i32) (result i32) (local $m i32)
    (block $yes
      (br_if $yes (local.tee $m (i32.and (local.get $x) (i32.const 4))))
      (return (local.get $m)))
    (i32.add (local.get $m) (i32.const 100)))
  ;; 75: a result computed straight into slot 0, then the return: one i32_add_ri_ret; 76: the same after an
  ;; accumulator form (the xor reads the add's result): i32_xor_ret_acc_rb.
  (func (export "plus_one") (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1)))
  (func (export "mix") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.xor (i32.shr_u (local.get $c) (i32.const 3))
             (i32.add (i32.mul (local.get $a) (i32.const 31)) (local.get $b))))
  ;; 77: recursion whose both arms return a computed value (an early `return` and the function's end).
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (i32.lt_u (local.get $n) (i32.const 2)) (then (return (i32.add (local.get $n) (i32.const 0)))))
    (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2))))))

;; Loops whose loop-carried local the translator pins in the register l0 (tools/isa/pinned.py), and loops it must not
;; pin. PinnedLocalTests checks the translation and the results in both dispatch modes.
(module
  (import "host" "id" (func $id (param i32) (result i32)))
  ;; 0: Collatz steps from n: n is read twice and written by a select each step.
  (func (export "collatz") (param $n i32) (result i32)
    (local $steps i32)
    (block $done
      (loop $step
        (br_if $done (i32.eq (local.get $n) (i32.const 1)))
        (local.set $n (select (i32.add (i32.mul (local.get $n) (i32.const 3)) (i32.const 1))
                              (i32.shr_u (local.get $n) (i32.const 1))
                              (i32.and (local.get $n) (i32.const 1))))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (br $step)))
    (local.get $steps))
  ;; 1: 1 + 2 + ... + n (at least one step), the loop entered also by a branch from before it (the block's end is
  ;; the loop's header).
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $skip (br_if $skip (i32.eqz (local.get $n))))
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  ;; 2: a call in the loop: nothing pinned.
  (func (export "sum_calls") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $s (i32.add (local.get $s) (call $id (local.get $i))))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  ;; 3: nested loops: the inner one pinned, in an outer one that runs it again and again (its l0_load each time).
  (func (export "nested") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $s i64)
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $inner
        (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (i32.mul (local.get $i) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $j) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  ;; 4: an i64 counter stepped down to zero, with a br_table in the loop whose targets are inside and outside it.
  (func (export "countdown") (param $n i64) (result i64)
    (local $odd i64)
    (block $out
      (loop $again
        (block $even
          (block $odd_case
            (br_table $even $odd_case $out (i32.wrap_i64 (i64.and (local.get $n) (i64.const 1)))))
          (local.set $odd (i64.add (local.get $odd) (i64.const 1))))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br_if $again (i64.ne (local.get $n) (i64.const 0)))))
    (local.get $odd))
)

;; Sieve of Eratosthenes over linear memory: `swasm run --invoke primes examples/sieve.wasm 1000000` prints
;; the number of primes below N (78498 for one million). N is capped at 60 MB of memory.
(module
  (memory 1)
  (func (export "primes") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32) (local $pages i32)
    (if (i32.gt_u (local.get $n) (i32.const 60000000)) (then (local.set $n (i32.const 60000000))))
    ;; Grow memory to hold one byte per number.
    (local.set $pages (i32.sub (i32.add (i32.shr_u (local.get $n) (i32.const 16)) (i32.const 1)) (memory.size)))
    (if (i32.gt_s (local.get $pages) (i32.const 0)) (then (drop (memory.grow (local.get $pages)))))
    (memory.fill (i32.const 0) (i32.const 1) (local.get $n))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.load8_u (local.get $i))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $marked
              (loop $inner
                (br_if $marked (i32.ge_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 0))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $inner)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.set $i (i32.const 2))
    (block $counted
      (loop $count
        (br_if $counted (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $count (i32.add (local.get $count) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count)))
    (local.get $count)))

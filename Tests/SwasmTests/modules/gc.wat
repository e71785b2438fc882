;; GC (Wasm 3.0): structs, arrays, i31, casts, and what the collector must keep and free (GCTests).
(module
  (type $pair (struct (field $left (mut anyref)) (field $right (mut anyref))))
  (type $node (struct (field $value i32) (field $next (mut (ref null $node)))))
  (type $tree (struct (field $left (ref null $tree)) (field $right (ref null $tree))))
  (type $bytes (array (mut i8)))
  (type $points (array (mut (ref null $node))))
  (type $shape (sub (struct (field $sides i32))))
  (type $square (sub final $shape (struct (field $sides i32) (field $side f64))))
  (tag $carry (param anyref))

  (table $keep 4 anyref)
  (global $kept (mut anyref) (ref.null any))
  (global $caught (mut exnref) (ref.null exn))
  (global $constant (ref $node) (struct.new $node (i32.const 7) (ref.null $node)))

  ;; A list of n nodes, summed.
  (func $list (param $n i32) (result (ref null $node)) (local $head (ref null $node))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $head (struct.new $node (local.get $n) (local.get $head)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $head))
  (func $sum (param $l (ref null $node)) (result i32) (local $total i32)
    (block $done (loop $next
      (br_if $done (ref.is_null (local.get $l)))
      (local.set $total (i32.add (local.get $total) (struct.get $node $value (local.get $l))))
      (local.set $l (struct.get $node $next (local.get $l)))
      (br $next)))
    (local.get $total))
  (func (export "list_sum") (param i32) (result i32) (call $sum (call $list (local.get 0))))
  (func (export "make_list") (param i32) (result (ref null $node)) (call $list (local.get 0)))
  (func (export "sum_list") (param (ref null $node)) (result i32) (call $sum (local.get 0)))
  (func (export "i31_value") (param i31ref) (result i32) (i31.get_s (local.get 0)))
  ;; A list as an externref (extern.convert_any), and back.
  (func (export "make_external_list") (param i32) (result externref) (extern.convert_any (call $list (local.get 0))))
  (func (export "sum_external_list") (param externref) (result i32)
    (call $sum (ref.cast (ref null $node) (any.convert_extern (local.get 0)))))

  ;; Binary trees of depth d, built and counted (the allocation benchmark's shape).
  (func $make (param $d i32) (result (ref $tree))
    (if (result (ref $tree)) (i32.eqz (local.get $d))
      (then (struct.new $tree (ref.null $tree) (ref.null $tree)))
      (else (struct.new $tree (call $make (i32.sub (local.get $d) (i32.const 1)))
                              (call $make (i32.sub (local.get $d) (i32.const 1)))))))
  (func $count (param $t (ref null $tree)) (result i32)
    (if (result i32) (ref.is_null (local.get $t)) (then (i32.const 0))
      (else (i32.add (i32.const 1)
        (i32.add (call $count (struct.get $tree $left (local.get $t)))
                 (call $count (struct.get $tree $right (local.get $t))))))))
  ;; `rounds` trees of depth d, each dropped after counting: garbage for the collector.
  (func (export "trees") (param $d i32) (param $rounds i32) (result i32) (local $total i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $rounds)))
      (local.set $total (i32.add (local.get $total) (call $count (call $make (local.get $d)))))
      (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
      (br $next)))
    (local.get $total))

  ;; n pairs, each a cycle (a.left = b, b.left = a), dropped at once.
  (func (export "cycles") (param $n i32) (local $a (ref null $pair)) (local $b (ref null $pair))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $a (struct.new $pair (ref.null any) (ref.null any)))
      (local.set $b (struct.new $pair (local.get $a) (ref.null any)))
      (struct.set $pair $left (local.get $a) (local.get $b))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next))))

  ;; n zeroed byte arrays of `size` bytes, each dropped at once.
  (func (export "churn") (param $n i32) (param $size i32) (result i32) (local $last (ref null $bytes))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $last (array.new_default $bytes (local.get $size)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (array.len (local.get $last)))

  ;; Objects kept only by a table, a global, and an exception payload (an exnref in a global).
  (func (export "keep") (param $n i32)
    (table.set $keep (i32.const 0) (call $list (local.get $n)))
    (global.set $kept (call $list (i32.add (local.get $n) (i32.const 1))))
    (block $handler (result exnref)
      (try_table (catch_all_ref $handler)
        (throw $carry (call $list (i32.add (local.get $n) (i32.const 2)))))
      (unreachable))
    (global.set $caught))
  (func (export "kept_sums") (result i32 i32 i32)
    (call $sum (ref.cast (ref null $node) (table.get $keep (i32.const 0))))
    (call $sum (ref.cast (ref null $node) (global.get $kept)))
    (block $handler (result anyref)
      (try_table (catch $carry $handler) (throw_ref (global.get $caught)))
      (unreachable))
    (ref.cast (ref null $node))
    (call $sum))

  ;; Recursion d deep, each frame holding a list of its own while deeper frames make garbage.
  (func $deep (export "deep") (param $d i32) (result i32) (local $mine (ref null $node))
    (if (result i32) (i32.eqz (local.get $d)) (then (call $sum (call $list (i32.const 100))))
      (else
        (local.set $mine (call $list (i32.const 3)))
        (drop (call $list (i32.const 50)))
        (i32.add (call $deep (i32.sub (local.get $d) (i32.const 1))) (call $sum (local.get $mine))))))

  ;; Casts and i31.
  (func (export "classify") (param $i i32) (result i32) (local $r anyref)
    (local.set $r
      (if (result anyref) (i32.eq (local.get $i) (i32.const 0)) (then (ref.i31 (i32.const -5)))
        (else (if (result anyref) (i32.eq (local.get $i) (i32.const 1)) (then (struct.new $square (i32.const 4) (f64.const 2)))
          (else (if (result anyref) (i32.eq (local.get $i) (i32.const 2)) (then (struct.new $shape (i32.const 3)))
            (else (if (result anyref) (i32.eq (local.get $i) (i32.const 3))
              (then (array.new_fixed $bytes 2 (i32.const 1) (i32.const 2)))
              (else (ref.null any))))))))))
    (block $not_i31 (result anyref)
      (return (i31.get_s (br_on_cast_fail $not_i31 anyref (ref i31) (local.get $r)))))
    (block $not_square (param anyref) (result anyref)
      (return (i32.trunc_f64_s (struct.get $square $side (br_on_cast_fail $not_square anyref (ref $square))))))
    (drop)
    (if (result i32) (ref.test (ref $shape) (local.get $r)) (then (i32.const 100))
      (else (if (result i32) (ref.test (ref array) (local.get $r)) (then (i32.const 200)) (else (i32.const -1))))))
  (func (export "bad_cast") (drop (ref.cast (ref $square) (struct.new $shape (i32.const 3)))))
  (func (export "out_of_bounds") (result i32) (array.get_u $bytes (array.new_default $bytes (i32.const 4)) (i32.const 4)))
  (func (export "constant") (result i32) (struct.get $node $value (global.get $constant)))
)

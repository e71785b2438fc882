;; Garbage collection (Benchmarks/run.py gc): one module, two workloads chosen by the first argument's first
;; letter, each printing a checksum:
;;   trees  the benchmarks game's binary trees (depth 16): allocation and collection of short-lived trees next to a
;;          long-lived one;
;;   lists  linked lists of 50,000 nodes, 200 times: built, reversed in place (struct.set), summed.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (type $tree (struct (field $left (ref null $tree)) (field $right (ref null $tree))))
  (type $node (struct (field $value i64) (field $next (mut (ref null $node)))))

  ;; A tree of depth d: leaves without children.
  (func $make (param $d i32) (result (ref $tree))
    (if (result (ref $tree)) (i32.eqz (local.get $d))
      (then (struct.new $tree (ref.null $tree) (ref.null $tree)))
      (else (struct.new $tree (call $make (i32.sub (local.get $d) (i32.const 1)))
                              (call $make (i32.sub (local.get $d) (i32.const 1)))))))

  ;; Its nodes, counted by walking it.
  (func $check (param $t (ref $tree)) (result i32)
    (local $left (ref null $tree))
    (local.set $left (struct.get $tree $left (local.get $t)))
    (if (result i32) (ref.is_null (local.get $left)) (then (i32.const 1))
      (else (i32.add (i32.const 1)
        (i32.add (call $check (ref.as_non_null (local.get $left)))
                 (call $check (ref.as_non_null (struct.get $tree $right (local.get $t)))))))))

  ;; The benchmarks game's binary trees (max depth 16): a long-lived tree kept throughout, and for each depth
  ;; from 4 to 16 by 2, 2^(16 - depth + 4) short-lived trees of that depth made and checked.
  (func $trees (result i64)
    (local $long (ref $tree)) (local $depth i32) (local $i i32) (local $sum i64)
    (local.set $long (call $make (i32.const 16)))
    (local.set $depth (i32.const 4))
    (loop $depths
      (local.set $i (i32.shl (i32.const 1) (i32.sub (i32.const 20) (local.get $depth))))
      (loop $each
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (call $check (call $make (local.get $depth))))))
        (br_if $each (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
      (br_if $depths (i32.le_u (local.tee $depth (i32.add (local.get $depth) (i32.const 2))) (i32.const 16))))
    (i64.add (local.get $sum) (i64.extend_i32_u (call $check (local.get $long)))))

  ;; Linked lists: 200 rounds of a list of 50,000 nodes, built, reversed in place and summed; the nodes of the
  ;; lists before are garbage.
  (func $lists (result i64)
    (local $round i32) (local $n i32) (local $head (ref null $node)) (local $reversed (ref null $node))
    (local $next (ref null $node)) (local $sum i64)
    (local.set $round (i32.const 200))
    (loop $rounds
      (local.set $head (ref.null $node))
      (local.set $n (i32.const 50000))
      (loop $build
        (local.set $head (struct.new $node (i64.extend_i32_u (local.get $n)) (local.get $head)))
        (br_if $build (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.set $reversed (ref.null $node))
      (block $done (loop $reverse
        (br_if $done (ref.is_null (local.get $head)))
        (local.set $next (struct.get $node $next (local.get $head)))
        (struct.set $node $next (local.get $head) (local.get $reversed))
        (local.set $reversed (local.get $head))
        (local.set $head (local.get $next))
        (br $reverse)))
      (block $summed (loop $walk
        (br_if $summed (ref.is_null (local.get $reversed)))
        (local.set $sum (i64.add (local.get $sum) (struct.get $node $value (local.get $reversed))))
        (local.set $reversed (struct.get $node $next (local.get $reversed)))
        (br $walk)))
      (br_if $rounds (local.tee $round (i32.sub (local.get $round) (i32.const 1)))))
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
    (if (i32.eq (local.get $mode) (i32.const 116)) (then (return (call $print (call $trees)))))  ;; t
    (if (i32.eq (local.get $mode) (i32.const 108)) (then (return (call $print (call $lists)))))  ;; l
    (unreachable)))

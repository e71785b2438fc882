;; Exception handling for ExceptionTests.swift: the standard instructions (throw, throw_ref, try_table with every
;; kind of catch, exnref in locals, globals and tables), the legacy ones (try, catch, catch_all, rethrow,
;; delegate), exceptions crossing instances, host functions and tail calls, and a loop that throws millions of
;; times.
(module
  (import "other" "e" (tag $e (param i32)))
  (import "other" "throw_e" (func $throw_e (param i32)))
  (import "host" "tag" (tag $host (param i64)))
  (import "host" "throw" (func $host_throw (param i64)))
  ;; Calls this module's "throw_local" with its argument, and lets what it throws through.
  (import "host" "call_back" (func $host_call_back (param i32)))

  (tag $local (export "local") (param i32))  ;; the same type as $e, another tag
  (tag $pair (export "pair") (param i64 f64))
  (tag $vec (param v128 i32))
  (global $kept (export "kept") (mut exnref) (ref.null exn))
  (table $box (export "box") 4 exnref)

  ;; Across instances: the imported tag is the exporter's.
  (func (export "catch_other") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $throw_e (local.get 0)))
      (i32.const -1))
    (i32.const 1)
    (i32.add))
  ;; A tag of the same type is another tag: the exception goes on to the caller.
  (func (export "other_passes_local_handler") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $local $h) (call $throw_e (local.get 0)))
      (i32.const -1)))

  ;; From the host: a host function throws an exception of the host's tag.
  (func (export "catch_host") (param i64) (result i64)
    (block $h (result i64)
      (try_table (catch $host $h) (call $host_throw (local.get 0)))
      (i64.const -1)))
  (func $throw_local (export "throw_local") (param i32) (throw $local (local.get 0)))
  ;; Guest -> host -> guest, which throws: the outer guest catches it.
  (func (export "through_host") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $local $h) (call $host_call_back (local.get 0)))
      (i32.const -1)))

  ;; exnref kept in a global, then thrown again.
  (func (export "keep") (param i64 f64)
    (block $h (result i64 f64 exnref)
      (try_table (catch_ref $pair $h) (throw $pair (local.get 0) (local.get 1)))
      (unreachable))
    (global.set $kept)
    (drop)
    (drop))
  (func (export "rethrow_kept") (result i64 f64)
    (block $h (result i64 f64)
      (try_table (catch $pair $h) (throw_ref (global.get $kept)))
      (unreachable)))
  ;; exnref kept in a table slot (catch_all_ref), then thrown again.
  (func (export "keep_in_table") (param i32 i32)
    (local $x exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $local (local.get 1)))
      (unreachable))
    (local.set $x)
    (table.set $box (local.get 0) (local.get $x)))
  (func (export "rethrow_from_table") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $local $h) (throw_ref (table.get $box (local.get 0))))
      (i32.const -1)))
  ;; exnref kept in a local while a million other exceptions come and go (collections run meanwhile).
  (func (export "keep_in_local") (param i32 i32) (result i32)
    (local $x exnref)
    (block $h (result i32 exnref)
      (try_table (catch_ref $local $h) (throw $local (local.get 0)))
      (unreachable))
    (local.set $x)
    (drop)
    (drop (call $throw_loop (local.get 1)))
    (block $h2 (result i32)
      (try_table (catch $local $h2) (throw_ref (local.get $x)))
      (i32.const -1)))
  (func (export "throw_null") (throw_ref (ref.null exn)))
  (func (export "pass_through") (param exnref) (throw_ref (local.get 0)))
  (func (export "catch_and_return") (param exnref) (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw_ref (local.get 0)))
      (ref.null exn)))

  ;; Handlers in order: the first that matches; catch_all after a tag.
  (func (export "first_match") (param i32) (result i32)
    (block $all
      (block $mine (result i32)
        (try_table (catch $local $mine) (catch_all $all)
          (if (local.get 0) (then (throw $local (i32.const 10))) (else (call $throw_e (i32.const 20)))))
        (unreachable))
      (return))
    (i32.const 99))
  ;; A handler to the function's label returns the payload.
  (func (export "catch_to_return") (param i32) (result i32)
    (try_table (catch $local 0) (throw $local (local.get 0)))
    (i32.const -1))
  ;; A payload with a v128.
  (func (export "vector_payload") (param i32) (result i32)
    (block $h (result v128 i32)
      (try_table (catch $vec $h) (throw $vec (i32x4.splat (local.get 0)) (i32.const 3)))
      (unreachable))
    (local.set 0)
    (i32x4.extract_lane 2)
    (local.get 0)
    (i32.add))
  ;; A trap is not an exception: catch_all does not catch it.
  (func (export "trap_not_caught") (result i32)
    (block $h
      (try_table (catch_all $h) (drop (i32.div_u (i32.const 1) (i32.const 0)))))
    (i32.const 5))
  ;; A value below the handler's block survives the catch; one inside it (7) is dropped; the try_table takes its
  ;; operand as a block parameter.
  (func (export "stack_kept") (param i32) (result i32)
    (i32.const 1000)
    (block $h (result i32)
      (i32.const 7)
      (local.get 0)
      (try_table (param i32) (catch $local $h) (throw $local))
      (unreachable))
    (i32.add))

  ;; Through many frames: $deep recurses n times and throws at the bottom.
  (func $deep (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (throw $local (i32.const 7)))
      (else (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func (export "catch_deep") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $local $h) (drop (call $deep (local.get 0))))
      (i32.const -1)))

  ;; Tail calls: a callee reached by return_call throws to the caller's caller; a return_call inside a try_table
  ;; leaves its handlers behind (the frame is gone).
  (func $throws (param i32) (result i32) (throw $local (local.get 0)))
  (func $tail_thrower (param i32) (result i32) (return_call $throws (local.get 0)))
  (func (export "catch_through_tail_call") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $local $h) (call $tail_thrower (local.get 0)))))
  (func $tail_inside_try (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $local $h) (return_call $throws (local.get 0)))
      (unreachable))
    (i32.const 5000)
    (i32.add))
  (func (export "tail_call_leaves_handler") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $local $h) (call $tail_inside_try (local.get 0))))
    (i32.const 10000)
    (i32.add))

  ;; Legacy: catch, then rethrow to an outer try.
  (func (export "legacy_rethrow") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $local (local.get 0))
      catch $local
        drop
        rethrow 0
      end
    catch $local
      (i32.const 100)
      (i32.add)
    end)
  ;; Legacy: delegate hands the exception to an outer try.
  (func (export "legacy_delegate") (param i32) (result i32)
    try $outer (result i32)
      try (result i32)
        (call $throw_e (local.get 0))
        (i32.const -1)
      delegate $outer
    catch $e
      (i32.const 1000)
      (i32.add)
    end)
  ;; Legacy: catch_all after a catch of another tag, in the same function as a try_table.
  (func (export "legacy_mixed") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $local $h)
        try
          (call $throw_e (local.get 0))
        catch $pair
          drop
          drop
        catch_all
          (throw $local (i32.const 42))
        end)
      (i32.const -1)))

  ;; Throws and catches n times (the exception is garbage as soon as it is caught): the store stays bounded.
  (func $throw_loop (export "throw_loop") (param i32) (result i32)
    (local $sum i32)
    (loop $l
      (block $h (result i32)
        (try_table (catch $local $h) (throw $local (i32.const 1)))
        (unreachable))
      (local.set $sum (i32.add (local.get $sum)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get $sum))
  ;; The same with catch_ref and throw_ref in between: each round keeps the exception in a local a while.
  (func (export "rethrow_loop") (param i32) (result i32)
    (local $sum i32)
    (loop $l
      (block $outer (result i32)
        (block $h (result i32 exnref)
          (try_table (catch_ref $local $h) (throw $local (i32.const 2)))
          (unreachable))
        (try_table (param exnref) (catch $local $outer) (throw_ref))
        (unreachable))
      (local.set $sum (i32.add (local.get $sum)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get $sum)))

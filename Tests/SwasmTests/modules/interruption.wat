;; Guests that run forever in each way an interruption must stop (InterruptionTests).
(module
  (import "env" "pause" (func $pause))
  (tag $again)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  ;; A loop, and nothing else.
  (func (export "spin") (loop $l (br $l)))
  ;; A loop whose back edge is a fused compare-and-branch.
  (func (export "count") (param $n i32)
    (loop $l (br_if $l (i32.ne (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 0)))))
  ;; Calls in a loop.
  (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "call_loop") (local i32)
    (loop $l (local.set 0 (call $leaf (local.get 0))) (br $l)))
  ;; Mutual tail calls: no loop and a constant stack.
  (func $ping (export "ping") (param i32) (return_call $pong (i32.add (local.get 0) (i32.const 1))))
  (func $pong (param i32) (return_call $ping (local.get 0)))
  ;; Throws caught back at the loop's start: no branch at all.
  (func (export "throw_loop")
    (loop $l (try_table (catch $again $l) (throw $again))))
  ;; A host function that takes its time, called in a loop.
  (func (export "pause_loop") (loop $l (call $pause) (br $l))))

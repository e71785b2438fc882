;; A module that each thread instantiates in its own store, importing one shared memory (SharedMemoryTests).
(module
  (memory (import "env" "memory") 1 4 shared)
  ;; Adds 1 to the i32 at `address`, `times` times, atomically.
  (func (export "count") (param $address i32) (param $times i32)
    (loop $again
      (drop (i32.atomic.rmw.add (local.get $address) (i32.const 1)))
      (br_if $again (local.tee $times (i32.sub (local.get $times) (i32.const 1))))))
  ;; Adds 1 to the i32 at `address`, `times` times, without atomics (for the lock test).
  (func (export "count_plain") (param $address i32) (param $times i32)
    (loop $again
      (i32.store (local.get $address) (i32.add (i32.load (local.get $address)) (i32.const 1)))
      (br_if $again (local.tee $times (i32.sub (local.get $times) (i32.const 1))))))
  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))
  (func (export "wait") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))

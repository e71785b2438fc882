;; Out-of-bounds accesses caught by the guard region (MemoryGuardTests). Two instances of this module link to each
;; other through the host, each with its own memory, so a fault must be judged against the memory in use.
(module
  (import "env" "other_load" (func $other_load (param i32) (result i32)))
  (memory (export "memory") 1 3)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load_far") (param i32) (result i32) (i32.load offset=4294967295 (local.get 0)))
  (func (export "store64") (param i32) (i64.store (local.get 0) (i64.const -1)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  ;; Loads from its own memory, then from the other instance's through the host, then from its own again.
  (func (export "load_both") (param i32 i32) (result i32)
    (i32.add (i32.add (i32.load (local.get 0)) (call $other_load (local.get 1))) (i32.load (local.get 0))))
  ;; Recurses `depth` times before the access, so the trap unwinds many frames.
  (func $deep (export "deep") (param i32 i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1)) (local.get 1)) (i32.const 1)))
      (else (i32.load (local.get 1))))))

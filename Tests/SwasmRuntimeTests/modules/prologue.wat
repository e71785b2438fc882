;; Which declared locals the prologue zeroes: PrologueTests checks the translation and that a local read before it
;; is written still starts at zero, even in a frame slot that a previous call left dirty.
(module
  (func $written_first (export "written_first") (param i32) (result i32) (local i32)
    (local.set 1 (i32.const 5))
    (i32.add (local.get 0) (local.get 1)))
  (func $read_first (export "read_first") (param i32) (result i32) (local i32)
    (local.set 1 (i32.add (local.get 1) (i32.const 1)))
    (local.get 1))
  (func $branch_first (export "branch_first") (param i32) (result i32) (local i32)
    (if (local.get 0) (then (local.set 1 (i32.const 7))))
    (local.get 1))
  ;; Leaves 99 and 98 in the slots of its locals, where the next callee's locals will be.
  (func $dirty (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.const 99))
    (local.set 2 (i32.const 98))
    (i32.add (local.get 0) (i32.add (local.get 1) (local.get 2))))
  (func (export "read_after_dirty") (result i32)
    (drop (call $dirty (i32.const 1)))
    (call $read_first (i32.const 0)))
  (func (export "branch_after_dirty") (result i32)
    (drop (call $dirty (i32.const 1)))
    (call $branch_first (i32.const 0)))
  ;; 6: constants and a local read first, both written by one init_consts, which a call runs itself
  ;; (afterConstantPrologue) and a call from the host as an instruction.
  (func $constants (export "constants") (param i64) (result i64) (local i64)
    (local.set 1 (i64.add (local.get 1) (i64.const 0x100000000)))
    (i64.add (i64.add (i64.mul (local.get 0) (i64.const 0x123456789)) (i64.const 0x7000000000000001)) (local.get 1)))
  (func (export "constants_after_dirty") (param i64) (result i64)
    (drop (call $dirty (i32.const 1)))
    (call $constants (local.get 0))))

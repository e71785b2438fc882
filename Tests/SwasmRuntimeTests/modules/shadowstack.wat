;; C's shadow stack: an i32 global moved by a constant on entry and exit. The translator turns the prologue and
;; the epilogue into one instruction each (global_add_ri, global_set_add_ri; with the return of a local after it,
;; global_set_add_ri_ret_value). Function indices are used by ShadowStackTests.
(module
  (memory 1)
  (global $sp (export "sp") (mut i32) (i32.const 4096))
  (global $wide (mut i64) (i64.const 100))

  ;; 0: a frame of 16 bytes holding v; returns what the frame holds, read back through the stack pointer.
  (func (export "framed") (param $v i32) (result i32) (local $fp i32) (local $r i32)
    (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 16))))
    (i32.store offset=4 (local.get $fp) (local.get $v))
    (local.set $r (i32.load offset=4 (global.get $sp)))
    (global.set $sp (i32.add (local.get $fp) (i32.const 16)))
    (local.get $r))

  ;; 1: the old value kept in a local: global.get's result is read again, so it stays.
  (func (export "kept") (param $k i32) (result i32) (local $old i32)
    (local.set $old (global.get $sp))
    (global.set $sp (i32.sub (local.get $old) (i32.const 32)))
    (global.set $sp (i32.add (global.get $sp) (i32.const 32)))
    (i32.sub (local.get $old) (global.get $sp)))

  ;; 2: moved by the most negative constant, with no tee (the global alone).
  (func (export "extreme") (result i32)
    (global.set $sp (i32.sub (global.get $sp) (i32.const -2147483648)))
    (global.get $sp))

  ;; 3: an i64 global: not an i32 update.
  (func (export "wide") (result i64)
    (global.set $wide (i64.add (global.get $wide) (i64.const 1)))
    (global.get $wide))

  (func (export "set_sp") (param i32) (global.set $sp (local.get 0)))

  ;; 5: a global set to a one-operand function of itself (not an update by a constant).
  (func (export "toggle") (result i32)
    (global.set $sp (i32.eqz (global.get $sp)))
    (global.get $sp))

  ;; 6: a branch lands between the epilogue and the return: the two stay apart (with v != 0 the frame stays).
  (func (export "joined") (param $v i32) (result i32) (local $fp i32) (local $r i32)
    (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 16))))
    (local.set $r (i32.shl (local.get $v) (i32.const 1)))
    (block $done
      (br_if $done (local.get $v))
      (global.set $sp (i32.add (local.get $fp) (i32.const 16))))
    (local.get $r))
)

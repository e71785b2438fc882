;; Typed function references (Wasm 3.0): call_ref and return_call_ref, ref.as_non_null, br_on_null and
;; br_on_non_null, non-nullable locals, tables with initializers, globals initialized from earlier globals, and
;; function subtyping (an import or call_indirect of a subtype where its supertype is declared). Imports from
;; typed-references-other.wat as "other".
(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $base (sub (func (result i32))))
  (type $derived (sub $base (func (result i32))))
  (type $countdown (func (param i64) (result i64)))
  (import "other" "add" (func $add (type $binop)))
  ;; A function of type $derived imported as $base: allowed, $derived is a subtype.
  (import "other" "seven" (func $seven (type $base)))
  (import "other" "operators" (table $operators 2 (ref null $binop)))
  (elem declare func $add $count $eight)

  (func $eight (type $derived) (i32.const 8))

  ;; call_ref of a reference given by the caller, of one made here, of null.
  (func (export "apply") (param $f (ref null $binop)) (param i32 i32) (result i32)
    (call_ref $binop (local.get 1) (local.get 2) (local.get $f)))
  (func (export "apply_add") (param i32 i32) (result i32)
    (call_ref $binop (local.get 0) (local.get 1) (ref.func $add)))
  (func (export "apply_null") (result i32)
    (call_ref $binop (i32.const 1) (i32.const 2) (ref.null $binop)))
  (func (export "operator") (param i32) (result (ref null $binop)) (table.get $operators (local.get 0)))
  (func (export "apply_operator") (param i32 i32 i32) (result i32)
    (call_ref $binop (local.get 1) (local.get 2) (table.get $operators (local.get 0))))

  ;; ref.as_non_null traps on null; br_on_null and br_on_non_null branch on it.
  (func (export "as_non_null") (param $r funcref) (result i32)
    (drop (ref.as_non_null (local.get $r))) (i32.const 1))
  (func (export "on_null") (param $r (ref null $base)) (result i32)
    (block $null
      (return (call_ref $base (br_on_null $null (local.get $r)))))
    (i32.const -1))
  (func (export "on_non_null") (param $r (ref null $base)) (result i32)
    (call_ref $base
      (block $some (result (ref $base))
        (br_on_non_null $some (local.get $r))
        (return (i32.const -1)))))
  (func (export "seven_or_eight") (param i32) (result (ref null $base))
    (select (result (ref null $base)) (ref.func $seven) (ref.func $eight) (local.get 0)))

  ;; return_call_ref in a loop of a million calls.
  (func $count (type $countdown)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 42))
      (else (return_call_ref $countdown (i64.sub (local.get 0) (i64.const 1)) (ref.func $count)))))
  (func (export "count") (param i64) (result i64) (call $count (local.get 0)))

  ;; A non-nullable local, set before it is read.
  (func (export "local_init") (result i32) (local $f (ref $base))
    (local.set $f (ref.func $eight))
    (call_ref $base (local.get $f)))

  ;; A table whose elements start as a function, not null; call_indirect of a subtype through its supertype.
  (table $defaults 3 (ref $base) (ref.func $seven))
  (func (export "from_defaults") (param i32) (result i32) (call_ref $base (table.get $defaults (local.get 0))))
  (func (export "set_default") (param i32) (table.set $defaults (local.get 0) (ref.func $eight)))
  (table $funcs 2 funcref)
  (elem (table $funcs) (i32.const 0) func $seven $add)
  (func (export "indirect_base") (param i32) (result i32) (call_indirect $funcs (type $base) (local.get 0)))

  ;; A global initialized from an earlier one (Wasm 3.0).
  (global $forty i32 (i32.const 40))
  (global $forty_two i32 (i32.add (global.get $forty) (i32.const 2)))
  (func (export "forty_two") (result i32) (global.get $forty_two))
)

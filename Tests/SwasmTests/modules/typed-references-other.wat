;; The library for typed-references.wat: functions of a binary operator type and of a subtype, and a table of
;; references of a concrete type.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $base (sub (func (result i32))))
  (type $derived (sub $base (func (result i32))))
  (func $add (export "add") (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (export "sub") (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $seven (export "seven") (type $derived) (i32.const 7))
  ;; A rec group of two function types: its first type is not the same as a lone (func), though equal in shape.
  (rec (type $lonely (func)) (type $pair (func (param i32))))
  (func (export "in_group") (type $lonely))
  (table (export "operators") 2 (ref null $binop))
  (elem (table 0) (i32.const 0) (ref null $binop) (ref.func $add) (ref.func $sub))
)

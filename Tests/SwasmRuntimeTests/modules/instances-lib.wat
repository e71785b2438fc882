;; The library of InstanceSwitchTests: its own functions and table, called from another instance.
(module
  (type $t (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $one $two)
  (func $one (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (func $inner (result i32) i32.const 100)
  ;; A call within this module and an indirect call through this module's table: 100 + table[i]().
  (func (export "lib_call") (param i32) (result i32)
    call $inner
    local.get 0
    call_indirect (type $t)
    i32.add))

;; The application of InstanceSwitchTests: imports the library's function (directly, and through a host function
;; that calls it from outside the Wasm code), then calls its own function and table after each return.
(module
  (type $t (func (result i32)))
  (import "lib" "lib_call" (func $lib_call (param i32) (result i32)))
  (import "host" "callback" (func $callback (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $ten $twenty)
  (func $ten (result i32) i32.const 10)
  (func $twenty (result i32) i32.const 20)
  (func $inner (result i32) i32.const 1000)
  ;; lib_call(i) + 1000 + table[i](), the last two after returning from the other instance.
  (func (export "direct") (param i32) (result i32)
    local.get 0
    call $lib_call
    call $inner
    i32.add
    local.get 0
    call_indirect (type $t)
    i32.add)
  ;; The same through the host function.
  (func (export "through_host") (param i32) (result i32)
    local.get 0
    call $callback
    call $inner
    i32.add
    local.get 0
    call_indirect (type $t)
    i32.add))

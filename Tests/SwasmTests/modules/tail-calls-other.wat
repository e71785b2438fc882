;; The other instance of tail-calls.wat: its own memory, whose byte 0 is 2.
(module
  (memory 1)
  (data (i32.const 0) "\02")
  (func (export "read_memory") (param i32) (result i32) (i32.load8_u (local.get 0))))

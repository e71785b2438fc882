(module
  (import "env" "print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Hello, host!")
  (func (export "greet") (call $print (i32.const 64) (i32.const 12))))

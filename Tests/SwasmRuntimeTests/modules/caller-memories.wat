;; A host function reads the calling instance's memory 1, by index and by its export name (MemoriesTests.swift).
(module
  (import "host" "peek" (func $peek (param i32) (result i32)))
  (memory 1)
  (memory (export "second") 1)
  (data (memory 1) (i32.const 5) "\2a")
  (func (export "run") (result i32) (call $peek (i32.const 5))))

;; A loop that never ends, unbounded recursion and memory growth: what the command-line limits stop (CLITests).
(module
  (memory (export "memory") 1)
  (func (export "spin") (loop $again (br $again)))
  (func $recurse (export "recurse") (param i32) (result i32) (call $recurse (i32.add (local.get 0) (i32.const 1))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "_start")))

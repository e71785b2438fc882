;; Export names that command lines have trouble with: empty, starting with "-", starting with a combining mark.
(module
  (func (export "") (result i32) (i32.const 3))
  (func (export "-dash") (result i32) (i32.const 2))
  (func (export "\cc\81x") (result i32) (i32.const 7)))

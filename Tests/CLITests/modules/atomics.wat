;; An atomic instruction on a non-shared memory: swasm names the proposal it does not implement yet (CLITests).
(module (memory 1) (func (export "_start") (drop (i32.atomic.load (i32.const 0)))))

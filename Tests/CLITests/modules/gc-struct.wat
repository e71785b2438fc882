;; A GC instruction: swasm names the proposal it does not implement yet (CLITests).
(module (type $point (struct (field i32) (field i32)))
  (func (export "_start") (drop (struct.new $point (i32.const 1) (i32.const 2)))))

;; A GC type: swasm names the proposal it does not implement yet (CLITests).
(module (type $point (struct (field i32) (field i32))) (func (export "_start")))

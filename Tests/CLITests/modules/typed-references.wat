;; A typed function reference instruction: swasm names the proposal it does not implement yet (CLITests).
(module (func (export "_start") (param funcref) (drop (ref.as_non_null (local.get 0)))))

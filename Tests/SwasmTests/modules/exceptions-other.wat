;; The exporter of a tag and of a function that throws it (exceptions.wat imports both): a tag imported from another
;; module is that module's tag.
(module
  (tag $e (export "e") (param i32))
  (func (export "throw_e") (param i32) (throw $e (local.get 0))))

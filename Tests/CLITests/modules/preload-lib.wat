(module (memory (export "mem") 1) (global (export "g") (mut i32) (i32.const 5))
  (func (export "put") (param i32 i32) (i32.store (local.get 0) (local.get 1))))

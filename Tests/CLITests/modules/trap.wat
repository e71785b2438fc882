(module
  (func $inner (export "inner") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "mulf") (param f64 f32) (result f64) (f64.mul (local.get 0) (f64.promote_f32 (local.get 1)))))

;; v128 arguments and results on the command line (--invoke), and SIMD code through the cache and bundles.
(module
  (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "splat") (param i32) (result v128) (i32x4.splat (local.get 0)))
  ;; The sum of i16 products of two constant vectors, through a dot product and lane extraction.
  (func (export "dot") (result i32)
    (local $d v128)
    (local.set $d (i32x4.dot_i16x8_s (v128.const i16x8 1 2 3 4 5 6 7 8) (v128.const i16x8 8 7 6 5 4 3 2 1)))
    (i32.add (i32.add (i32x4.extract_lane 0 (local.get $d)) (i32x4.extract_lane 1 (local.get $d)))
             (i32.add (i32x4.extract_lane 2 (local.get $d)) (i32x4.extract_lane 3 (local.get $d))))))

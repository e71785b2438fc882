;; v128 values crossing the embedding API: typed and untyped calls, globals, a host function, several results.
(module
  (import "env" "mix" (func $mix (param v128 i32 v128) (result v128)))
  (global $vec (export "vec") (mut v128) (v128.const i32x4 1 2 3 4))
  (global (export "fixed") v128 (v128.const i64x2 -1 7))
  (func (export "add") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  ;; The four i32 lanes summed.
  (func (export "sum") (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))
  ;; Calls the host with a v128 between scalars, and the global.
  (func (export "through_host") (param v128 i32) (result v128)
    (call $mix (local.get 0) (local.get 1) (global.get $vec)))
  (func (export "bump")
    (global.set $vec (i32x4.add (global.get $vec) (v128.const i32x4 1 1 1 1))))
  ;; v128 results among scalar ones, in reverse order of the parameters.
  (func (export "swap") (param i32 v128 i64) (result i64 v128 i32)
    (local.get 2) (local.get 1) (local.get 0))
  (func (export "choose") (param v128 v128 i32) (result v128)
    (select (local.get 0) (local.get 1) (local.get 2)))
  ;; A v128 through a block result, a loop parameter and a local.
  (func (export "loop") (param $v v128) (param $n i32) (result v128)
    (local $acc v128)
    (local.set $acc (block (result v128) (local.get $v)))
    (loop $again
      (local.set $acc (i8x16.add (local.get $acc) (local.get $v)))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again))
    (local.get $acc))
)

;; Five memories (memory 0 64-bit, the others 32-bit) and a 64-bit table: MemoriesTests.swift.
(module
  (memory $m64 i64 1 70000)
  (memory $m32 1 2)
  (memory $a 1)
  (memory $b 1)
  (memory $c 1)
  (table $t i64 2 3 funcref)
  (elem (table $t) (i64.const 1) func $seven)
  (type $nothing_to_i32 (func (result i32)))
  (export "m64" (memory $m64))
  (export "m32" (memory $m32))

  (func $seven (result i32) (i32.const 7))

  ;; 64-bit memory 0: byte and 8-byte accesses at any address, with a static offset.
  (func (export "load8_64") (param i64) (result i32) (i32.load8_u $m64 (local.get 0)))
  (func (export "store8_64") (param i64 i32) (i32.store8 $m64 (local.get 0) (local.get 1)))
  (func (export "load64_64") (param i64) (result i64) (i64.load $m64 (local.get 0)))
  (func (export "load8_64_huge_offset") (param i64) (result i32)
    (i32.load8_u $m64 offset=0xFFFFFFFFFFFFFFF0 (local.get 0)))
  (func (export "size64") (result i64) (memory.size $m64))
  (func (export "grow64") (param i64) (result i64) (memory.grow $m64 (local.get 0)))

  ;; A 32-bit memory that is not memory 0: checked accesses.
  (func (export "load32_1") (param i32) (result i32) (i32.load $m32 (local.get 0)))
  (func (export "store32_1") (param i32 i32) (i32.store $m32 (local.get 0) (local.get 1)))
  (func (export "load8_1_offset") (param i32) (result i32) (i32.load8_u $m32 offset=0xFFFFFFFF (local.get 0)))
  (func (export "size32") (result i32) (memory.size $m32))
  (func (export "grow32") (param i32) (result i32) (memory.grow $m32 (local.get 0)))

  ;; memory.copy both ways between a 32-bit and a 64-bit memory (the count is an i32), fill and init.
  (func (export "copy_32_to_64") (param i64 i32 i32) (memory.copy $m64 $m32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_64_to_32") (param i32 i64 i32) (memory.copy $m32 $m64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill64") (param i64 i32 i64) (memory.fill $m64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init64") (param i64 i32 i32) (memory.init $m64 $hello (local.get 0) (local.get 1) (local.get 2)))
  (data $hello "hello")

  ;; The three other memories: the same address in each holds its own value.
  (func (export "store_each") (param i32)
    (i32.store $a (local.get 0) (i32.const 10))
    (i32.store $b (local.get 0) (i32.const 20))
    (i32.store $c (local.get 0) (i32.const 30)))
  (func (export "sum_each") (param i32) (result i32)
    (i32.add (i32.load $a (local.get 0)) (i32.add (i32.load $b (local.get 0)) (i32.load $c (local.get 0)))))

  ;; SIMD on the 64-bit memory.
  (func (export "v128_roundtrip_64") (param i64 i64)
    (v128.store $m64 (local.get 1) (v128.load $m64 (local.get 0))))
  (func (export "v128_lane_64") (param i64) (result i32)
    (i8x16.extract_lane_u 3 (v128.load32_lane $m64 0 (local.get 0) (v128.const i32x4 0 0 0 0))))

  ;; The 64-bit table.
  (func (export "call64") (param i64) (result i32) (call_indirect $t (type $nothing_to_i32) (local.get 0)))
  (func (export "table_grow64") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "table_size64") (result i64) (table.size $t))
)

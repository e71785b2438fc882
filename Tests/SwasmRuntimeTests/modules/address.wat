;; Stores whose address (an i32.add of a constant) is computed before their value: the add moves into the store
;; (i32_store_add and friends) unless something between could change what it computed. Each function stores, then
;; returns what the intended address holds. Function indices are used by StoreAddressTests.
(module
  (memory 1)
  (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))

  ;; 1: the value is computed after the address: one i32_store_add.
  (func (export "computed") (param $p i32) (param $v i32) (result i32)
    (i32.store offset=4 (i32.add (local.get $p) (i32.const 8)) (i32.xor (local.get $v) (i32.const 255)))
    (i32.load offset=12 (local.get $p)))

  ;; 2: the value's computation writes the add's operand ($p): the add must run before it.
  (func (export "base_rewritten") (param $p i32) (param $v i32) (param $q i32) (result i32)
    (i32.store (i32.add (local.get $p) (i32.const 8)) (local.tee $p (i32.add (local.get $v) (i32.const 1))))
    (i32.load offset=8 (local.get $q)))

  ;; 3: a call between the address and the store.
  (func (export "call_between") (param $p i32) (param $v i32) (result i32)
    (i32.store (i32.add (local.get $p) (i32.const 16)) (call $square (local.get $v)))
    (i32.load offset=16 (local.get $p)))

  ;; 4: a branch between the address and the store.
  (func (export "branch_between") (param $p i32) (param $v i32) (result i32)
    (i32.store (i32.add (local.get $p) (i32.const 20))
      (if (result i32) (local.get $v) (then (i32.const 7)) (else (i32.const 9))))
    (i32.load offset=20 (local.get $p)))

  ;; 5: the address wraps around 2^32 before the static offset applies, for every store width.
  (func (export "wrapping") (param $p i32) (param $v i64) (result i64)
    (i64.store offset=8 (i32.add (local.get $p) (i32.const 32)) (i64.mul (local.get $v) (local.get $v)))
    (i32.store8 offset=1 (i32.add (local.get $p) (i32.const 48)) (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 8))))
    (f64.store (i32.add (local.get $p) (i32.const 56)) (f64.sqrt (f64.convert_i64_u (local.get $v))))
    (i64.add (i64.load offset=8 (i32.add (local.get $p) (i32.const 32)))
      (i64.add (i64.load8_u offset=1 (i32.add (local.get $p) (i32.const 48)))
        (i64.trunc_f64_u (f64.load (i32.add (local.get $p) (i32.const 56)))))))

  ;; 6: the value's computation traps (an out-of-bounds load): nothing is stored.
  (func (export "trap_between") (param $p i32) (param $far i32) (result i32)
    (i32.store (i32.add (local.get $p) (i32.const 24)) (i32.load (local.get $far)))
    (i32.load offset=24 (local.get $p)))
  (func (export "peek") (param $p i32) (result i32) (i32.load (local.get $p)))
;; 8: x += e on an i32 in memory, the sum kept in a local (a running total): one i32_add_to_mem per element.
  (func (export "running_total") (param $p i32) (param $n i32) (result i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (i32.store (local.get $p) (local.tee $s (i32.add (i32.load (local.get $p)) (local.get $s))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $s))
  ;; 9: the same on an i64, the sum not kept (the operands in the other order).
  (func (export "add_to_i64") (param $p i32) (param $e i64) (result i64)
    (i64.store offset=8 (local.get $p) (i64.add (local.get $e) (i64.load offset=8 (local.get $p))))
    (i64.load offset=8 (local.get $p)))
  ;; 10: loaded from one place, stored to another: no fusion.
  (func (export "add_elsewhere") (param $p i32) (param $e i32) (result i32)
    (i32.store offset=4 (local.get $p) (i32.add (i32.load (local.get $p)) (local.get $e)))
    (i32.load offset=4 (local.get $p)))
;; 11: three 8-byte moves between the same registers, offsets 8 apart: one mem_move64_run (descending).
  (func (export "copy24_down") (param $to i32) (param $from i32)
    (i64.store offset=16 (local.get $to) (i64.load offset=16 (local.get $from)))
    (i64.store offset=8 (local.get $to) (i64.load offset=8 (local.get $from)))
    (i64.store (local.get $to) (i64.load (local.get $from))))
  ;; 12: ascending, and used on overlapping places: each move sees the ones before it.
  (func (export "copy24_up") (param $to i32) (param $from i32)
    (i64.store (local.get $to) (i64.load (local.get $from)))
    (i64.store offset=8 (local.get $to) (i64.load offset=8 (local.get $from)))
    (i64.store offset=16 (local.get $to) (i64.load offset=16 (local.get $from))))
  (func (export "poke64") (param $p i32) (param $v i64) (i64.store (local.get $p) (local.get $v)))
  (func (export "peek64") (param $p i32) (result i64) (i64.load (local.get $p)))
)

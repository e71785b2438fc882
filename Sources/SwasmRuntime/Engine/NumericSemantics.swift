// Wasm numeric semantics that are more than one Swift operator. Used by the generated handler bodies.

@inline(__always) func s32(_ v: UInt32) -> Int32 { Int32(bitPattern: v) }
@inline(__always) func s64(_ v: UInt64) -> Int64 { Int64(bitPattern: v) }
@inline(__always) func b2i(_ c: Bool) -> UInt32 { c ? 1 : 0 }

@inline(__always) func wasmRotl32(_ a: UInt32, _ b: UInt32) -> UInt32 { let k = b & 31; return (a << k) | (a >> ((32 - k) & 31)) }
@inline(__always) func wasmRotr32(_ a: UInt32, _ b: UInt32) -> UInt32 { let k = b & 31; return (a >> k) | (a << ((32 - k) & 31)) }
@inline(__always) func wasmRotl64(_ a: UInt64, _ b: UInt64) -> UInt64 { let k = b & 63; return (a << k) | (a >> ((64 - k) & 63)) }
@inline(__always) func wasmRotr64(_ a: UInt64, _ b: UInt64) -> UInt64 { let k = b & 63; return (a >> k) | (a << ((64 - k) & 63)) }

// Division: nil means trap; `divisionTrap` says which.
@inline(__always) func wasmDivS32(_ a: UInt32, _ b: UInt32) -> UInt32? {
  if b == 0 || (a == 0x8000_0000 && b == 0xFFFF_FFFF) { return nil }
  return UInt32(bitPattern: s32(a) / s32(b))
}
@inline(__always) func wasmDivU32(_ a: UInt32, _ b: UInt32) -> UInt32? { b == 0 ? nil : a / b }
@inline(__always) func wasmRemS32(_ a: UInt32, _ b: UInt32) -> UInt32? {
  if b == 0 { return nil }
  if b == 0xFFFF_FFFF { return 0 }
  return UInt32(bitPattern: s32(a) % s32(b))
}
@inline(__always) func wasmRemU32(_ a: UInt32, _ b: UInt32) -> UInt32? { b == 0 ? nil : a % b }
@inline(__always) func wasmDivS64(_ a: UInt64, _ b: UInt64) -> UInt64? {
  if b == 0 || (a == 0x8000_0000_0000_0000 && b == UInt64.max) { return nil }
  return UInt64(bitPattern: s64(a) / s64(b))
}
@inline(__always) func wasmDivU64(_ a: UInt64, _ b: UInt64) -> UInt64? { b == 0 ? nil : a / b }
@inline(__always) func wasmRemS64(_ a: UInt64, _ b: UInt64) -> UInt64? {
  if b == 0 { return nil }
  if b == UInt64.max { return 0 }
  return UInt64(bitPattern: s64(a) % s64(b))
}
@inline(__always) func wasmRemU64(_ a: UInt64, _ b: UInt64) -> UInt64? { b == 0 ? nil : a % b }

@inline(never) func divisionTrap<T: BinaryInteger>(_ a: T, _ b: T) -> TrapCode {
  b == 0 ? .integerDivideByZero : .integerOverflow
}
@inline(never) func conversionTrap(_ a: Double) -> TrapCode {
  a.isNaN ? .invalidConversionToInteger : .integerOverflow
}

// Float min/max: NaN if either is NaN; -0 is less than +0.
@inline(__always) func wasmMin<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
  if a.isNaN || b.isNaN { return a + b }
  if a == b { return a.sign == .minus ? a : b }
  return a < b ? a : b
}
@inline(__always) func wasmMax<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
  if a.isNaN || b.isNaN { return a + b }
  if a == b { return a.sign == .minus ? b : a }
  return a > b ? a : b
}

// Float-to-int truncation. Every f32 is exactly representable as a Double, so one set serves both widths.
@inline(__always) func wasmTruncToS32(_ x: Double) -> UInt32? {
  guard x > -2147483649.0 && x < 2147483648.0 else { return nil }  // also false for NaN
  return UInt32(bitPattern: Int32(x))
}
@inline(__always) func wasmTruncToU32(_ x: Double) -> UInt32? {
  guard x > -1.0 && x < 4294967296.0 else { return nil }
  return UInt32(x)
}
@inline(__always) func wasmTruncToS64(_ x: Double) -> UInt64? {
  guard x >= -9223372036854775808.0 && x < 9223372036854775808.0 else { return nil }
  return UInt64(bitPattern: Int64(x))
}
@inline(__always) func wasmTruncToU64(_ x: Double) -> UInt64? {
  guard x > -1.0 && x < 18446744073709551616.0 else { return nil }
  return UInt64(x)
}
@inline(__always) func wasmTruncSatS32(_ x: Double) -> UInt32 {
  if x.isNaN { return 0 }
  return wasmTruncToS32(x) ?? (x < 0 ? UInt32(bitPattern: Int32.min) : UInt32(bitPattern: Int32.max))
}
@inline(__always) func wasmTruncSatU32(_ x: Double) -> UInt32 {
  if x.isNaN { return 0 }
  return wasmTruncToU32(x) ?? (x < 0 ? 0 : UInt32.max)
}
@inline(__always) func wasmTruncSatS64(_ x: Double) -> UInt64 {
  if x.isNaN { return 0 }
  return wasmTruncToS64(x) ?? (x < 0 ? UInt64(bitPattern: Int64.min) : UInt64(bitPattern: Int64.max))
}
@inline(__always) func wasmTruncSatU64(_ x: Double) -> UInt64 {
  if x.isNaN { return 0 }
  return wasmTruncToU64(x) ?? (x < 0 ? 0 : UInt64.max)
}

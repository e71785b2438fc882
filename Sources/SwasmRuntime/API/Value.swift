import WasmBinary

/// A Wasm value as the host sees it. Floats are kept as IEEE-754 bit patterns so NaN payloads survive.
public enum Value: Hashable, CustomStringConvertible, Sendable {
  /// A 32-bit integer, as its bit pattern (`.i32(UInt32(bitPattern: x))` for an `Int32`).
  case i32(UInt32)
  /// A 64-bit integer, as its bit pattern (`.i64(UInt64(bitPattern: x))` for an `Int64`).
  case i64(UInt64)
  /// A 32-bit float, as its IEEE-754 bit pattern (`.f32(x.bitPattern)` for a `Float`).
  case f32(UInt32)
  /// A 64-bit float, as its IEEE-754 bit pattern (`.f64(x.bitPattern)` for a `Double`).
  case f64(UInt64)
  /// `nil` is `ref.null func`; otherwise an opaque identity of a function in its store.
  case funcref(UInt64?)
  /// `nil` is `ref.null extern`; otherwise the host's value.
  case externref(UInt64?)
  /// An `externref` that is a reference of the `any` hierarchy turned into one (`extern.convert_any`): an i31 or a
  /// GC object, alive while the host holds it. Passed back in, it is the same reference (`any.convert_extern`
  /// turns it back).
  case externalizedAnyref(GCReference)
  /// A SIMD vector (16 bytes).
  case v128(V128)
  /// `nil` is `ref.null exn`; otherwise an exception (see `WasmException`).
  case exnref(WasmException?)
  /// A reference of the `any` hierarchy (`anyref`, `eqref`, `structref`, ..., `nullref`): `nil` is null; otherwise
  /// an i31 or a GC object, which stays alive while the host holds it (see `GCReference`).
  case anyref(GCReference?)

  /// The value's Wasm type.
  public var type: ValueType {
    switch self {
    case .i32: return .i32
    case .i64: return .i64
    case .f32: return .f32
    case .f64: return .f64
    case .funcref: return .funcref
    case .externref, .externalizedAnyref: return .externref
    case .v128: return .v128
    case .exnref: return .exnref
    case .anyref: return .ref(RefType(nullable: true, .any))
    }
  }

  /// The type and the value, for messages: `i32:-1`, `f64:1.5 (0x3ff8000000000000)`, `funcref:null`.
  public var description: String {
    switch self {
    case .i32(let v): return "i32:\(Int32(bitPattern: v))"
    case .i64(let v): return "i64:\(Int64(bitPattern: v))"
    case .f32(let v): return "f32:\(Float(bitPattern: v)) (0x\(String(v, radix: 16)))"
    case .f64(let v): return "f64:\(Double(bitPattern: v)) (0x\(String(v, radix: 16)))"
    case .funcref(let r): return r.map { "funcref:\($0)" } ?? "funcref:null"
    case .externref(let r): return r.map { "externref:\($0)" } ?? "externref:null"
    case .externalizedAnyref(let r): return "externref:anyref:\(r)"
    case .v128(let v): return "v128:\(v)"
    case .exnref(let e): return e.map { "exnref:\($0.tag.name)" } ?? "exnref:null"
    case .anyref(let r): return r.map { "anyref:\($0)" } ?? "anyref:null"
    }
  }

  /// The zero value of a type (what locals and new table slots start with): null for a reference type. A type
  /// index (a concrete heap type) is taken as a function type's: the index alone does not say more.
  public static func zero(_ type: ValueType) -> Value {
    switch type {
    case .i32: return .i32(0)
    case .i64: return .i64(0)
    case .f32: return .f32(0)
    case .f64: return .f64(0)
    case .v128: return .v128(V128(low: 0, high: 0))
    case .ref(let r):
      guard case .abstract(let a) = r.heapType else { return .funcref(nil) }
      switch a.top {
      case .extern: return .externref(nil)
      case .exn: return .exnref(nil)
      case .any: return .anyref(nil)
      default: return .funcref(nil)
      }
    }
  }
}

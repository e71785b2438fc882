import SwasmRuntime
import WasmBinary

/// A value as the spec suite's JSON writes it: `{"type": "i32", "value": "-1"}` (see ../shared/spectest/README.md).
enum SpecValue {
  case exact(Value)
  case canonicalNaN32, arithmeticNaN32, canonicalNaN64, arithmeticNaN64
  /// Any non-null reference of the type (funcref, externref, exnref, or `anyref` for the any hierarchy).
  case anyNonNull(ValueType)
  /// Any null reference (`refnull`).
  case anyNull
  /// `ref.host N`: the host value N as an anyref (what `any.convert_extern` makes of `ref.extern N`).
  case hostInAny(UInt64)
  /// A v128 given lane by lane (`lane_type` i8, i16, i32, i64, f32 or f64), where a float lane may be a NaN pattern.
  case vector(lanes: [Lane], laneBits: Int)
  /// Any one of these (relaxed SIMD results).
  case either([SpecValue])
  /// Something this engine cannot represent yet: the command is skipped.
  case unsupported(String)

  /// One lane of an expected v128: its exact bits, or a NaN pattern (canonical or arithmetic).
  enum Lane {
    case bits(UInt64)
    case canonicalNaN, arithmeticNaN
  }

  init(json: [String: Any]) throws {
    guard let type = json["type"] as? String else { throw SpecError("value without a type") }
    let text = json["value"] as? String
    switch (type, text) {
    case ("i32", let s?): self = .exact(.i32(UInt32(truncatingIfNeeded: try parseInteger(s))))
    case ("i64", let s?): self = .exact(.i64(try parseInteger(s)))
    case ("f32", "nan:canonical"): self = .canonicalNaN32
    case ("f32", "nan:arithmetic"): self = .arithmeticNaN32
    case ("f64", "nan:canonical"): self = .canonicalNaN64
    case ("f64", "nan:arithmetic"): self = .arithmeticNaN64
    case ("f32", let s?): self = .exact(.f32(UInt32(truncatingIfNeeded: try parseInteger(s))))
    case ("f64", let s?): self = .exact(.f64(try parseInteger(s)))
    case ("funcref", "null"): self = .exact(.funcref(nil))
    case ("externref", "null"): self = .exact(.externref(nil))
    case ("externref", let s?): self = .exact(.externref(try parseInteger(s)))
    case ("exnref", "null"): self = .exact(.exnref(nil))
    case ("funcref", nil): self = .anyNonNull(.funcref)
    case ("externref", nil): self = .anyNonNull(.externref)
    case ("exnref", nil): self = .anyNonNull(.exnref)
    case ("anyref", "null"), ("eqref", "null"), ("structref", "null"), ("arrayref", "null"), ("i31ref", "null"),
         ("nullref", _):
      self = .exact(.anyref(nil))
    case ("anyref", nil), ("eqref", nil), ("structref", nil), ("arrayref", nil), ("i31ref", nil):
      self = .anyNonNull(Self.anyHierarchy)
    case ("anyref", let s?): self = .hostInAny(try parseInteger(s))
    case ("nullfuncref", _): self = .exact(.funcref(nil))
    case ("nullexternref", _): self = .exact(.externref(nil))
    case ("nullexnref", _): self = .exact(.exnref(nil))
    case ("refnull", _): self = .anyNull
    case ("v128", _): self = try Self.vector(json)
    case ("either", _):
      guard let values = json["values"] as? [[String: Any]] else { throw SpecError("either without values") }
      self = .either(try values.map(SpecValue.init(json:)))
    default: self = .unsupported(type)
    }
  }

  private static func vector(_ json: [String: Any]) throws -> SpecValue {
    guard let laneType = json["lane_type"] as? String, let texts = json["value"] as? [String],
          let bits = ["i8": 8, "i16": 16, "i32": 32, "i64": 64, "f32": 32, "f64": 64][laneType], texts.count * bits == 128
    else { throw SpecError("malformed v128 value") }
    let lanes = try texts.map { text -> Lane in
      switch text {
      case "nan:canonical": return .canonicalNaN
      case "nan:arithmetic": return .arithmeticNaN
      default:
        let value = try parseInteger(text)
        return .bits(bits == 64 ? value : value & ((1 << UInt64(bits)) - 1))
      }
    }
    return .vector(lanes: lanes, laneBits: bits)
  }

  /// The lanes packed into a v128 (NaN patterns, which only expected values have, as zero).
  static func pack(_ lanes: [Lane], laneBits: Int) -> V128 {
    var bytes: [UInt8] = []
    for lane in lanes {
      guard case .bits(let value) = lane else {
        bytes += repeatElement(0, count: laneBits / 8)
        continue
      }
      for i in 0..<laneBits / 8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }
    return V128(bytes: bytes)
  }

  static let anyHierarchy = ValueType.ref(RefType(nullable: true, .any))

  /// As an argument: a bare reference type means null. `store` boxes host values in anyrefs.
  func argument(in store: Store) throws -> Value {
    switch self {
    case .exact(let v): return v
    case .hostInAny(let n): return .anyref(try store.anyReference(boxing: n))
    case .anyNonNull(.funcref): return .funcref(nil)
    case .anyNonNull(.exnref): return .exnref(nil)
    case .anyNonNull(Self.anyHierarchy): return .anyref(nil)
    case .anyNonNull: return .externref(nil)
    case .vector(let lanes, let bits): return .v128(Self.pack(lanes, laneBits: bits))
    default: throw SpecError("not an argument value: \(self)")
    }
  }

  func matches(_ v: Value) -> Bool {
    switch (self, v) {
    case (.exact(.f32(let e)), .f32(let g)): return e == g
    case (.exact(.f64(let e)), .f64(let g)): return e == g
    case (.exact(let e), _): return e == v
    case (.canonicalNaN32, .f32(let g)): return g & 0x7FFF_FFFF == 0x7FC0_0000
    case (.arithmeticNaN32, .f32(let g)): return g & 0x7FC0_0000 == 0x7FC0_0000
    case (.canonicalNaN64, .f64(let g)): return g & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000
    case (.arithmeticNaN64, .f64(let g)): return g & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000
    case (.anyNonNull(.funcref), .funcref(let r)): return r != nil
    case (.anyNonNull(.externref), .externref(let r)): return r != nil
    case (.anyNonNull(.externref), .externalizedAnyref): return true
    case (.anyNonNull(.exnref), .exnref(let r)): return r != nil
    case (.anyNonNull(Self.anyHierarchy), .anyref(let r)): return r != nil
    case (.hostInAny(let n), .anyref(let r?)): return r.boxedValue == n
    case (.anyNull, .funcref(nil)), (.anyNull, .externref(nil)), (.anyNull, .exnref(nil)), (.anyNull, .anyref(nil)):
      return true
    case (.vector(let lanes, let laneBits), .v128(let v)):
      let bytes = v.bytes, width = laneBits / 8
      for (i, lane) in lanes.enumerated() {
        var got: UInt64 = 0
        for b in 0..<width { got |= UInt64(bytes[i * width + b]) << (8 * UInt64(b)) }
        switch (lane, laneBits) {
        case (.bits(let e), _): if e != got { return false }
        case (.canonicalNaN, 32): if got & 0x7FFF_FFFF != 0x7FC0_0000 { return false }
        case (.arithmeticNaN, 32): if got & 0x7FC0_0000 != 0x7FC0_0000 { return false }
        case (.canonicalNaN, _): if got & 0x7FFF_FFFF_FFFF_FFFF != 0x7FF8_0000_0000_0000 { return false }
        case (.arithmeticNaN, _): if got & 0x7FF8_0000_0000_0000 != 0x7FF8_0000_0000_0000 { return false }
        }
      }
      return true
    case (.either(let options), _): return options.contains { $0.matches(v) }
    default: return false
    }
  }

  var isSupported: Bool {
    switch self {
    case .unsupported: return false
    case .either(let options): return options.allSatisfy(\.isSupported)
    default: return true
    }
  }
}

extension SpecValue: CustomStringConvertible {
  var description: String {
    switch self {
    case .exact(let v): return v.description
    case .canonicalNaN32: return "f32:nan:canonical"
    case .arithmeticNaN32: return "f32:nan:arithmetic"
    case .canonicalNaN64: return "f64:nan:canonical"
    case .arithmeticNaN64: return "f64:nan:arithmetic"
    case .anyNonNull(let type): return "\(type):non-null"
    case .anyNull: return "ref.null"
    case .hostInAny(let n): return "ref.host \(n)"
    case .vector(let lanes, let bits):
      let texts = lanes.map { lane -> String in
        switch lane {
        case .bits(let b): return String(b)
        case .canonicalNaN: return "nan:canonical"
        case .arithmeticNaN: return "nan:arithmetic"
        }
      }
      return "v128:\(bits == 32 || bits == 64 ? "" : "i")\(bits)x\(128 / bits)[\(texts.joined(separator: " "))]"
    case .either(let options): return "either(\(options.map(\.description).joined(separator: ", ")))"
    case .unsupported(let t): return "\(t) (unsupported)"
    }
  }
}

/// Integers are written signed (wasm-tools) or unsigned (WABT); either way they are taken modulo 2^64.
func parseInteger(_ s: String) throws -> UInt64 {
  if let v = UInt64(s) { return v }
  if let v = Int64(s) { return UInt64(bitPattern: v) }
  throw SpecError("not an integer: \(s)")
}

struct SpecError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

import SwasmRuntime

/// A value as the spec suite's JSON writes it: `{"type": "i32", "value": "-1"}` (see ../shared/spectest/README.md).
enum SpecValue {
  case exact(Value)
  case canonicalNaN32, arithmeticNaN32, canonicalNaN64, arithmeticNaN64
  /// Any non-null reference of the type.
  case anyNonNull(funcref: Bool)
  /// Something this engine cannot represent yet (v128): the command is skipped.
  case unsupported(String)

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
    case ("funcref", nil): self = .anyNonNull(funcref: true)
    case ("externref", nil): self = .anyNonNull(funcref: false)
    default: self = .unsupported(type)
    }
  }

  /// As an argument: a bare reference type means null.
  func argument() throws -> Value {
    switch self {
    case .exact(let v): return v
    case .anyNonNull(let funcref): return funcref ? .funcref(nil) : .externref(nil)
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
    case (.anyNonNull(true), .funcref(let r)): return r != nil
    case (.anyNonNull(false), .externref(let r)): return r != nil
    default: return false
    }
  }

  var isSupported: Bool {
    if case .unsupported = self { return false }
    return true
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
    case .anyNonNull(let funcref): return funcref ? "funcref:non-null" : "externref:non-null"
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

/// Generic JSON, decoded with JSONDecoder. (JSONSerialization on Linux drops a U+FEFF inside strings, and the
/// suite has an export named "\u{FEFF}".) `plain` turns it into String / Int / Double / Bool / arrays / dictionaries.
enum JSONValue: Decodable {
  case string(String)
  case number(Double)
  case bool(Bool)
  case array([JSONValue])
  case object([String: JSONValue])
  case null

  init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  var plain: Any {
    switch self {
    case .string(let s): return s
    case .number(let n): return n.rounded() == n && abs(n) < 1e15 ? Int(n) as Any : n
    case .bool(let b): return b
    case .array(let a): return a.map(\.plain)
    case .object(let o): return o.mapValues(\.plain)
    case .null: return NSNullMarker()
    }
  }
}

struct NSNullMarker {}

/// Builds Wasm modules byte by byte, for tests that need modules too large to keep as files (deep operand stacks,
/// tens of thousands of locals): types, functions with their bodies' bytes, a memory, a funcref table holding
/// every function, exports.
public struct ModuleBuilder {
  public enum ValType: UInt8 { case i32 = 0x7F, i64 = 0x7E, f32 = 0x7D, f64 = 0x7C, v128 = 0x7B }

  var types: [[UInt8]] = []
  var functions: [(type: Int, locals: [(count: Int, type: ValType)], body: [UInt8], export: String?)] = []
  public var memoryPages: Int?
  public var tableOfAllFunctions = false

  public init() {}

  /// The index of the function type (params) -> (results), added if new.
  public mutating func type(_ params: [ValType], _ results: [ValType]) -> Int {
    let encoded = [0x60] + uleb(params.count) + params.map(\.rawValue) + uleb(results.count) + results.map(\.rawValue)
    if let i = types.firstIndex(of: encoded) { return i }
    types.append(encoded)
    return types.count - 1
  }

  /// Adds a function; `body` is its instructions, the final `end` included. Returns its index.
  @discardableResult
  public mutating func function(_ type: Int, locals: [(count: Int, type: ValType)] = [], export: String? = nil,
                                body: [UInt8]) -> Int {
    functions.append((type, locals, body, export))
    return functions.count - 1
  }

  public var bytes: [UInt8] {
    func section(_ id: UInt8, _ body: [UInt8]) -> [UInt8] { [id] + uleb(body.count) + body }
    var out: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
    out += section(1, uleb(types.count) + types.flatMap { $0 })
    out += section(3, uleb(functions.count) + functions.flatMap { uleb($0.type) })
    if tableOfAllFunctions { out += section(4, [1, 0x70, 0x00] + uleb(functions.count)) }
    if let memoryPages { out += section(5, [1, 0x00] + uleb(memoryPages)) }
    let exported = functions.enumerated().compactMap { i, f in f.export.map { (i, $0) } }
    out += section(7, uleb(exported.count) + exported.flatMap { i, name in uleb(name.utf8.count) + Array(name.utf8) + [0x00] + uleb(i) })
    if tableOfAllFunctions {
      out += section(9, [1, 0x00, 0x41, 0x00, 0x0B] + uleb(functions.count) + functions.indices.flatMap { uleb($0) })
    }
    out += section(10, uleb(functions.count) + functions.flatMap { f in
      let body = uleb(f.locals.count) + f.locals.flatMap { uleb($0.count) + [$0.type.rawValue] } + f.body
      return uleb(body.count) + body
    })
    return out
  }
}

public func uleb(_ value: Int) -> [UInt8] {
  var v = value, out: [UInt8] = []
  repeat {
    var byte = UInt8(v & 0x7F)
    v >>= 7
    if v != 0 { byte |= 0x80 }
    out.append(byte)
  } while v != 0
  return out
}

public func sleb(_ value: Int64) -> [UInt8] {
  var v = value, out: [UInt8] = []
  while true {
    let byte = UInt8(v & 0x7F)
    v >>= 7
    if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) { return out + [byte] }
    out.append(byte | 0x80)
  }
}

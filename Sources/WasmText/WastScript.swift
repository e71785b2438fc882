import WasmBinary

/// A `.wast` script (the spec suite's format: modules, actions and assertions) read into commands of the same
/// shape as the suite's JSON command files (../shared/spectest/README.md), so one driver runs both. Modules come
/// as `module_bytes` (their binary), or `module_quote` (the bytes of `(module quote ...)`'s text, parsed when the command
/// runs: a malformed-text assertion expects that parse to fail). A module that does not parse gives its command
/// a `parse_error` instead.
public enum WastScript {
  /// `features` as for `WAT.parse`. Throws `TextError` for text that is not UTF-8, or not a script.
  public static func commands(bytes: [UInt8], features: WasmFeatures = .all) throws -> [[String: Any]] {
    guard let text = String(validating: bytes, as: UTF8.self) else { throw WAT.malformedUTF8(bytes) }
    return try commands(text, features: features)
  }

  public static func commands(_ text: String, features: WasmFeatures = .all) throws -> [[String: Any]] {
    var cursor = try WAT.cursor(over: text)
    if let first = cursor.groupKeyword, ModuleParser.fieldKeywords.contains(first) {
      // A script of bare module fields is one module.
      let line = cursor.current!.line
      return [["type": "module", "line": line, "module_bytes": try ModuleParser(cursor: cursor, features: features).parseAll()]]
    }
    var commands: [[String: Any]] = []
    while !cursor.atEnd {
      let start = cursor.index
      guard let keyword = cursor.groupKeyword else { throw cursor.expected("a command") }
      var command: [String: Any] = ["line": cursor.current!.line]
      do {
        cursor.index += 2
        command.merge(try self.command(String(keyword), &cursor, features)) { $1 }
        try cursor.expectRightParen()
      } catch let error as TextError {
        command["type"] = command["type"] ?? commandType(String(keyword))
        command["parse_error"] = error.description
        cursor.index = start + 1
        try cursor.skipGroupRest()
      }
      commands.append(command)
    }
    return commands
  }

  /// The JSON type of a command keyword.
  private static func commandType(_ keyword: String) -> String {
    ["invoke": "action", "get": "action"][keyword] ?? keyword
  }

  private static func command(_ keyword: String, _ cursor: inout TokenCursor, _ features: WasmFeatures) throws -> [String: Any] {
    switch keyword {
    case "module":
      var command = try module(&cursor, features)
      if command["definition"] != nil {
        command["type"] = "module_definition"
      } else if let instance = command["instance_of"] {
        return ["type": "module_instance", "instance": command["name"] as Any, "module": instance]
      } else {
        command["type"] = "module"
      }
      return command
    case "register":
      var command: [String: Any] = ["type": "register", "as": String(decoding: try cursor.takeString(), as: UTF8.self)]
      if let name = cursor.takeID() { command["name"] = name }
      return command
    case "invoke", "get":
      // The action is the whole command: read it from its `(`, and leave its `)` for the caller.
      cursor.index -= 2
      let action = try self.action(&cursor)
      cursor.index -= 1
      return ["type": "action", "action": action]
    case "assert_return":
      let action = try self.action(&cursor)
      var expected: [[String: Any]] = []
      while cursor.isLeftParen { expected.append(try value(&cursor, expected: true)) }
      return ["type": "assert_return", "action": action, "expected": expected]
    case "assert_trap" where cursor.isGroup("module"):
      cursor.index += 2
      var command = try module(&cursor, features)
      try cursor.expectRightParen()
      command["type"] = "assert_uninstantiable"
      command["text"] = String(decoding: try cursor.takeString(), as: UTF8.self)
      return command
    case "assert_trap", "assert_exhaustion":
      let action = try self.action(&cursor)
      return ["type": keyword, "action": action, "text": String(decoding: try cursor.takeString(), as: UTF8.self)]
    case "assert_exception":
      return ["type": keyword, "action": try action(&cursor)]
    case "assert_malformed", "assert_invalid", "assert_unlinkable", "assert_uninstantiable":
      let moduleStart = cursor.index
      try cursor.expectGroup("module")
      var command: [String: Any]
      do {
        command = try module(&cursor, features)
      } catch let error as TextError {
        command = ["parse_error": error.description]
        cursor.index = moduleStart + 1
        try cursor.skipGroupRest()
        cursor.index -= 1
      }
      try cursor.expectRightParen()
      command["type"] = keyword
      command["text"] = String(decoding: try cursor.takeString(), as: UTF8.self)
      return command
    default:
      // `thread`, `wait`, `assert_*_custom`...: kept as commands the driver reports as skipped.
      try cursor.skipGroupRest()
      cursor.index -= 1
      return ["type": keyword]
    }
  }

  /// After `(module`: `definition`? `$id`? and the module, or `instance $i? $m?`; the `)` is left.
  private static func module(_ cursor: inout TokenCursor, _ features: WasmFeatures) throws -> [String: Any] {
    var command: [String: Any] = [:]
    if cursor.takeKeyword("instance") {
      command["name"] = cursor.takeID()
      command["instance_of"] = cursor.takeID()
      return command
    }
    if cursor.takeKeyword("definition") { command["definition"] = true }
    let body = try WAT.moduleBody(&cursor, features: features)
    if let name = body.name { command["name"] = name }
    if let quoted = body.quoted {
      command["module_quote"] = quoted
    } else {
      command["module_bytes"] = body.bytes
    }
    return command
  }

  /// `(invoke $id? "name" value*)` or `(get $id? "name")`.
  private static func action(_ cursor: inout TokenCursor) throws -> [String: Any] {
    try cursor.expectLeftParen()
    var action: [String: Any]
    if cursor.takeKeyword("invoke") {
      action = ["type": "invoke"]
    } else {
      try cursor.expectKeyword("get")
      action = ["type": "get"]
    }
    if let module = cursor.takeID() { action["module"] = module }
    action["field"] = String(decoding: try cursor.takeString(), as: UTF8.self)
    if action["type"] as? String == "invoke" {
      var args: [[String: Any]] = []
      while cursor.isLeftParen { args.append(try value(&cursor, expected: false)) }
      action["args"] = args
    }
    try cursor.expectRightParen()
    return action
  }

  /// A constant argument or an expected result, as the JSON writes it.
  private static func value(_ cursor: inout TokenCursor, expected: Bool, allowEither: Bool = true) throws -> [String: Any] {
    try cursor.expectLeftParen()
    guard let head = cursor.current, head.kind == .keyword else { throw cursor.expected("a value") }
    cursor.advance()
    var value: [String: Any]
    switch head.text {
    case "i32.const", "i64.const":
      let bits = head.text == "i32.const" ? 32 : 64
      guard let t = cursor.current, let v = TextNumbers.integer(t.text, bits: bits) else { throw cursor.expected("an integer") }
      cursor.advance()
      value = ["type": String(head.text.prefix(3)), "value": String(v)]
    case "f32.const", "f64.const":
      let type = String(head.text.prefix(3))
      value = ["type": type, "value": try floatText(&cursor, bits: type == "f32" ? 32 : 64, expected: expected)]
    case "v128.const":
      let shapes: [Substring: (laneType: String, count: Int)] = [
        "i8x16": ("i8", 16), "i16x8": ("i16", 8), "i32x4": ("i32", 4), "i64x2": ("i64", 2), "f32x4": ("f32", 4), "f64x2": ("f64", 2),
      ]
      guard let shape = cursor.current, let (laneType, count) = shapes[shape.text] else { throw cursor.expected("a vector shape") }
      cursor.advance()
      var lanes: [String] = []
      for _ in 0..<count {
        if laneType.hasPrefix("f") {
          lanes.append(try floatText(&cursor, bits: laneType == "f32" ? 32 : 64, expected: expected))
        } else {
          guard let t = cursor.current, let v = TextNumbers.integer(t.text, bits: Int(laneType.dropFirst())!) else {
            throw cursor.expected("a lane value")
          }
          cursor.advance()
          lanes.append(String(v))
        }
      }
      value = ["type": "v128", "lane_type": laneType, "value": lanes]
    case "ref.null":
      var heap = ""
      if let t = cursor.current, t.kind == .keyword {
        heap = String(t.text)
        cursor.advance()
      }
      switch heap {
      case "func", "extern", "exn", "any": value = ["type": heap + "ref", "value": "null"]
      case "": value = ["type": "refnull"]
      default: value = ["type": ["none": "nullref", "nofunc": "nullfuncref", "noextern": "nullexternref",
                                  "noexn": "nullexnref"][heap] ?? heap + "ref"]
      }
    case "ref.extern", "ref.host", "ref.func", "ref.any", "ref.eq", "ref.struct", "ref.array", "ref.i31", "ref.exn":
      let kind = head.text.dropFirst(4)
      value = ["type": (kind == "host" ? "any" : String(kind)) + "ref"]
      if cursor.isNumber { value["value"] = String(try cursor.takeNatural()) }
    case "either" where expected && allowEither:
      var values: [[String: Any]] = []
      while cursor.isLeftParen { values.append(try self.value(&cursor, expected: true, allowEither: false)) }
      value = ["type": "either", "values": values]
    default:
      cursor.index -= 1
      throw cursor.expected("a constant")
    }
    try cursor.expectRightParen()
    return value
  }

  /// A float as its bit pattern in decimal, or an expected NaN pattern.
  private static func floatText(_ cursor: inout TokenCursor, bits: Int, expected: Bool) throws -> String {
    guard let t = cursor.current else { throw cursor.expected("a float") }
    if expected, t.text.hasSuffix("nan:canonical") || t.text.hasSuffix("nan:arithmetic") {
      cursor.advance()
      return String(t.text.drop { $0 == "+" || $0 == "-" })
    }
    let value = bits == 32 ? TextNumbers.f32(t.text).map(UInt64.init) : TextNumbers.f64(t.text)
    guard let value else { throw cursor.expected("an f\(bits) constant") }
    cursor.advance()
    return String(value)
  }
}

/// The second pass over a module's fields: imports, functions, tables, memories, globals, tags, exports, start.
/// (Element and data segments: SegmentFields.swift.)
extension ModuleParser {
  private static let externalKinds: [IndexSpace: UInt8] = [.function: 0, .table: 1, .memory: 2, .global: 3, .tag: 4]

  /// One field, from its `(`.
  func field() throws {
    let fieldStart = cursor.index
    try cursor.expectLeftParen()
    let keyword = cursor.current!.text
    cursor.advance()
    switch keyword {
    case "type", "rec":
      cursor.index -= 1
      try cursor.skipGroupRest()
      return
    case "func", "table", "memory", "global", "tag":
      try definition(IndexSpace(rawValue: String(keyword))!, index: definitionIndex[fieldStart]!)
    case "import":
      let module = try cursor.takeName()
      let name = try cursor.takeName()
      try cursor.expectLeftParen()
      guard let t = cursor.current, t.kind == .keyword, let space = IndexSpace(rawValue: String(t.text)) else {
        throw cursor.expected("an import descriptor")
      }
      cursor.advance()
      _ = cursor.takeID()
      try importEntry(space, module: module, name: name)
      try cursor.expectRightParen()
    case "export":
      let name = try cursor.takeName()
      try cursor.expectLeftParen()
      guard let t = cursor.current, t.kind == .keyword, let space = IndexSpace(rawValue: String(t.text)),
            let kind = Self.externalKinds[space] else { throw cursor.expected("an export descriptor") }
      cursor.advance()
      let index = try self.index(space)
      try cursor.expectRightParen()
      exportEntry(name, kind: kind, index: index)
    case "start":
      guard start == nil else { throw cursor.error("multiple start sections") }
      start = try index(.function)
    case "elem":
      try elementSegment()
    case "data":
      try dataSegment()
    default:
      throw cursor.error("unknown module field `\(keyword)`")
    }
    try cursor.expectRightParen()
  }

  private func exportEntry(_ name: [UInt8], kind: UInt8, index: UInt32) {
    var w = BinaryWriter()
    w.name(name)
    w.byte(kind)
    w.u32(index)
    exports.append(w.bytes)
  }

  /// A definition field after its keyword: `$id? (export "n")* (import "m" "n")? ...`; `index` is its index.
  private func definition(_ space: IndexSpace, index: UInt32) throws {
    _ = cursor.takeID()
    while cursor.takeGroup("export") {
      exportEntry(try cursor.takeName(), kind: Self.externalKinds[space]!, index: index)
      try cursor.expectRightParen()
    }
    if cursor.takeGroup("import") {
      let module = try cursor.takeName()
      let name = try cursor.takeName()
      try cursor.expectRightParen()
      try importEntry(space, module: module, name: name)
      return
    }
    switch space {
    case .function: try function()
    case .table: try table(index: index)
    case .memory: try memory(index: index)
    case .global: try global()
    case .tag:
      tags.append([0] + uleb(try typeUse().index))
    default: fatalError("not a definition: \(space)")
    }
  }

  /// An import's descriptor after its keyword and id.
  private func importEntry(_ space: IndexSpace, module: [UInt8], name: [UInt8]) throws {
    var w = BinaryWriter()
    w.name(module)
    w.name(name)
    switch space {
    case .function:
      w.byte(0)
      w.u32(try typeUse().index)
    case .table:
      w.byte(1)
      w.bytes += try tableType()
    case .memory:
      w.byte(2)
      w.bytes += try memoryType()
    case .global:
      w.byte(3)
      w.bytes += try globalType()
    case .tag:
      w.byte(4)
      w.byte(0)
      w.u32(try typeUse().index)
    default:
      throw cursor.expected("an import descriptor")
    }
    imports.append(w.bytes)
  }

  private func uleb(_ value: UInt32) -> [UInt8] {
    var w = BinaryWriter()
    w.u32(value)
    return w.bytes
  }

  // MARK: functions

  private func function() throws {
    let (typeIndex, paramNames) = try typeUse()
    functionTypes.append(uleb(typeIndex))
    localNames = [:]
    labels = []
    for (i, name) in paramNames.enumerated() where name != nil {
      localNames[name!] = UInt32(i)  // distinct: `signature` checks
    }
    var localCount = UInt32(paramNames.count)
    var locals: [[UInt8]] = []
    while cursor.takeGroup("local") {
      let nameAt = cursor.index
      if let name = cursor.takeID() {
        guard localNames[name] == nil else { throw cursor.error("duplicate local $\(name)", at: nameAt) }
        localNames[name] = localCount
        localCount += 1
        locals.append(try valueType())
      } else {
        while !cursor.isRightParen {
          locals.append(try valueType())
          localCount += 1
        }
      }
      try cursor.expectRightParen()
    }
    var body = BinaryWriter()
    // Runs of equal types, as the binary format groups them.
    var runs: [(count: UInt32, type: [UInt8])] = []
    for type in locals {
      if let last = runs.last, last.type == type { runs[runs.count - 1].count += 1 } else { runs.append((1, type)) }
    }
    body.u32(UInt32(runs.count))
    for run in runs {
      body.u32(run.count)
      body.bytes += run.type
    }
    try instructions(into: &body)
    body.byte(0x0B)
    var w = BinaryWriter()
    w.u32(UInt32(body.bytes.count))
    w.bytes += body.bytes
    codes.append(w.bytes)
  }

  /// A constant expression (or any instruction sequence outside a function) and its `end`.
  func expression() throws -> [UInt8] {
    localNames = [:]
    labels = []
    var w = BinaryWriter()
    try instructions(into: &w)
    w.byte(0x0B)
    return w.bytes
  }

  // MARK: tables, memories, globals

  /// An optional address type, `i32` or `i64`: whether it is `i64`.
  private func addressType() -> Bool {
    if cursor.takeKeyword("i64") { return true }
    _ = cursor.takeKeyword("i32")
    return false
  }

  /// `i32|i64? min max? reftype`.
  private func tableType() throws -> [UInt8] {
    let is64 = addressType()
    let limits = try self.limits(bits: is64 ? 64 : 32)
    return try referenceType() + Self.encodeLimits(limits, is64: is64)
  }

  /// A table definition after its name, exports and imports (`index`: its index).
  private func table(index: UInt32) throws {
    let is64 = addressType()
    if !cursor.isNumber {
      // `reftype (elem ...)`: a table exactly as large as its elements.
      let type = try referenceType()
      try cursor.expectGroup("elem")
      // Function indices, or expressions: whichever comes.
      let items = try elementItems(indices: !cursor.isLeftParen)
      let count = items.count
      try cursor.expectRightParen()
      tables.append(type + Self.encodeLimits((UInt64(count), UInt64(count)), is64: is64))
      elements.append(activeSegment(table: index, offset: constant(0, is64: is64), type: type, items: items))
      return
    }
    let limits = try self.limits(bits: is64 ? 64 : 32)
    let type = try referenceType()
    let encoded = type + Self.encodeLimits(limits, is64: is64)
    if cursor.isRightParen {
      tables.append(encoded)
    } else {
      // A table with an initial value for its elements (function references, Wasm 3.0).
      tables.append([0x40, 0x00] + encoded + (try expression()))
    }
  }

  /// `i32|i64? min max? shared?`.
  private func memoryType() throws -> [UInt8] {
    let is64 = addressType()
    let limits = try self.limits(bits: is64 ? 64 : 32)
    let shared = cursor.takeKeyword("shared")
    if !shared { _ = cursor.takeKeyword("unshared") }
    return Self.encodeLimits(limits, is64: is64, shared: shared)
  }

  /// A memory definition after its name, exports and imports (`index`: its index).
  private func memory(index: UInt32) throws {
    var probe = cursor
    _ = probe.takeKeyword("i64") || probe.takeKeyword("i32")
    guard probe.takeGroup("data") else {
      memories.append(try memoryType())
      return
    }
    // `(data ...)`: a memory exactly as large as its data.
    let is64 = addressType()
    try cursor.expectGroup("data")
    let bytes = try cursor.takeStrings()
    try cursor.expectRightParen()
    let pages = (UInt64(bytes.count) + 65535) / 65536
    memories.append(Self.encodeLimits((pages, pages), is64: is64))
    data.append(Self.dataSegment(memory: index, offset: constant(0, is64: is64), bytes: bytes))
  }

  /// `valtype` or `(mut valtype)`.
  private func globalType() throws -> [UInt8] {
    if cursor.takeGroup("mut") {
      let type = try valueType()
      try cursor.expectRightParen()
      return type + [1]
    }
    return try valueType() + [0]
  }

  private func global() throws {
    let type = try globalType()
    globals.append(type + (try expression()))
  }

  /// `i32.const value end` or `i64.const value end`.
  func constant(_ value: Int64, is64: Bool) -> [UInt8] {
    var w = BinaryWriter()
    w.byte(is64 ? 0x42 : 0x41)
    w.s64(value)
    w.byte(0x0B)
    return w.bytes
  }
}

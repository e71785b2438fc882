import WasmBinary

/// The index spaces of a module, each with its own names.
enum IndexSpace: String, CaseIterable {
  case type, function = "func", table, memory, global, tag, elem, data
}

/// Parses one module's fields (the tokens between `(module $id?` and its `)`) into the binary format, in passes:
/// the first gives every definition its index and name (a function may call one defined after it), the second
/// reads the type definitions (implicit types are added after them), the third reads every other field and
/// encodes it.
final class ModuleParser {
  var cursor: TokenCursor
  /// The features whose text rules apply (Wasm 2.0's 32-bit limits and offsets, or memory64's 64-bit ones).
  let features: WasmFeatures
  /// Where each field starts (on its `(`), in order, and where the fields end.
  private var fields: [Int] = []
  private var endOfFields = 0

  var names: [IndexSpace: [String: UInt32]] = [:]
  var counts: [IndexSpace: UInt32] = [:]
  /// The names of struct fields, by the index of their type.
  var fieldNames: [UInt32: [String: UInt32]] = [:]
  /// Whether each memory (imports first) has 64-bit addresses: its accesses' offsets may then be 64-bit.
  var memoryIs64: [Bool] = []
  /// The index the first pass gave each function, table, memory, global or tag field (by the position of its `(`):
  /// the second reads it there rather than counting again.
  var definitionIndex: [Int: UInt32] = [:]

  // The type section: each entry is one rec group (a lone type is a group of one).
  var typeGroups: [[UInt8]] = []
  /// The signature of each type index that is a function type (nil for other types).
  var signatures: [Signature?] = []
  var firstIndexOfSignature: [Signature: UInt32] = [:]

  // Sections being built, as encoded entries.
  var imports = SectionBuffer()
  var functionTypes = SectionBuffer()
  var tables = SectionBuffer()
  var memories = SectionBuffer()
  var tags = SectionBuffer()
  var globals = SectionBuffer()
  var exports = SectionBuffer()
  var start: UInt32?
  var elements = SectionBuffer()
  var codes = SectionBuffer()
  var data = SectionBuffer()
  /// Whether some code uses `memory.init` or `data.drop`, which need the data count section.
  var needsDataCount = false

  // The function being parsed: its local names and its labels (innermost last).
  var localNames: [String: UInt32] = [:]
  var labels: [String?] = []
  /// How deeply the instruction being read is nested in blocks and folded operands (each level a few stack frames
  /// of this recursive parser, so the depth is bounded: see `maxNesting`).
  var nesting = 0
  /// Deeper text is refused with an error rather than exhausting the thread's stack. (Compilers nest far less;
  /// the binary format, read without recursion, has no such limit.)
  static let maxNesting = 1000

  /// The keywords that start a module field (`declareAll` reads each; a script of them is a module).
  static let fieldKeywords: Set<Substring> =
    Set(IndexSpace.allCases.map { Substring($0.rawValue) } + ["import", "export", "start", "rec"])

  init(cursor: TokenCursor, features: WasmFeatures) {
    self.cursor = cursor
    self.features = features
  }

  /// Parses fields up to the `)` that closes the module (left unconsumed) and returns the binary module.
  func parse() throws -> [UInt8] {
    try declareAll()
    try defineTypes()
    for fieldStart in fields {
      cursor.index = fieldStart
      try field()
    }
    cursor.index = endOfFields
    return assemble()
  }

  // MARK: names and indices

  /// Reads a definition's optional name and declares it (see `declare`).
  func declareNext(_ space: IndexSpace) throws {
    let at = cursor.index
    try declare(space, name: cursor.takeID(), at: at)
  }

  /// Gives the next index of `space` to a definition, and its name (written at token `at`) to that index.
  @discardableResult
  func declare(_ space: IndexSpace, name: String?, at: Int) throws -> UInt32 {
    let index = counts[space, default: 0]
    if let name {
      guard names[space, default: [:]][name] == nil else {
        throw cursor.error("duplicate \(space.rawValue) $\(name)", at: at)
      }
      names[space, default: [:]][name] = index
    }
    counts[space] = index + 1
    return index
  }

  /// An index: a number, or a `$name` defined in the space.
  func index(_ space: IndexSpace) throws -> UInt32 {
    guard let t = cursor.current else { throw cursor.expected("an index") }
    switch t.kind {
    case .number:
      return try cursor.takeU32()
    case .id:
      guard let index = names[space]?[String(t.text)] else { throw cursor.error("unknown \(space.rawValue) $\(t.text)") }
      cursor.advance()
      return index
    default:
      throw cursor.expected("an index")
    }
  }

  var isIndexNext: Bool { cursor.current?.kind == .number || cursor.current?.kind == .id }

  func functionSignature(_ index: UInt32) -> Signature? {
    Int(index) < signatures.count ? signatures[Int(index)] : nil
  }

  /// The index of a function type equal to `signature`, added at the end of the type section when there is none.
  func typeIndex(of signature: Signature) -> UInt32 {
    if let index = firstIndexOfSignature[signature] { return index }
    let index = UInt32(signatures.count)
    typeGroups.append(signature.encoded())
    signatures.append(signature)
    firstIndexOfSignature[signature] = index
    return index
  }

  // MARK: pass 1

  /// Finds the fields, gives every definition its index and name, and checks that imports come first.
  private func declareAll() throws {
    var definitionSeen: String?
    while cursor.isLeftParen {
      let start = cursor.index
      fields.append(start)
      cursor.advance()
      guard let keyword = cursor.current, keyword.kind == .keyword else { throw cursor.expected("a module field") }
      let kind = String(keyword.text)
      cursor.advance()
      switch kind {
      case "type":
        try declareNext(.type)
      case "rec":
        while cursor.takeGroup("type") {
          try declareNext(.type)
          try cursor.skipGroupRest()
        }
      case "func", "table", "memory", "global", "tag":
        let space = IndexSpace(rawValue: kind)!
        let nameAt = cursor.index
        let name = cursor.takeID()
        while cursor.isGroup("export") {
          cursor.index += 2
          try cursor.skipGroupRest()
        }
        if cursor.isGroup("import") {
          if let definition = definitionSeen { throw cursor.error("import after \(definition)", at: cursor.index) }
          if kind == "memory" {
            var probe = cursor
            probe.index += 2
            try probe.skipGroupRest()
            memoryIs64.append(probe.isKeyword("i64"))
          }
        } else {
          if kind == "memory" { memoryIs64.append(cursor.isKeyword("i64")) }
          definitionSeen = kind
          if (kind == "table" || kind == "memory") && definesSegment(table: kind == "table") {
            try declare(kind == "table" ? .elem : .data, name: nil, at: nameAt)
          }
        }
        definitionIndex[start] = try declare(space, name: name, at: nameAt)
      case "import":
        if let definition = definitionSeen { throw cursor.error("import after \(definition)", at: start) }
        _ = try? cursor.takeString()
        _ = try? cursor.takeString()
        guard cursor.isLeftParen, let descriptor = cursor.peek(1), descriptor.kind == .keyword,
              let space = IndexSpace(rawValue: String(descriptor.text)),
              [.function, .table, .memory, .global, .tag].contains(space) else {
          throw cursor.expected("an import descriptor")
        }
        cursor.index += 2
        try declareNext(space)
        if space == .memory { memoryIs64.append(cursor.isKeyword("i64")) }
        try cursor.skipGroupRest()
      case "elem":
        try declareNext(.elem)
      case "data":
        try declareNext(.data)
      case "export", "start":
        break
      default:
        cursor.index = start + 1
        throw cursor.error("unknown module field `\(kind)`")
      }
      cursor.index = start + 2
      try cursor.skipGroupRest(openedAt: start)
    }
    endOfFields = cursor.index
  }

  /// Whether the table or memory field at the cursor (after its name, exports and imports) is written with its
  /// contents, `(elem ...)` or `(data ...)`, which also define a segment. Pass 2 reads the same form (`table()`,
  /// `memory()`): an address type, a reference type (perhaps a `(ref ...)` group), then the contents.
  private func definesSegment(table: Bool) -> Bool {
    var probe = cursor
    while let t = probe.current {
      if probe.isGroup("ref") {
        probe.index += 2
        guard (try? probe.skipGroupRest()) != nil else { return false }
      } else if t.kind == .leftParen || t.kind == .rightParen {
        break
      } else {
        probe.advance()
      }
    }
    return probe.isGroup(table ? "elem" : "data")
  }

  /// Reads every type definition (they may refer to each other by name, so all names are declared first).
  private func defineTypes() throws {
    for start in fields {
      cursor.index = start + 1
      if cursor.takeKeyword("type") {
        let (encoding, signature, plain) = try typeDefinition()
        typeGroups.append(encoding)
        signatures.append(signature)
        if plain, let signature, firstIndexOfSignature[signature] == nil {
          firstIndexOfSignature[signature] = UInt32(signatures.count - 1)
        }
      } else if cursor.takeKeyword("rec") {
        var group: [UInt8] = []
        var count = 0
        while cursor.takeGroup("type") {
          let (encoding, signature, _) = try typeDefinition()
          group += encoding
          signatures.append(signature)
          count += 1
        }
        try cursor.expectRightParen()
        var w = BinaryWriter()
        w.byte(0x4E)
        w.u32(UInt32(count))
        typeGroups.append(w.bytes + group)
      }
    }
  }

  // MARK: assembling the binary

  private func assemble() -> [UInt8] {
    var w = BinaryWriter()
    w.bytes = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
    w.vectorSection(1, count: typeGroups.count, typeGroups.flatMap { $0 })
    w.vectorSection(2, count: imports.count, imports.bytes)
    w.vectorSection(3, count: functionTypes.count, functionTypes.bytes)
    w.vectorSection(4, count: tables.count, tables.bytes)
    w.vectorSection(5, count: memories.count, memories.bytes)
    w.vectorSection(13, count: tags.count, tags.bytes)
    w.vectorSection(6, count: globals.count, globals.bytes)
    w.vectorSection(7, count: exports.count, exports.bytes)
    if let start {
      var s = BinaryWriter()
      s.u32(start)
      w.section(8, s.bytes)
    }
    w.vectorSection(9, count: elements.count, elements.bytes)
    if needsDataCount {
      var s = BinaryWriter()
      s.u32(UInt32(data.count))
      w.section(12, s.bytes)
    }
    w.vectorSection(10, count: codes.count, codes.bytes)
    w.vectorSection(11, count: data.count, data.bytes)
    if let functionNames = names[.function], !functionNames.isEmpty { w.bytes += Self.nameSection(functionNames) }
    return w.bytes
  }

  /// A `name` section with the functions' `$names`, so that traps and backtraces name them.
  private static func nameSection(_ functionNames: [String: UInt32]) -> [UInt8] {
    var map = BinaryWriter()
    map.u32(UInt32(functionNames.count))
    for (name, index) in functionNames.sorted(by: { $0.value < $1.value }) {
      map.u32(index)
      map.name(Array(name.utf8))
    }
    var contents = BinaryWriter()
    contents.name(Array("name".utf8))
    contents.byte(1)
    contents.u32(UInt32(map.bytes.count))
    contents.bytes += map.bytes
    var section = BinaryWriter()
    section.section(0, contents.bytes)
    return section.bytes
  }
}

/// The entries of one section, encoded, and how many there are.
struct SectionBuffer {
  var bytes: [UInt8] = []
  var count = 0

  mutating func append(_ entry: [UInt8]) {
    bytes += entry
    count += 1
  }
}

extension Module {
  /// Decodes a binary module: every section, in order. Function bodies are located, not decoded (the validator
  /// and translator read them with `InstructionReader`). Throws `DecodeError` with the offending byte offset.
  public init(bytes: [UInt8]) throws {
    try self.init(bytes: bytes, withoutCode: false)
  }

  /// Decodes a module; with `withoutCode`, one whose code section was removed (`bytesWithoutCode`), as the
  /// translation cache stores it beside the translated functions. Such a module has declarations only: its
  /// `codes` is empty and it cannot be validated or translated again, only instantiated with stored code.
  public init(bytes: [UInt8], withoutCode: Bool) throws {
    self.init(bytes: bytes, decoded: ())
    var r = ByteReader(bytes: bytes)
    guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0x61, bytes[2] == 0x73, bytes[3] == 0x6D else {
      throw DecodeError("magic header not detected", at: 0)
    }
    r.position = 4
    guard bytes.count >= 8 else { throw DecodeError("unexpected end: unknown binary version", at: 4) }
    let version = try r.fixed32()
    // A component (the component model, WASI 0.2) has version 0x0d and layer 1 where a module has version 1.
    if version == 0x0001_000D {
      throw DecodeError("this is a WebAssembly component (the component model, WASI 0.2), not a core module: "
                        + "swasm runs core modules (WASI preview 1)", at: 4)
    }
    guard version == 1 else { throw DecodeError("unknown binary version", at: 4) }

    var lastRank = 0
    while !r.isAtEnd {
      let idOffset = r.position
      let id = try r.byte()
      let size = Int(try r.u32())
      guard size <= r.end - r.position else { throw DecodeError("section size out of bounds: length out of bounds", at: idOffset) }
      let sectionEnd = r.position + size
      var s = ByteReader(bytes: bytes, position: r.position, end: sectionEnd)
      if id == 0 {
        try decodeCustomSection(&s)
      } else {
        guard let rank = Module.sectionRank(id) else { throw DecodeError("malformed section id \(id)", at: idOffset) }
        guard rank > lastRank else { throw DecodeError("unexpected content after last section (section \(id) out of order)", at: idOffset) }
        lastRank = rank
        switch id {
        case 1: try decodeTypes(&s)
        case 2: try decodeImports(&s)
        case 3: try decodeFunctions(&s)
        case 4: try decodeTables(&s)
        case 5: memories = try s.vector { try memoryType(&$0) }
        case 13: tags = try s.vector { try tagType(&$0) }
        case 6: try decodeGlobals(&s)
        case 7: try decodeExports(&s)
        case 8: start = try s.u32()
        case 9: try decodeElements(&s)
        case 12: dataCount = try s.u32()
        case 10:
          if withoutCode { throw DecodeError("a code section in a module stored without code", at: idOffset) }
          try decodeCode(&s)
        case 11: try decodeData(&s)
        default: break
        }
        guard s.position == sectionEnd else { throw DecodeError("section size mismatch", at: s.position) }
      }
      r.position = sectionEnd
    }
    guard withoutCode || functions.count == codes.count else {
      throw DecodeError("function and code section have inconsistent lengths", at: bytes.count)
    }
    if let n = dataCount, Int(n) != data.count {
      throw DecodeError("data count and data section have inconsistent lengths", at: bytes.count)
    }
  }

  /// The module's declarations: its bytes without the code section and without custom sections other than
  /// `name` (debug information is of no use to the engine; the `name` section names functions in traps).
  public var bytesWithoutCode: [UInt8] {
    // The module decoded, so its sections are well-formed: every range but the header starts with a section id.
    var result: [UInt8] = []
    for range in Module.rangesThatMatter(of: bytes) ?? [] where range.lowerBound == 0 || bytes[range.lowerBound] != 10 {
      result += bytes[range]
    }
    return result
  }

  /// The code section, whole (id, size and bodies), or nil when the module has none.
  public var codeSection: [UInt8]? { codeSectionRange.map { Array(bytes[$0]) } }

  /// Where the code section lies in `bytes` (id, size and bodies), or nil when the module has none.
  public var codeSectionRange: Range<Int>? {
    Module.sections(of: bytes, from: 8)?.first { $0.id == 10 }?.range
  }

  /// This module, decoded `withoutCode`, with `section` (a code section whole, as `codeSection` gives it) as its
  /// function bodies: `bytes` become the section's and `codes` its bodies, ready to validate and translate one
  /// function at a time. For the translation cache, which keeps the code of functions not translated yet.
  public func withCodeSection(_ section: [UInt8]) throws -> Module {
    var module = self
    module.bytes = section
    var r = ByteReader(bytes: section)
    guard try r.byte() == 10 else { throw DecodeError("not a code section", at: 0) }
    guard Int(try r.u32()) == r.end - r.position else { throw DecodeError("section size mismatch", at: 1) }
    try module.decodeCode(&r)
    guard r.isAtEnd else { throw DecodeError("section size mismatch", at: r.position) }
    guard module.codes.count == module.functions.count else {
      throw DecodeError("function and code section have inconsistent lengths", at: section.count)
    }
    return module
  }

  /// The byte ranges of a module that can change how it runs: the 8-byte header, every non-custom section and
  /// the `name` section (it names functions in traps), each with its id and size. Debug information and other
  /// custom sections are left out. Nil when the bytes are not a sequence of well-formed sections.
  /// The translation cache keys modules by these bytes: found by skipping from section to section, without
  /// decoding, so a cached launch costs little more than reading and hashing what matters.
  public static func rangesThatMatter(of bytes: [UInt8]) -> [Range<Int>]? {
    guard bytes.count >= 8, let sections = sections(of: bytes, from: 8) else { return nil }
    return [0..<8] + sections.filter { $0.id != 0 || $0.namePayload != nil }.map(\.range)
  }

  /// A module's bytes (with its 8-byte header) parted into the module without its `name` sections, and those
  /// sections, whole, in order. Nil when the bytes are not a header and a sequence of well-formed sections.
  public static func separatingNameSections(of bytes: [UInt8]) -> (withoutNames: [UInt8], nameSections: [UInt8])? {
    guard bytes.count >= 8, let sections = sections(of: bytes, from: 8) else { return nil }
    var withoutNames = Array(bytes[0..<8]), nameSections: [UInt8] = []
    for section in sections {
      if section.namePayload != nil { nameSections += bytes[section.range] } else { withoutNames += bytes[section.range] }
    }
    return (withoutNames, nameSections)
  }

  /// Each section of `bytes` from `start` on: its id, its range with id and size, and for a custom section named
  /// `name`, the range of its payload (nil for any other section). Found by skipping from section to section,
  /// without decoding. Nil when the bytes are not a sequence of well-formed sections.
  static func sections(of bytes: [UInt8], from start: Int) -> [(id: UInt8, range: Range<Int>, namePayload: Range<Int>?)]? {
    var sections: [(id: UInt8, range: Range<Int>, namePayload: Range<Int>?)] = []
    var r = ByteReader(bytes: bytes, position: start)
    while !r.isAtEnd {
      let start = r.position
      guard let id = try? r.byte(), let size = try? r.u32(), Int(size) <= r.end - r.position else { return nil }
      let end = r.position + Int(size)
      var name = ByteReader(bytes: bytes, position: r.position, end: end)
      let isNameSection = id == 0 && (try? name.name()) == "name"
      sections.append((id, start..<end, isNameSection ? name.position..<end : nil))
      r.position = end
    }
    return sections
  }

  /// Where a section may appear (sections come in increasing rank); nil for an unknown id. The tag section (13)
  /// comes between memory (5) and global (6), the data count section (12) before code (10). (A switch, not a
  /// Dictionary, whose first use costs a start-up a scan of every protocol conformance.)
  static func sectionRank(_ id: UInt8) -> Int? {
    switch id {
    case 1...5: return Int(id)
    case 13: return 6
    case 6...9: return Int(id) + 1
    case 12: return 11
    case 10, 11: return Int(id) + 2
    default: return nil
    }
  }

  private init(bytes: [UInt8], decoded: Void) {
    self.bytes = bytes
  }

  // MARK: sections

  private mutating func decodeCustomSection(_ s: inout ByteReader) throws {
    let name = try s.name()
    let offset = s.position
    let payload = try s.bytes(s.end - s.position)
    customSections.append(CustomSection(name: name, bytes: payload, offset: offset))
    if name == "name" { nameSection = nameSection.adding(payload) }
  }

  /// The type section: recursion groups (`0x4E`) of definitions, or a definition standing alone as its own group
  /// (TypeDefinitions.swift).
  private mutating func decodeTypes(_ s: inout ByteReader) throws {
    let groups = try s.count()
    for _ in 0..<groups {
      let first = types.count
      if try s.peek() == 0x4E {
        s.position += 1
        let n = try s.count()
        for _ in 0..<n { types.append(try subType(&s)) }
      } else {
        types.append(try subType(&s))
      }
      recGroups.append(first..<types.count)
      guard types.count <= ImplementationLimits.types else { throw DecodeError("too many types (implementation limit)", at: s.position) }
    }
  }

  private mutating func decodeTables(_ s: inout ByteReader) throws {
    tables = try s.vector { r in
      // 0x40 0x00: a table type and an initializer for every element (typed function references).
      guard try r.peek() == 0x40 else {
        tableInitializers.append(nil)
        return try tableType(&r)
      }
      r.position += 1
      guard try r.byte() == 0 else { throw DecodeError("malformed table", at: r.position - 1) }
      let type = try tableType(&r)
      tableInitializers.append(try constExpr(&r))
      return type
    }
  }

  private mutating func decodeImports(_ s: inout ByteReader) throws {
    imports = try s.vector { r in
      let module = try r.name()
      let name = try r.name()
      let kindAt = r.position
      let descriptor: ImportDescriptor
      switch try r.byte() {
      case 0: descriptor = .function(typeIndex: try r.u32())
      case 1: descriptor = .table(try tableType(&r))
      case 2: descriptor = .memory(try memoryType(&r))
      case 3: descriptor = .global(try globalType(&r))
      case 4: descriptor = .tag(typeIndex: try tagType(&r))
      default: throw DecodeError("malformed import kind", at: kindAt)
      }
      return Import(module: module, name: name, descriptor: descriptor)
    }
  }

  private mutating func decodeFunctions(_ s: inout ByteReader) throws {
    functions = try s.vector { try $0.u32() }
  }

  private mutating func decodeGlobals(_ s: inout ByteReader) throws {
    globals = try s.vector { r in
      let type = try globalType(&r)
      return Global(type: type, initializer: try constExpr(&r))
    }
  }

  private mutating func decodeExports(_ s: inout ByteReader) throws {
    exports = try s.vector { r in
      let name = try r.name()
      let kindAt = r.position
      guard let kind = ExternalKind(rawValue: try r.byte()) else { throw DecodeError("malformed export kind", at: kindAt) }
      return Export(name: name, kind: kind, index: try r.u32())
    }
  }

  private mutating func decodeElements(_ s: inout ByteReader) throws {
    elements = try s.vector { r in
      let flagsAt = r.position
      let flags = try r.u32()
      guard flags <= 7 else { throw DecodeError("malformed elements segment kind", at: flagsAt) }
      let passiveOrDeclarative = flags & 1 != 0
      let explicitTable = flags & 2 != 0
      let usesExpressions = flags & 4 != 0
      var mode = ElementMode.passive
      if !passiveOrDeclarative {
        let table = explicitTable ? try r.u32() : 0
        mode = .active(table: table, offset: try constExpr(&r))
      } else if explicitTable {
        mode = .declarative
      }
      // Function indices make references that are never null; expressions may make null ones.
      var type = usesExpressions ? ValueType.funcref : .ref(RefType(nullable: false, .func))
      if passiveOrDeclarative || explicitTable {
        if usesExpressions {
          type = try referenceType(&r)
        } else {
          let kindAt = r.position
          guard try r.byte() == 0 else { throw DecodeError("malformed element kind", at: kindAt) }
        }
      }
      let contents: ElementItems =
        usesExpressions ? .expressions(try r.vector { try constExpr(&$0) }) : .functions(try r.vector { try $0.u32() })
      return ElementSegment(type: type, contents: contents, mode: mode)
    }
  }

  private mutating func decodeCode(_ s: inout ByteReader) throws {
    codes = try s.vector { try Module.functionBody(&$0) }
  }

  /// One entry of the code section: the body's size, its locals and its instructions, located (not decoded).
  static func functionBody(_ r: inout ByteReader) throws -> FunctionBody {
    let sizeAt = r.position
    let size = Int(try r.u32())
    guard size <= r.end - r.position else { throw DecodeError("function body out of bounds: unexpected end", at: sizeAt) }
    let bodyEnd = r.position + size
    var body = ByteReader(bytes: r.bytes, position: r.position, end: bodyEnd)
    var locals: [(count: UInt32, type: ValueType)] = []
    var total: UInt64 = 0
    let groups = try body.count(minElementSize: 2)
    for _ in 0..<groups {
      let countAt = body.position
      let n = try body.u32()
      total += UInt64(n)
      guard total <= UInt64(UInt32.max) else { throw DecodeError("too many locals", at: countAt) }
      locals.append((n, try valueType(&body)))
    }
    guard body.position < bodyEnd, r.bytes[bodyEnd - 1] == 0x0B else {
      throw DecodeError("END opcode expected", at: bodyEnd)
    }
    r.position = bodyEnd
    return FunctionBody(locals: locals, codeRange: body.position..<bodyEnd)
  }

  private mutating func decodeData(_ s: inout ByteReader) throws {
    data = try s.vector { r in
      let flagsAt = r.position
      let mode: DataMode
      switch try r.u32() {
      case 0: mode = .active(memory: 0, offset: try constExpr(&r))
      case 1: mode = .passive
      case 2:
        let memory = try r.u32()
        mode = .active(memory: memory, offset: try constExpr(&r))
      default: throw DecodeError("malformed data segment kind", at: flagsAt)
      }
      let n = try r.count(minElementSize: 1)
      return DataSegment(bytes: try r.bytes(n), mode: mode)
    }
  }
}

// MARK: shared pieces

/// Limits, their address type and whether they are shared. The flags: bit 0, a maximum follows; bit 1, shared
/// (the threads proposal); bit 2, 64-bit addresses or indices, whose bounds are u64 (memory64). Tables are never
/// shared.
private func limits(_ r: inout ByteReader, memory: Bool) throws -> (Limits, ValueType, shared: Bool) {
  let flagAt = r.position
  let flags = try r.byte()
  guard flags & ~0x07 == 0, memory || flags & 0x02 == 0 else {
    throw DecodeError("malformed limits flags (integer too large)", at: flagAt)
  }
  let is64 = flags & 0x04 != 0
  func bound() throws -> UInt64 { is64 ? try r.u64() : UInt64(try r.u32()) }
  let min = try bound()
  let max = flags & 0x01 != 0 ? try bound() : nil
  return (Limits(min: min, max: max), is64 ? .i64 : .i32, flags & 0x02 != 0)
}

private func memoryType(_ r: inout ByteReader) throws -> MemoryType {
  let (limits, addressType, shared) = try limits(&r, memory: true)
  return MemoryType(limits: limits, addressType: addressType, isShared: shared)
}

private func tableType(_ r: inout ByteReader) throws -> TableType {
  let element = try referenceType(&r)
  let (limits, addressType, _) = try limits(&r, memory: false)
  return TableType(elementType: element, limits: limits, addressType: addressType)
}

private func globalType(_ r: inout ByteReader) throws -> GlobalType {
  let type = try valueType(&r)
  let mutAt = r.position
  switch try r.byte() {
  case 0: return GlobalType(valueType: type, mutable: false)
  case 1: return GlobalType(valueType: type, mutable: true)
  default: throw DecodeError("malformed mutability", at: mutAt)
  }
}

/// `0x50 supertypes composite` (may be subtyped), `0x4F supertypes composite` (final), or a bare composite type
/// (final, no supertype).
private func subType(_ r: inout ByteReader) throws -> SubType {
  let form = try r.peek()
  guard form == 0x50 || form == 0x4F else { return SubType(try compositeType(&r)) }
  r.position += 1
  let countAt = r.position
  let supertypes = try r.vector { try $0.u32() }
  guard supertypes.count <= 1 else { throw DecodeError("invalid type: more than one supertype", at: countAt) }
  return SubType(isFinal: form == 0x4F, supertype: supertypes.first.map { .concrete($0) }, try compositeType(&r))
}

private func compositeType(_ r: inout ByteReader) throws -> CompositeType {
  let formAt = r.position
  switch try r.byte() {
  case 0x60:
    let params = try r.vector { try valueType(&$0) }
    let results = try r.vector { try valueType(&$0) }
    return .function(FuncType(params: params, results: results))
  case 0x5F: return .structure(try r.vector { try fieldType(&$0) })
  case 0x5E: return .array(try fieldType(&r))
  default: throw DecodeError("malformed function type (integer representation too long)", at: formAt)
  }
}

private func fieldType(_ r: inout ByteReader) throws -> FieldType {
  let storage: StorageType
  switch try r.peek() {
  case 0x78: storage = .i8; r.position += 1
  case 0x77: storage = .i16; r.position += 1
  default: storage = .value(try valueType(&r))
  }
  let mutAt = r.position
  switch try r.byte() {
  case 0: return FieldType(storage: storage, isMutable: false)
  case 1: return FieldType(storage: storage, isMutable: true)
  default: throw DecodeError("malformed mutability", at: mutAt)
  }
}

/// A constant expression up to and including its `end`.
private func constExpr(_ r: inout ByteReader) throws -> ConstExpr {
  var reader = InstructionReader(bytes: r.bytes, range: r.position..<r.end)
  var instructions: [Instruction] = []
  while true {
    let instruction = try reader.next()
    if case .end = instruction { break }
    instructions.append(instruction)
  }
  r.position = reader.offset
  return ConstExpr(instructions)
}

extension ByteReader {
  /// A vector: a u32 count, then that many elements.
  mutating func vector<T>(_ element: (inout ByteReader) throws -> T) throws -> [T] {
    let n = try count()
    var result: [T] = []
    result.reserveCapacity(n)
    for _ in 0..<n { result.append(try element(&self)) }
    return result
  }
}

extension NameMap {
  /// Parses the `name` custom section; nil when it is malformed (a bad name section never fails a module).
  init?(decoding payload: [UInt8]) {
    self.init()
    guard decode(payload, keepingFunctionNames: true) else { return nil }
  }

  /// The module name of a `name` section payload that `init(decoding:)` accepts (`.some(nil)`: it has none), or
  /// nil for one it refuses: the function names are checked, not kept.
  static func moduleName(decoding payload: [UInt8]) -> String?? {
    var map = NameMap()
    return map.decode(payload, keepingFunctionNames: false) ? .some(map.moduleName) : nil
  }

  /// Decodes `payload` into this map; false when it is malformed.
  private mutating func decode(_ payload: [UInt8], keepingFunctionNames: Bool) -> Bool {
    var r = ByteReader(bytes: payload)
    do {
      while !r.isAtEnd {
        let id = try r.byte()
        let size = Int(try r.u32())
        guard size <= r.end - r.position else { return false }
        var sub = ByteReader(bytes: payload, position: r.position, end: r.position + size)
        switch id {
        case 0: moduleName = try sub.name()
        case 1:
          let n = try sub.count(minElementSize: 2)
          for _ in 0..<n {
            let index = try sub.u32()
            if keepingFunctionNames { functionNames[index] = try sub.name() } else { try sub.skipName() }
          }
        default: break
        }
        r.position += size
      }
    } catch {
      return false
    }
    return true
  }
}

/// Element and data segments (`(elem ...)`, `(data ...)`, and those a table or memory is written with).
extension ModuleParser {
  /// A segment's items: function indices, or constant expressions of a reference type.
  enum ElementItems {
    case functions([UInt32])
    case expressions([[UInt8]])

    var count: Int {
      switch self {
      case .functions(let indices): return indices.count
      case .expressions(let expressions): return expressions.count
      }
    }
  }

  /// `(elem $id? declare? (table x)? offset? elemlist)` after `elem`.
  func elementSegment() throws {
    _ = cursor.takeID()
    if cursor.takeKeyword("declare") {
      try passiveOrDeclared(declared: true)
      return
    }
    let table = try segmentTarget("table", .table)
    // An offset (a group, but not a `(ref ...)` type) or a table makes the segment active.
    guard (cursor.isLeftParen && !cursor.isGroup("ref")) || table != nil else {
      try passiveOrDeclared(declared: false)
      return
    }
    let offset = try segmentOffset()
    let explicitType = try elementType()
    let items = try elementItems(indices: explicitType == nil)
    elements.append(activeSegment(table: table ?? 0, offset: offset, type: explicitType ?? [0x70], items: items))
  }

  /// `func` (nil: function indices follow) or a reference type; nil too when neither comes (bare indices).
  private func elementType() throws -> [UInt8]? {
    if cursor.takeKeyword("func") { return nil }
    return isValueTypeNext() ? try referenceType() : nil
  }

  private func passiveOrDeclared(declared: Bool) throws {
    let type = try elementType()
    let items = try elementItems(indices: type == nil)
    var w = BinaryWriter()
    switch items {
    case .functions:
      w.byte(declared ? 3 : 1)
      w.byte(0x00)
    case .expressions:
      w.byte(declared ? 7 : 5)
      w.bytes += type!
    }
    w.bytes += Self.encodeItems(items)
    elements.append(w.bytes)
  }

  /// An active segment: flags 0 and 4 for function references in table 0, else 2 and 6 (naming the table).
  func activeSegment(table: UInt32, offset: [UInt8], type: [UInt8], items: ElementItems) -> [UInt8] {
    var items = items
    if case .functions(let indices) = items, type != [0x70] {
      // Function indices are of type (ref func): a table of another type (`(ref null $t)`, written with its
      // elements) gets them as `ref.func` expressions of its own type.
      items = .expressions(indices.map { index in
        var e = BinaryWriter()
        e.byte(0xD2)
        e.u32(index)
        e.byte(0x0B)
        return e.bytes
      })
    }
    var w = BinaryWriter()
    let implicitTable = table == 0 && type == [0x70]
    switch items {
    case .functions: w.byte(implicitTable ? 0 : 2)
    case .expressions: w.byte(implicitTable ? 4 : 6)
    }
    if !implicitTable { w.u32(table) }
    w.bytes += offset
    if !implicitTable {
      if case .functions = items { w.byte(0x00) } else { w.bytes += type }
    }
    w.bytes += Self.encodeItems(items)
    return w.bytes
  }

  private static func encodeItems(_ items: ElementItems) -> [UInt8] {
    var w = BinaryWriter()
    switch items {
    case .functions(let indices):
      w.u32(UInt32(indices.count))
      for i in indices { w.u32(i) }
    case .expressions(let expressions):
      w.u32(UInt32(expressions.count))
      for e in expressions { w.bytes += e }
    }
    return w.bytes
  }

  /// Function indices, or element expressions: `(item instr*)` or one folded instruction each.
  func elementItems(indices: Bool) throws -> ElementItems {
    if indices {
      var indices: [UInt32] = []
      while isIndexNext { indices.append(try index(.function)) }
      return .functions(indices)
    }
    var expressions: [[UInt8]] = []
    while cursor.isLeftParen {
      if cursor.takeGroup("item") {
        expressions.append(try expression())
        try cursor.expectRightParen()
      } else {
        expressions.append(try singleFoldedExpression())
      }
    }
    return .expressions(expressions)
  }

  /// `(offset instr*)`, or one folded instruction standing for it.
  private func segmentOffset() throws -> [UInt8] {
    if cursor.takeGroup("offset") {
      let offset = try expression()
      try cursor.expectRightParen()
      return offset
    }
    return try singleFoldedExpression()
  }

  /// One folded instruction as a whole expression (with its `end`).
  private func singleFoldedExpression() throws -> [UInt8] {
    localNames = [:]
    labels = []
    var w = BinaryWriter()
    guard cursor.isLeftParen else { throw cursor.expected("`(`") }
    try foldedInstruction(into: &w)
    w.byte(0x0B)
    return w.bytes
  }

  /// An active segment's table or memory: `(table x)` / `(memory x)`, or the MVP's bare index before the offset
  /// (`(elem 0 (i32.const 0) ...)`); nil when not written.
  private func segmentTarget(_ group: StaticString, _ space: IndexSpace) throws -> UInt32? {
    if cursor.takeGroup(group) {
      let target = try index(space)
      try cursor.expectRightParen()
      return target
    }
    return isIndexNext && cursor.peek(1)?.kind == .leftParen ? try index(space) : nil
  }

  /// `(data $id? (memory x)? offset? string*)` after `data`.
  func dataSegment() throws {
    _ = cursor.takeID()
    let memory = try segmentTarget("memory", .memory)
    let offset = cursor.isLeftParen || memory != nil ? try segmentOffset() : nil
    data.append(Self.dataSegment(memory: memory ?? 0, offset: offset, bytes: try cursor.takeStrings()))
  }

  /// A data segment's encoding: active (flags 0, or 2 naming a memory other than 0) when it has an offset, else
  /// passive (flags 1).
  static func dataSegment(memory: UInt32, offset: [UInt8]?, bytes: [UInt8]) -> [UInt8] {
    var w = BinaryWriter()
    if let offset {
      if memory == 0 {
        w.byte(0)
      } else {
        w.byte(2)
        w.u32(memory)
      }
      w.bytes += offset
    } else {
      w.byte(1)
    }
    w.u32(UInt32(bytes.count))
    w.bytes += bytes
    return w.bytes
  }
}

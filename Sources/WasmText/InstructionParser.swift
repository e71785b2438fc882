/// Instructions, plain and folded, encoded straight into the binary format (immediates:
/// InstructionImmediates.swift).
extension ModuleParser {
  /// Instructions until a `)` or a keyword that ends a block (`end`, `else`, `catch`, `catch_all`, `delegate`).
  func instructions(into w: inout BinaryWriter) throws {
    while let t = cursor.current {
      if t.kind == .leftParen {
        try foldedInstruction(into: &w)
        continue
      }
      guard t.kind == .keyword else {
        if t.kind == .rightParen { return }
        throw cursor.expected("an instruction")
      }
      // Plain instructions first: they are most of any body.
      if let spec = InstructionTable.plain[t.text] {
        cursor.advance()
        w.bytes += spec.opcode
        try immediates(spec.immediate, into: &w)
        continue
      }
      switch t.text {
      case "end", "else", "catch", "catch_all", "delegate": return
      case "block", "loop", "if", "try", "try_table": try plainBlock(into: &w)
      default: try plainInstruction(into: &w)
      }
    }
  }

  /// A label after a block keyword, pushed for the block's body.
  private func pushLabel() {
    labels.append(cursor.takeID())
  }

  /// `end $l` or `else $l`: the label, if repeated, must be the block's own.
  private func checkRepeatedLabel() throws {
    guard let t = cursor.current, t.kind == .id else { return }
    guard let own = labels.last ?? nil, own == String(t.text) else { throw cursor.error("mismatching label") }
    cursor.advance()
  }

  /// One level deeper, or an error past `maxNesting`.
  private func enter() throws {
    nesting += 1
    guard nesting <= Self.maxNesting else { throw cursor.error("instructions nested more than \(Self.maxNesting) deep") }
  }

  /// `block`, `loop`, `if`, `try_table` or legacy `try`, written flat with `end`.
  private func plainBlock(into w: inout BinaryWriter) throws {
    try enter()
    defer { nesting -= 1 }
    let keyword = cursor.current!.text
    cursor.advance()
    if keyword == "try_table" {
      try tryTableHeader(into: &w)
    } else {
      pushLabel()
      w.byte(["block": 0x02, "loop": 0x03, "if": 0x04, "try": 0x06][keyword]!)
      try blockType(into: &w)
    }
    defer { labels.removeLast() }
    try instructions(into: &w)
    if keyword == "if", cursor.takeKeyword("else") {
      try checkRepeatedLabel()
      w.byte(0x05)
      try instructions(into: &w)
    }
    if keyword == "try" {
      var sawCatchAll = false
      var sawCatch = false  // `delegate` ends a try that has no catch clause
      while cursor.isKeyword("catch") || cursor.isKeyword("catch_all") {
        sawCatch = true
        let all = cursor.isKeyword("catch_all")
        cursor.advance()
        try legacyCatch(all: all, after: &sawCatchAll, into: &w)
        try instructions(into: &w)
      }
      if !sawCatch, cursor.takeKeyword("delegate") { return try delegate(into: &w) }
    }
    try cursor.expectKeyword("end")
    try checkRepeatedLabel()
    w.byte(0x0B)
  }

  /// `try_table $l? blocktype catch*`: the catch clauses name labels outside the block, so they are read before
  /// its label is pushed.
  private func tryTableHeader(into w: inout BinaryWriter) throws {
    let name = cursor.takeID()
    w.byte(0x1F)
    try blockType(into: &w)
    var clauses = BinaryWriter()
    var count: UInt32 = 0
    while let keyword = cursor.groupKeyword, ["catch", "catch_ref", "catch_all", "catch_all_ref"].contains(keyword) {
      cursor.index += 2
      switch keyword {
      case "catch", "catch_ref":
        clauses.byte(keyword == "catch" ? 0 : 1)
        clauses.u32(try index(.tag))
      default:
        clauses.byte(keyword == "catch_all" ? 2 : 3)
      }
      clauses.u32(try label())
      try cursor.expectRightParen()
      count += 1
    }
    w.u32(count)
    w.bytes += clauses.bytes
    labels.append(name)
  }

  /// A block type: `(type x)? (param t*)* (result t*)*`, as the empty type, one value type or a type index.
  private func blockType(into w: inout BinaryWriter) throws {
    if cursor.isGroup("type") {
      let (index, _) = try typeUse(allowNames: false)
      w.s64(Int64(index))
      return
    }
    var names: [String?] = []
    let signature = try self.signature(paramNames: &names, allowNames: false)
    if signature.params.isEmpty && signature.results.count <= 1 {
      if let result = signature.results.first { w.bytes += result } else { w.byte(0x40) }
    } else {
      w.s64(Int64(typeIndex(of: signature)))
    }
  }

  /// A label: a depth, or the name of an enclosing block.
  func label() throws -> UInt32 {
    guard let t = cursor.current else { throw cursor.expected("a label") }
    if t.kind == .id {
      guard let position = labels.lastIndex(where: { $0 == String(t.text) }) else {
        throw cursor.error("unknown label $\(t.text)")
      }
      cursor.advance()
      return UInt32(labels.count - 1 - position)
    }
    guard t.kind == .number else { throw cursor.expected("a label") }
    return try cursor.takeU32()
  }

  /// One folded instruction, from its `(`: its operands first, then itself.
  func foldedInstruction(into w: inout BinaryWriter) throws {
    try enter()
    defer { nesting -= 1 }
    try cursor.expectLeftParen()
    guard let t = cursor.current, t.kind == .keyword else { throw cursor.expected("an instruction") }
    if InstructionTable.plain[t.text] != nil {
      var instruction = BinaryWriter()
      try plainInstruction(into: &instruction)
      while cursor.isLeftParen { try foldedInstruction(into: &w) }
      w.bytes += instruction.bytes
      try cursor.expectRightParen()
      return
    }
    switch t.text {
    case "block", "loop":
      cursor.advance()
      pushLabel()
      defer { labels.removeLast() }
      w.byte(t.text == "block" ? 0x02 : 0x03)
      try blockType(into: &w)
      try instructions(into: &w)
      w.byte(0x0B)
    case "if":
      cursor.advance()
      let name = cursor.takeID()
      var header = BinaryWriter()
      header.byte(0x04)
      try blockType(into: &header)
      while cursor.isLeftParen && !cursor.isGroup("then") { try foldedInstruction(into: &w) }
      w.bytes += header.bytes
      labels.append(name)
      defer { labels.removeLast() }
      try cursor.expectGroup("then")
      try instructions(into: &w)
      try cursor.expectRightParen()
      if cursor.takeGroup("else") {
        w.byte(0x05)
        try instructions(into: &w)
        try cursor.expectRightParen()
      }
      w.byte(0x0B)
    case "try_table":
      cursor.advance()
      try tryTableHeader(into: &w)
      defer { labels.removeLast() }
      try instructions(into: &w)
      w.byte(0x0B)
    case "try":
      cursor.advance()
      try foldedLegacyTry(into: &w)
    default:
      var instruction = BinaryWriter()
      try plainInstruction(into: &instruction)
      while cursor.isLeftParen { try foldedInstruction(into: &w) }
      w.bytes += instruction.bytes
    }
    try cursor.expectRightParen()
  }

  /// `(try $l? blocktype (do instr*) (catch x instr*)* (catch_all instr*)?)` or `... (do instr*) (delegate l))`.
  private func foldedLegacyTry(into w: inout BinaryWriter) throws {
    pushLabel()
    defer { labels.removeLast() }
    w.byte(0x06)
    try blockType(into: &w)
    try cursor.expectGroup("do")
    try instructions(into: &w)
    try cursor.expectRightParen()
    if cursor.takeGroup("delegate") {
      try delegate(into: &w)
      return try cursor.expectRightParen()
    }
    var sawCatchAll = false
    while cursor.isGroup("catch") || cursor.isGroup("catch_all") {
      let all = cursor.isKeyword("catch_all", at: 1)
      cursor.index += 2
      try legacyCatch(all: all, after: &sawCatchAll, into: &w)
      try instructions(into: &w)
      try cursor.expectRightParen()
    }
    w.byte(0x0B)
  }

  /// `delegate l` after its keyword, ending a legacy try: its label counts from outside the try, whose own label
  /// is not in scope there.
  private func delegate(into w: inout BinaryWriter) throws {
    let own = labels.removeLast()
    defer { labels.append(own) }
    w.byte(0x18)
    w.u32(try label())
  }

  /// A legacy `catch x` or `catch_all` clause after its keyword: its opcode and tag. Any number of `catch`, then
  /// at most one `catch_all`.
  private func legacyCatch(all: Bool, after sawCatchAll: inout Bool, into w: inout BinaryWriter) throws {
    if sawCatchAll { throw cursor.error("unexpected token: a clause after catch_all") }
    if all {
      w.byte(0x19)
      sawCatchAll = true
    } else {
      w.byte(0x07)
      w.u32(try index(.tag))
    }
  }

  /// A plain instruction: its name and immediates.
  func plainInstruction(into w: inout BinaryWriter) throws {
    guard let t = cursor.current, t.kind == .keyword else { throw cursor.expected("an instruction") }
    guard let spec = InstructionTable.plain[t.text] else { throw cursor.error("unknown operator `\(t.text)`") }
    cursor.advance()
    w.bytes += spec.opcode
    try immediates(spec.immediate, into: &w)
  }
}

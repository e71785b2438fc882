/// The immediates of plain instructions, read from text and encoded.
extension ModuleParser {
  func immediates(_ kind: ImmediateKind, into w: inout BinaryWriter) throws {
    switch kind {
    case .none: break
    case .label: w.u32(try label())
    case .labelTable:
      var targets: [UInt32] = []
      while isIndexNext { targets.append(try label()) }
      guard let last = targets.popLast() else { throw cursor.expected("a label") }
      w.u32(UInt32(targets.count))
      for t in targets { w.u32(t) }
      w.u32(last)
    case .function: w.u32(try index(.function))
    case .local: w.u32(try local())
    case .global: w.u32(try index(.global))
    case .tag: w.u32(try index(.tag))
    case .type: w.u32(try index(.type))
    case .elem: w.u32(try index(.elem))
    case .data:
      needsDataCount = true
      w.u32(try index(.data))
    case .callIndirect:
      let table = isIndexNext ? try index(.table) : 0
      w.u32(try typeUse(allowNames: false).index)
      w.u32(table)
    case .table: w.u32(isIndexNext ? try index(.table) : 0)
    case .tableInit:
      let (first, second) = try oneOrTwo(.table, .elem)
      w.u32(second)
      w.u32(first)
    case .tableCopy:
      let (first, second) = try noneOrTwo(.table)
      w.u32(first)
      w.u32(second)
    case .memory: w.u32(isIndexNext ? try index(.memory) : 0)
    case .memoryInit:
      needsDataCount = true
      let (first, second) = try oneOrTwo(.memory, .data)
      w.u32(second)
      w.u32(first)
    case .memoryCopy:
      let (first, second) = try noneOrTwo(.memory)
      w.u32(first)
      w.u32(second)
    case .memarg(let width): try memoryAccess(width: width, lane: false, into: &w)
    case .memargLane(let width): try memoryAccess(width: width, lane: true, into: &w)
    case .i32: w.s32(Int32(bitPattern: UInt32(try integer(bits: 32))))
    case .i64: w.s64(Int64(bitPattern: try integer(bits: 64)))
    case .f32: w.fixed32(try f32())
    case .f64: w.fixed64(try f64())
    case .v128: try vectorConstant(into: &w)
    case .lane: w.byte(UInt8(try cursor.takeNatural(bits: 8)))
    case .shuffle:
      for _ in 0..<16 { w.byte(UInt8(try cursor.takeNatural(bits: 8))) }
    case .heapType: w.bytes += try heapType()
    case .select:
      var types: [[UInt8]] = []
      var typed = false
      while cursor.takeGroup("result") {
        typed = true
        while !cursor.isRightParen { types.append(try valueType()) }
        try cursor.expectRightParen()
      }
      if typed {
        w.bytes[w.bytes.count - 1] = 0x1C
        w.u32(UInt32(types.count))
        for t in types { w.bytes += t }
      }
    case .zeroByte: w.byte(0)
    case .typeField, .typeCount, .typeData, .typeElem, .twoTypes, .castType, .branchOnCast:
      try gcImmediates(kind, into: &w)
    }
  }

  /// A local: its index, or a parameter's or local's name.
  private func local() throws -> UInt32 {
    guard let t = cursor.current, t.kind == .id else { return try cursor.takeU32() }
    guard let index = localNames[String(t.text)] else { throw cursor.error("unknown local $\(t.text)") }
    cursor.advance()
    return index
  }

  /// `x? y` (x defaults to 0): `table.init`, `memory.init`.
  private func oneOrTwo(_ first: IndexSpace, _ second: IndexSpace) throws -> (UInt32, UInt32) {
    var probe = cursor
    probe.advance()
    if isIndexNext, probe.current?.kind == .number || probe.current?.kind == .id {
      return (try index(first), try index(second))
    }
    return (0, try index(second))
  }

  /// Two indices or none (both 0): `table.copy`, `memory.copy`.
  private func noneOrTwo(_ space: IndexSpace) throws -> (UInt32, UInt32) {
    guard isIndexNext else { return (0, 0) }
    return (try index(space), try index(space))
  }

  private func integer(bits: Int) throws -> UInt64 { try number("i\(bits)") { TextNumbers.integer($0, bits: bits) } }
  func f32() throws -> UInt32 { try number("f32", TextNumbers.f32) }
  func f64() throws -> UInt64 { try number("f64", TextNumbers.f64) }

  /// A number literal (`inf` and `nan` are keywords) read by `read`, or an error naming `type`.
  private func number<T>(_ type: String, _ read: (Substring) -> T?) throws -> T {
    guard let t = cursor.current, t.kind == .number || t.kind == .keyword else { throw cursor.expected("an \(type) constant") }
    guard let value = read(t.text) else { throw cursor.error("\(type) constant out of range or malformed: \(t.text)") }
    cursor.advance()
    return value
  }

  /// `v128.const shape lane*`: the 16 bytes, lane 0 first.
  func vectorConstant(into w: inout BinaryWriter) throws {
    guard let shape = cursor.current, shape.kind == .keyword else { throw cursor.expected("a vector shape") }
    cursor.advance()
    switch shape.text {
    case "i8x16", "i16x8", "i32x4", "i64x2":
      let bits = ["i8x16": 8, "i16x8": 16, "i32x4": 32, "i64x2": 64][shape.text]!
      for _ in 0..<(128 / bits) {
        let value = try integer(bits: bits)
        for i in 0..<(bits / 8) { w.byte(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
      }
    case "f32x4":
      for _ in 0..<4 { w.fixed32(try f32()) }
    case "f64x2":
      for _ in 0..<2 { w.fixed64(try f64()) }
    default:
      cursor.index -= 1
      throw cursor.expected("a vector shape")
    }
  }

  /// `memidx? offset=N? align=N?` (and a lane index for `memargLane`), encoded as alignment flags, memory index
  /// (when not 0) and offset.
  private func memoryAccess(width: Int, lane: Bool, into w: inout BinaryWriter) throws {
    var memory: UInt32 = 0
    if cursor.current?.kind == .id {
      memory = try index(.memory)
    } else if cursor.isNumber {
      let next = cursor.peek(1)
      let followedByMore = next?.kind == .number
        || (next?.kind == .keyword && (next!.text.hasPrefix("offset=") || next!.text.hasPrefix("align=")))
      if !lane || followedByMore { memory = try index(.memory) }
    }
    var offset: UInt64 = 0
    if let t = cursor.current, t.kind == .keyword, t.text.hasPrefix("offset=") {
      // Wasm 2.0's offsets are 32-bit; with memory64 any offset parses and the validator checks a 32-bit memory's.
      let bits = features.contains(.memory64) || Int(memory) >= memoryIs64.count || memoryIs64[Int(memory)] ? 64 : 32
      guard let value = TextNumbers.natural(t.text.dropFirst(7), bits: bits) else {
        throw cursor.error("i\(bits) constant out of range or malformed: \(t.text)")
      }
      offset = value
      cursor.advance()
    }
    var align = UInt64(width)
    if let t = cursor.current, t.kind == .keyword, t.text.hasPrefix("align=") {
      guard let value = TextNumbers.natural(t.text.dropFirst(6), bits: 64), value != 0, value & (value - 1) == 0 else {
        throw cursor.error("alignment must be a power of two: \(t.text)")
      }
      align = value
      cursor.advance()
    }
    w.u32(UInt32(align.trailingZeroBitCount) | (memory != 0 ? 0x40 : 0))
    if memory != 0 { w.u32(memory) }
    w.u64(offset)
    if lane { w.byte(UInt8(try cursor.takeNatural(bits: 8))) }
  }
}

/// The validator's fast path for the commonest instructions of compiled code (locals, globals, constants, numeric
/// operators, loads and stores, blocks, branches other than `br_table`, direct calls, `drop` and `select`):
/// checked straight from the bytes, without building an `Instruction` (whose copies, and the operand-type arrays
/// of `NumericOp`, cost validation of a 99 MB module a large share of its time). The checks are the ones
/// `FunctionValidator.check` makes for these instructions (below, shared);
/// everything else, and every instruction when only some features are enabled (their checks go through
/// `WasmFeatures.required`), takes the general path.
extension FunctionValidator {
  /// Checks the instruction at the reader and moves past it, when it is one of the fast path's; false (nothing
  /// read) otherwise.
  @inline(__always)
  mutating func checkCommonInstruction(_ reader: inout InstructionReader) throws -> Bool {
    let opcode = try reader.reader.byte()  // at the end: the error the general path's read would throw
    switch opcode {
    case 0x20:  // local.get
      try checkLocalGet(try reader.reader.u32())
    case 0x21:  // local.set
      try checkLocalSet(try reader.reader.u32())
    case 0x22:  // local.tee
      try checkLocalTee(try reader.reader.u32())
    case 0x23:  // global.get
      try checkGlobalGet(try reader.reader.u32())
    case 0x24:  // global.set
      try checkGlobalSet(try reader.reader.u32())
    case 0x02:  // block
      try checkBlock(.block, try reader.blockType())
    case 0x03:  // loop
      try checkBlock(.loop, try reader.blockType())
    case 0x04:  // if
      try checkBlock(.if, try reader.blockType())
    case 0x05:  // else
      try checkElse()
    case 0x0B:  // end
      try checkEnd()
    case 0x0C:  // br
      try checkBr(try reader.reader.u32())
    case 0x0D:  // br_if
      try checkBrIf(try reader.reader.u32())
    case 0x0F:  // return
      try checkReturn()
    case 0x10:  // call
      try checkCall(try reader.reader.u32())
    case 0x1A:  // drop
      try pop()
    case 0x1B:  // select
      try checkSelect()
    case 0x41:  // i32.const
      _ = try reader.reader.s32()
      push(.i32)
    case 0x42:  // i64.const
      _ = try reader.reader.s64()
      push(.i64)
    case 0x28...0x35:  // loads
      try checkLoad(LoadOp(rawValue: opcode)!, try reader.memArg())
    case 0x36...0x3E:  // stores
      try checkStore(StoreOp(rawValue: opcode)!, try reader.memArg())
    case 0x45...0xC4:  // numeric operators without immediates: one or two operands of one type
      let signature = numericSignatures[Int(opcode)]
      for _ in 0..<signature.operands { try pop(signature.operand) }
      push(signature.result)
    default:
      reader.reader.position -= 1  // for the general path
      return false
    }
    return true
  }

  mutating func checkBlock(_ kind: Frame.Kind, _ bt: BlockType) throws {
    let (params, results) = try blockSignature(bt)
    if kind == .if { try pop(.i32) }
    try pop(params)
    pushFrame(kind, params, results)
  }

  mutating func checkElse() throws {
    guard frames[frames.count - 1].kind == .if else { throw ValidationError("else without if") }
    let frame = try popFrame()
    pushFrame(.else, frame.params, frame.results)
  }

  mutating func checkEnd() throws {
    let frame = try popFrame()
    if frame.kind == .if && !areSubtypes(frame.params, of: frame.results) {
      throw ValidationError("type mismatch: if without else must leave its parameters unchanged")
    }
    if !frames.isEmpty { push(frame.results) }
  }

  mutating func checkBr(_ depth: UInt32) throws {
    try pop(try labelTypeList(depth))
    setUnreachable()
  }

  mutating func checkBrIf(_ depth: UInt32) throws {
    try pop(.i32)
    let types = try labelTypeList(depth)
    try pop(types)
    push(types)
  }

  mutating func checkReturn() throws {
    try pop(frames[0].results)
    setUnreachable()
  }

  mutating func checkCall(_ f: UInt32) throws {
    let (start, middle, end) = try context.signatureRange(ofFunction: f)
    let types = context.signatureTypes
    var i = middle
    while i > start {
      i -= 1
      try pop(types[i])
    }
    for k in middle..<end { push(types[k]) }
  }

  mutating func checkSelect() throws {
    try pop(.i32)
    let a = try pop()
    let b = try pop()
    // Numbers or vectors: a reference needs the typed select.
    if let a, a.isReference { throw ValidationError("type mismatch: select without a type needs numeric operands") }
    if let b, b.isReference { throw ValidationError("type mismatch: select without a type needs numeric operands") }
    if let a, let b, a != b { throw ValidationError("type mismatch: select operands \(b) and \(a)") }
    push(a ?? b)
  }

  mutating func checkGlobalGet(_ i: UInt32) throws {
    push(try context.global(i).valueType)
  }

  mutating func checkGlobalSet(_ i: UInt32) throws {
    let g = try context.global(i)
    guard g.mutable else { throw ValidationError("global is immutable") }
    try pop(g.valueType)
  }

  @inline(__always)
  mutating func checkLocalGet(_ i: UInt32) throws {
    let t = try local(i)
    guard localIsSet[Int(i)] else { throw ValidationError("uninitialized local \(i)") }
    push(t)
  }

  @inline(__always)
  mutating func checkLocalSet(_ i: UInt32) throws {
    try pop(try local(i))
    setLocal(i)
  }

  @inline(__always)
  mutating func checkLocalTee(_ i: UInt32) throws {
    let t = try local(i)
    try pop(t)
    setLocal(i)
    push(t)
  }

  mutating func checkLoad(_ op: LoadOp, _ memarg: MemArg) throws {
    let address = try checkAccess(memarg, width: op.width)
    try pop(address)
    push(op.resultType)
  }

  mutating func checkStore(_ op: StoreOp, _ memarg: MemArg) throws {
    let address = try checkAccess(memarg, width: op.width)
    try pop(op.valueType)
    try pop(address)
  }
}

/// Each one-byte numeric operator's signature, by opcode: how many operands (all of one type), and the result.
let oneByteNumericSignatures: [(operands: Int, operand: ValueType, result: ValueType)] = {
  var table = [(operands: Int, operand: ValueType, result: ValueType)](repeating: (0, .i32, .i32), count: 256)
  for op in NumericOp.allCases where op.rawValue < 0x100 {
    let operands = op.operandTypes
    precondition(operands.allSatisfy { $0 == operands[0] }, "\(op.name): operands of several types")
    table[Int(op.rawValue)] = (operands.count, operands[0], op.resultType)
  }
  return table
}()

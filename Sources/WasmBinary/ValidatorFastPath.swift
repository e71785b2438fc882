/// The validator's fast path for the commonest instructions of compiled code (locals, constants, numeric
/// operators, loads and stores): checked straight from the bytes, without building an `Instruction` (whose
/// copies, and the operand-type arrays of `NumericOp`, cost validation of a 99 MB module a large share of its
/// time). The checks are the ones `FunctionValidator.check` makes for these instructions (below, shared);
/// everything else, and every instruction when only some features are enabled (their checks go through
/// `WasmFeatures.required`), takes the general path.
extension FunctionValidator {
  /// Checks the instruction at the reader and moves past it, when it is one of the fast path's; false (nothing
  /// read) otherwise.
  mutating func checkCommonInstruction(_ reader: inout InstructionReader) throws -> Bool {
    guard !reader.isAtEnd else { return false }
    let opcode = try reader.reader.peek()
    switch opcode {
    case 0x20:  // local.get
      _ = try reader.reader.byte()
      try checkLocalGet(try reader.reader.u32())
    case 0x21:  // local.set
      _ = try reader.reader.byte()
      try checkLocalSet(try reader.reader.u32())
    case 0x22:  // local.tee
      _ = try reader.reader.byte()
      try checkLocalTee(try reader.reader.u32())
    case 0x41:  // i32.const
      _ = try reader.reader.byte()
      _ = try reader.reader.s32()
      push(.i32)
    case 0x42:  // i64.const
      _ = try reader.reader.byte()
      _ = try reader.reader.s64()
      push(.i64)
    case 0x28...0x35:  // loads
      _ = try reader.reader.byte()
      try checkLoad(LoadOp(rawValue: opcode)!, try reader.memArg())
    case 0x36...0x3E:  // stores
      _ = try reader.reader.byte()
      try checkStore(StoreOp(rawValue: opcode)!, try reader.memArg())
    case 0x45...0xC4:  // numeric operators without immediates: one or two operands of one type
      _ = try reader.reader.byte()
      let signature = numericSignatures[Int(opcode)]
      for _ in 0..<signature.operands { try pop(signature.operand) }
      push(signature.result)
    default:
      return false
    }
    return true
  }

  mutating func checkLocalGet(_ i: UInt32) throws {
    let t = try local(i)
    guard localIsSet[Int(i)] else { throw ValidationError("uninitialized local \(i)") }
    push(t)
  }

  mutating func checkLocalSet(_ i: UInt32) throws {
    try pop(try local(i))
    setLocal(i)
  }

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
private let numericSignatures: [(operands: Int, operand: ValueType, result: ValueType)] = {
  var table = [(operands: Int, operand: ValueType, result: ValueType)](repeating: (0, .i32, .i32), count: 256)
  for op in NumericOp.allCases where op.rawValue < 0x100 {
    let operands = op.operandTypes
    precondition(operands.allSatisfy { $0 == operands[0] }, "\(op.name): operands of several types")
    table[Int(op.rawValue)] = (operands.count, operands[0], op.resultType)
  }
  return table
}()

/// The validator's fast path for the commonest instructions of compiled code (locals, constants, numeric
/// operators, loads and stores): checked straight from the bytes, without building an `Instruction` (whose
/// copies, and the operand-type arrays of `NumericOp`, cost validation of a 99 MB module a large share of its
/// time). Each check is the one `FunctionValidator.check` makes for the instruction; everything else, and every
/// instruction when only some features are enabled (their checks go through `WasmFeatures.required`), takes the
/// general path.
extension FunctionValidator {
  /// Checks the instruction at the reader and moves past it, when it is one of the fast path's; false (nothing
  /// read) otherwise.
  mutating func checkCommonInstruction(_ reader: inout InstructionReader) throws -> Bool {
    guard !reader.isAtEnd else { return false }
    let opcode = try reader.reader.peek()
    switch opcode {
    case 0x20:  // local.get
      _ = try reader.reader.byte()
      let i = try reader.reader.u32()
      let t = try local(i)
      guard localIsSet[Int(i)] else { throw ValidationError("uninitialized local \(i)") }
      push(t)
    case 0x21:  // local.set
      _ = try reader.reader.byte()
      let i = try reader.reader.u32()
      try pop(try local(i))
      setLocal(i)
    case 0x22:  // local.tee
      _ = try reader.reader.byte()
      let i = try reader.reader.u32()
      let t = try local(i)
      try pop(t)
      setLocal(i)
      push(t)
    case 0x41:  // i32.const
      _ = try reader.reader.byte()
      _ = try reader.reader.s32()
      push(.i32)
    case 0x42:  // i64.const
      _ = try reader.reader.byte()
      _ = try reader.reader.s64()
      push(.i64)
    case 0x28...0x35:
      _ = try reader.reader.byte()
      let op = LoadOp(rawValue: opcode)!
      let address = try checkAccess(try reader.memArg(), width: op.width)
      try pop(address)
      push(op.resultType)
    case 0x36...0x3E:
      _ = try reader.reader.byte()
      let op = StoreOp(rawValue: opcode)!
      let address = try checkAccess(try reader.memArg(), width: op.width)
      try pop(op.valueType)
      try pop(address)
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

/// What an atomic instruction does (`AtomicOp.kind`; the threads proposal).
public enum AtomicKind: Sendable {
  /// [address] -> value
  case load
  /// [address, value] -> []
  case store
  /// [address, value] -> old value
  case rmw
  /// [address, expected, replacement] -> old value
  case cmpxchg
  /// [address, expected, timeout (i64 nanoseconds, negative: none)] -> 0 woken, 1 not equal, 2 timed out
  case wait
  /// [address, count] -> number of waiters woken
  case notify
}

extension AtomicOp {
  /// Operand types, in order (the address first, of the memory's address type), and the result type.
  public func signature(address: ValueType) -> (params: [ValueType], result: ValueType?) {
    switch kind {
    case .load: return ([address], valueType)
    case .store: return ([address, valueType], nil)
    case .rmw: return ([address, valueType], valueType)
    case .cmpxchg: return ([address, valueType, valueType], valueType)
    case .wait: return ([address, valueType, .i64], .i32)
    case .notify: return ([address, .i32], .i32)
    }
  }
}

extension InstructionReader {
  /// An instruction after the 0xFE prefix: `atomic.fence` (a zero byte follows) or an access with a memarg.
  mutating func atomicInstruction(_ start: Int) throws -> Instruction {
    let sub = try reader.u32()
    if sub == 0x03 {
      guard try reader.byte() == 0 else { throw DecodeError("zero byte expected", at: reader.position - 1) }
      return .atomicFence
    }
    guard sub <= UInt32(UInt8.max), let op = AtomicOp(rawValue: UInt8(sub)) else {
      throw DecodeError("illegal opcode 0xfe \(sub)", at: start)
    }
    return .atomic(op, try memArg())
  }
}

extension FunctionValidator {
  /// Atomic accesses: an existing memory, alignment exactly the access's width, operands by `AtomicOp.signature`.
  mutating func checkAtomic(_ instruction: Instruction) throws {
    switch instruction {
    case .atomicFence:
      break
    case .atomic(let op, let memarg):
      let address = try checkAccess(memarg, width: op.width)
      guard 1 << memarg.align == op.width else { throw ValidationError("alignment of an atomic access must be natural") }
      let (params, result) = op.signature(address: address)
      try pop(params)
      if let result { push(result) }
    default:
      preconditionFailure("not an atomic instruction: \(instruction)")
    }
  }
}

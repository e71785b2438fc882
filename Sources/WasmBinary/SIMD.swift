/// SIMD in the binary format: the v128 value, the immediates of the 0xFD-prefixed instructions, their decoding and
/// their validation rules. The instructions themselves (sub-opcodes, signatures, immediate kinds) are generated
/// from tools/isa/simd.py into SimdOp.generated.swift.

/// A 128-bit value, little-endian: `low` holds bytes 0 to 7 (lane 0 of every lane shape starts there).
public struct V128: Hashable, Sendable, CustomStringConvertible {
  public var low: UInt64
  public var high: UInt64

  public init(low: UInt64, high: UInt64) {
    self.low = low
    self.high = high
  }

  /// From 16 bytes, byte 0 first.
  public init(bytes: some Collection<UInt8>) {
    precondition(bytes.count == 16, "a v128 has 16 bytes")
    var low: UInt64 = 0, high: UInt64 = 0
    for (i, b) in bytes.enumerated() {
      if i < 8 { low |= UInt64(b) << (8 * UInt64(i)) } else { high |= UInt64(b) << (8 * UInt64(i - 8)) }
    }
    self.init(low: low, high: high)
  }

  /// The 16 bytes, byte 0 first.
  public var bytes: [UInt8] {
    (0..<16).map { i in UInt8(truncatingIfNeeded: (i < 8 ? low : high) >> (8 * UInt64(i % 8))) }
  }

  /// 0x followed by the value's 32 hex digits, as an unsigned 128-bit number (the high half first).
  public var description: String {
    let high = String(high, radix: 16), low = String(low, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count) + low
  }
}

/// What follows a SIMD instruction's sub-opcode.
public enum SimdImmediate: Equatable, Sendable {
  case none
  /// A lane index, below `count`.
  case lane(count: UInt8)
  /// A memarg for an access of `width` bytes.
  case memory(width: UInt8)
  /// A memarg for an access of `width` bytes, then a lane index below `count`.
  case memoryLane(width: UInt8, count: UInt8)
  /// 16 bytes: v128.const.
  case const
  /// 16 lane indices, each below 32: i8x16.shuffle.
  case shuffle
}

extension InstructionReader {
  /// A SIMD instruction, after its 0xFD prefix (at `start`).
  mutating func simdInstruction(_ start: Int) throws -> Instruction {
    let sub = try reader.u32()
    guard sub <= UInt32(UInt16.max), let op = SimdOp(rawValue: UInt16(sub)) else {
      throw DecodeError("illegal opcode 0xfd \(sub)", at: start)
    }
    switch op.immediate {
    case .none: return .simd(op)
    case .lane: return .simdLane(op, lane: try reader.byte())
    case .memory: return .simdMemory(op, try memArg())
    case .memoryLane:
      let memarg = try memArg()
      return .simdMemoryLane(op, memarg, lane: try reader.byte())
    case .const: return .v128Const(try v128())
    case .shuffle: return .i8x16Shuffle(try v128())
    }
  }

  private mutating func v128() throws -> V128 {
    let low = try reader.fixed64()
    return V128(low: low, high: try reader.fixed64())
  }
}

extension FunctionValidator {
  /// The SIMD instructions' rules: operand and result types from the table, lane indices in range, alignment at
  /// most the access width.
  /// Pops a memory instruction's operands: the address (first, of the memory's address type), then the others.
  private mutating func popAccess(_ op: SimdOp, _ address: ValueType) throws {
    var operands = op.operandTypes
    operands[0] = address
    try pop(operands)
  }

  mutating func checkSimd(_ instruction: Instruction) throws {
    switch instruction {
    case .simd(let op):
      try pop(op.operandTypes)
      if let result = op.resultType { push(result) }
    case .simdLane(let op, let lane):
      guard case .lane(let count) = op.immediate, lane < count else { throw ValidationError("invalid lane index") }
      try pop(op.operandTypes)
      if let result = op.resultType { push(result) }
    case .simdMemory(let op, let memarg):
      guard case .memory(let width) = op.immediate else { throw ValidationError("not a memory instruction") }
      try popAccess(op, try checkAccess(memarg, width: Int(width)))
      if let result = op.resultType { push(result) }
    case .simdMemoryLane(let op, let memarg, let lane):
      guard case .memoryLane(let width, let count) = op.immediate else { throw ValidationError("not a lane access") }
      let address = try checkAccess(memarg, width: Int(width))
      guard lane < count else { throw ValidationError("invalid lane index") }
      try popAccess(op, address)
      if let result = op.resultType { push(result) }
    case .v128Const:
      push(.v128)
    case .i8x16Shuffle(let lanes):
      guard lanes.bytes.allSatisfy({ $0 < 32 }) else { throw ValidationError("invalid lane index") }
      try pop([.v128, .v128])
      push(.v128)
    default:
      break
    }
  }
}

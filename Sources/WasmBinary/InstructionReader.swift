/// Decodes a function body (or a constant expression) one instruction at a time. The validator and the
/// translator both walk bodies with it, so it allocates nothing but br_table targets and `select t*` types.
public struct InstructionReader {
  var reader: ByteReader
  /// Wasm 2.0's encoding of memory indices (multiple memories off): one zero byte, not a LEB128 index.
  public var memoryIndexIsZeroByte = false

  /// Reads instructions from `bytes[range]`.
  public init(bytes: [UInt8], range: Range<Int>) {
    reader = ByteReader(bytes: bytes, position: range.lowerBound, end: range.upperBound)
  }

  /// Offset of the next instruction in the module.
  public var offset: Int { reader.position }
  /// Where the instructions end (the end of the range given).
  public var end: Int { reader.end }
  public var isAtEnd: Bool { reader.isAtEnd }

  public mutating func next() throws -> Instruction {
    let start = reader.position
    let opcode = try reader.byte()
    switch opcode {
    case 0x00: return .unreachable
    case 0x01: return .nop
    case 0x02: return .block(try blockType())
    case 0x03: return .loop(try blockType())
    case 0x04: return .if(try blockType())
    case 0x05: return .else
    case 0x0B: return .end
    case 0x06: return .try(try blockType())
    case 0x07: return .catch(try reader.u32())
    case 0x08: return .throw(try reader.u32())
    case 0x09: return .rethrow(try reader.u32())
    case 0x0A: return .throwRef
    case 0x18: return .delegate(try reader.u32())
    case 0x19: return .catchAll
    case 0x1F: return try tryTable()
    case 0x0C: return .br(try reader.u32())
    case 0x0D: return .brIf(try reader.u32())
    case 0x0E:
      let n = try reader.count()
      var targets: [UInt32] = []
      targets.reserveCapacity(n)
      for _ in 0..<n { targets.append(try reader.u32()) }
      return .brTable(targets: targets, default: try reader.u32())
    case 0x0F: return .return
    case 0x10: return .call(try reader.u32())
    case 0x11:
      let type = try reader.u32()
      return .callIndirect(typeIndex: type, table: try reader.u32())
    case 0x12: return .returnCall(try reader.u32())
    case 0x13:
      let type = try reader.u32()
      return .returnCallIndirect(typeIndex: type, table: try reader.u32())
    case 0x1A: return .drop
    case 0x1B: return .select
    case 0x1C:
      let n = try reader.count()
      var types: [ValueType] = []
      for _ in 0..<n { types.append(try valueType(&reader)) }
      return .selectTyped(types)
    case 0x20: return .localGet(try reader.u32())
    case 0x21: return .localSet(try reader.u32())
    case 0x22: return .localTee(try reader.u32())
    case 0x23: return .globalGet(try reader.u32())
    case 0x24: return .globalSet(try reader.u32())
    case 0x25: return .tableGet(try reader.u32())
    case 0x26: return .tableSet(try reader.u32())
    case 0x28...0x35: return .load(LoadOp(rawValue: opcode)!, try memArg())
    case 0x36...0x3E: return .store(StoreOp(rawValue: opcode)!, try memArg())
    case 0x3F: return .memorySize(try memoryIndex())
    case 0x40: return .memoryGrow(try memoryIndex())
    case 0x41: return .i32Const(try reader.s32())
    case 0x42: return .i64Const(try reader.s64())
    case 0x43: return .f32Const(try reader.fixed32())
    case 0x44: return .f64Const(try reader.fixed64())
    case 0x45...0xC4: return .numeric(NumericOp(rawValue: UInt16(opcode))!)
    case 0xD0: return .refNull(try heapType(&reader))
    case 0xD1: return .refIsNull
    case 0xD2: return .refFunc(try reader.u32())
    case 0xD3: return .refEq
    case 0xD4: return .refAsNonNull
    case 0xD5: return .brOnNull(try reader.u32())
    case 0xD6: return .brOnNonNull(try reader.u32())
    case 0x14: return .callRef(try reader.u32())
    case 0x15: return .returnCallRef(try reader.u32())
    case 0xFC: return try prefixed(start)
    case 0xFD: return try simdInstruction(start)
    case 0xFE: return try atomicInstruction(start)
    case 0xFB: return try gcInstruction(start)
    default:
      throw DecodeError("illegal opcode 0x\(String(opcode, radix: 16))", at: start)
    }
  }

  private mutating func prefixed(_ start: Int) throws -> Instruction {
    let sub = try reader.u32()
    switch sub {
    case 0...7: return .numeric(NumericOp(rawValue: 0xFC00 | UInt16(sub))!)
    case 8:
      let data = try reader.u32()
      return .memoryInit(data: data, memory: try memoryIndex())
    case 9: return .dataDrop(try reader.u32())
    case 10:
      let dst = try memoryIndex()
      return .memoryCopy(dst: dst, src: try memoryIndex())
    case 11: return .memoryFill(try memoryIndex())
    case 12:
      let elem = try reader.u32()
      return .tableInit(elem: elem, table: try reader.u32())
    case 13: return .elemDrop(try reader.u32())
    case 14:
      let dst = try reader.u32()
      return .tableCopy(dst: dst, src: try reader.u32())
    case 15: return .tableGrow(try reader.u32())
    case 16: return .tableSize(try reader.u32())
    case 17: return .tableFill(try reader.u32())
    default: throw DecodeError("illegal opcode 0xfc \(sub)", at: start)
    }
  }

  private mutating func memoryIndex() throws -> UInt32 {
    guard memoryIndexIsZeroByte else { return try reader.u32() }
    guard try reader.byte() == 0 else { throw DecodeError("zero byte expected", at: reader.position - 1) }
    return 0
  }

  /// The alignment field's bit 6 says a memory index follows (multiple memories); the offset is a u64 (memory64:
  /// whether it fits the memory's address type is for the validator).
  mutating func memArg() throws -> MemArg {
    var align = try reader.u32()
    var memory: UInt32 = 0
    if align & 0x40 != 0, !memoryIndexIsZeroByte {
      align &= ~0x40
      memory = try reader.u32()
    }
    return MemArg(align: align, offset: try reader.u64(), memory: memory)
  }

  mutating func blockType() throws -> BlockType {
    let b = try reader.peek()
    if b == 0x40 {
      reader.position += 1
      return .empty
    }
    if ValueType(numericByte: b) != nil || AbstractHeapType(rawValue: b) != nil || b == 0x63 || b == 0x64 {
      return .value(try valueType(&reader))
    }
    let start = reader.position
    let index = try reader.s33()
    guard index >= 0 else { throw DecodeError("malformed block type", at: start) }
    return .typeIndex(UInt32(truncatingIfNeeded: index))
  }
}

/// A value type: a number or vector type's byte, an abstract heap type's byte (its nullable reference type), or
/// `0x63 heaptype` (`ref null`) and `0x64 heaptype` (`ref`).
func valueType(_ reader: inout ByteReader) throws -> ValueType {
  let start = reader.position
  let byte = try reader.byte()
  if let t = ValueType(numericByte: byte) { return t }
  if let a = AbstractHeapType(rawValue: byte) { return .ref(RefType(nullable: true, a)) }
  if byte == 0x63 || byte == 0x64 { return .ref(RefType(nullable: byte == 0x63, try heapType(&reader))) }
  throw DecodeError("malformed value type", at: start)
}

func referenceType(_ reader: inout ByteReader) throws -> ValueType {
  let start = reader.position
  let t = try valueType(&reader)
  guard t.isReference else { throw DecodeError("malformed reference type", at: start) }
  return t
}

/// A heap type: an s33, a type index when not negative, else one byte naming an abstract heap type.
func heapType(_ reader: inout ByteReader) throws -> HeapType {
  let start = reader.position
  let value = try reader.s33()
  if value >= 0 { return .concrete(UInt32(truncatingIfNeeded: value)) }
  guard reader.position == start + 1, let a = AbstractHeapType(rawValue: reader.bytes[start]) else {
    throw DecodeError("malformed heap type", at: start)
  }
  return .abstract(a)
}

/// The GC instructions (Wasm 3.0, prefix 0xFB): structs and arrays, i31 references, casts, and the conversions
/// between the any and extern hierarchies. How they decode; GCValidation.swift says how they validate.
public enum GCInstruction: Hashable, Sendable {
  /// How a read of a packed (i8, i16) field or element extends it to an i32; `.none` for an unpacked one.
  public enum Extension: UInt8, Hashable, Sendable {
    case none, signed, unsigned
  }

  case structNew(UInt32)
  case structNewDefault(UInt32)
  case structGet(UInt32, field: UInt32, Extension)
  case structSet(UInt32, field: UInt32)
  case arrayNew(UInt32)
  case arrayNewDefault(UInt32)
  case arrayNewFixed(UInt32, count: UInt32)
  case arrayNewData(UInt32, data: UInt32)
  case arrayNewElem(UInt32, elem: UInt32)
  case arrayGet(UInt32, Extension)
  case arraySet(UInt32)
  case arrayLen
  case arrayFill(UInt32)
  case arrayCopy(destination: UInt32, source: UInt32)
  case arrayInitData(UInt32, data: UInt32)
  case arrayInitElem(UInt32, elem: UInt32)
  case refTest(RefType)
  case refCast(RefType)
  /// `br_on_cast l from to`: branches with the reference when it is of `to`.
  case brOnCast(label: UInt32, from: RefType, to: RefType)
  /// `br_on_cast_fail l from to`: branches with the reference when it is not of `to`.
  case brOnCastFail(label: UInt32, from: RefType, to: RefType)
  case anyConvertExtern
  case externConvertAny
  case refI31
  case i31Get(signed: Bool)

  /// Whether a constant expression may hold it (those that allocate or convert, and `ref.i31`).
  public var isConstant: Bool {
    switch self {
    case .structNew, .structNewDefault, .arrayNew, .arrayNewDefault, .arrayNewFixed, .refI31, .anyConvertExtern,
         .externConvertAny:
      return true
    default:
      return false
    }
  }
}

extension InstructionReader {
  /// An instruction after the 0xFB prefix.
  mutating func gcInstruction(_ start: Int) throws -> Instruction {
    let sub = try reader.u32()
    func index() throws -> UInt32 { try reader.u32() }
    let instruction: GCInstruction
    switch sub {
    case 0: instruction = .structNew(try index())
    case 1: instruction = .structNewDefault(try index())
    case 2...4:
      let type = try index()
      instruction = .structGet(type, field: try index(), [.none, .signed, .unsigned][Int(sub - 2)])
    case 5:
      let type = try index()
      instruction = .structSet(type, field: try index())
    case 6: instruction = .arrayNew(try index())
    case 7: instruction = .arrayNewDefault(try index())
    case 8:
      let type = try index()
      instruction = .arrayNewFixed(type, count: try index())
    case 9:
      let type = try index()
      instruction = .arrayNewData(type, data: try index())
    case 10:
      let type = try index()
      instruction = .arrayNewElem(type, elem: try index())
    case 11...13: instruction = .arrayGet(try index(), [.none, .signed, .unsigned][Int(sub - 11)])
    case 14: instruction = .arraySet(try index())
    case 15: instruction = .arrayLen
    case 16: instruction = .arrayFill(try index())
    case 17:
      let destination = try index()
      instruction = .arrayCopy(destination: destination, source: try index())
    case 18:
      let type = try index()
      instruction = .arrayInitData(type, data: try index())
    case 19:
      let type = try index()
      instruction = .arrayInitElem(type, elem: try index())
    case 20, 21: instruction = .refTest(RefType(nullable: sub == 21, try heapType(&reader)))
    case 22, 23: instruction = .refCast(RefType(nullable: sub == 23, try heapType(&reader)))
    case 24, 25:
      let flagsAt = reader.position
      let flags = try reader.byte()
      guard flags & ~3 == 0 else { throw DecodeError("malformed br_on_cast flags", at: flagsAt) }
      let label = try index()
      let from = RefType(nullable: flags & 1 != 0, try heapType(&reader))
      let to = RefType(nullable: flags & 2 != 0, try heapType(&reader))
      instruction = sub == 24 ? .brOnCast(label: label, from: from, to: to) : .brOnCastFail(label: label, from: from, to: to)
    case 26: instruction = .anyConvertExtern
    case 27: instruction = .externConvertAny
    case 28: instruction = .refI31
    case 29: instruction = .i31Get(signed: true)
    case 30: instruction = .i31Get(signed: false)
    default: throw DecodeError("illegal opcode 0xfb \(sub)", at: start)
    }
    return .gc(instruction)
  }
}

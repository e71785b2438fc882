/// The instructions of the GC proposal (prefix 0xFB) in text: structs, arrays, i31 references, casts and the
/// conversions between the `any` and `extern` hierarchies. (swasm does not run them yet, issue 26; the parser
/// reads them so that scripts using them parse and their modules reach the decoder.)
let gcInstructions: [(name: String, code: UInt32, immediate: ImmediateKind)] = [
  ("struct.new", 0, .type), ("struct.new_default", 1, .type), ("struct.get", 2, .typeField),
  ("struct.get_s", 3, .typeField), ("struct.get_u", 4, .typeField), ("struct.set", 5, .typeField),
  ("array.new", 6, .type), ("array.new_default", 7, .type), ("array.new_fixed", 8, .typeCount),
  ("array.new_data", 9, .typeData), ("array.new_elem", 10, .typeElem), ("array.get", 11, .type),
  ("array.get_s", 12, .type), ("array.get_u", 13, .type), ("array.set", 14, .type), ("array.len", 15, .none),
  ("array.fill", 16, .type), ("array.copy", 17, .twoTypes), ("array.init_data", 18, .typeData),
  ("array.init_elem", 19, .typeElem), ("ref.test", 20, .castType), ("ref.cast", 22, .castType),
  ("br_on_cast", 24, .branchOnCast), ("br_on_cast_fail", 25, .branchOnCast), ("any.convert_extern", 26, .none),
  ("extern.convert_any", 27, .none), ("ref.i31", 28, .none), ("i31.get_s", 29, .none), ("i31.get_u", 30, .none),
]

extension ModuleParser {
  /// The immediates of a GC instruction (its opcode already written).
  func gcImmediates(_ kind: ImmediateKind, into w: inout BinaryWriter) throws {
    switch kind {
    case .typeField:
      let type = try index(.type)
      w.u32(type)
      if let t = cursor.current, t.kind == .id {
        guard let field = fieldNames[type]?[String(t.text)] else { throw cursor.error("unknown field $\(t.text)") }
        cursor.advance()
        w.u32(field)
      } else {
        w.u32(try cursor.takeU32())
      }
    case .typeCount:
      w.u32(try index(.type))
      w.u32(try cursor.takeU32())
    case .typeData:
      needsDataCount = true
      w.u32(try index(.type))
      w.u32(try index(.data))
    case .typeElem:
      w.u32(try index(.type))
      w.u32(try index(.elem))
    case .twoTypes:
      w.u32(try index(.type))
      w.u32(try index(.type))
    case .castType:
      let (nullable, heap) = try castTarget()
      if nullable { w.bytes[w.bytes.count - 1] += 1 }  // ref.test/ref.cast null: the next sub-opcode
      w.bytes += heap
    case .branchOnCast:
      let label = try self.label()
      let (nullable1, heap1) = try castTarget()
      let (nullable2, heap2) = try castTarget()
      w.byte((nullable1 ? 1 : 0) | (nullable2 ? 2 : 0))
      w.u32(label)
      w.bytes += heap1 + heap2
    default:
      fatalError("not a GC immediate: \(kind)")
    }
  }

  /// A reference type as its nullability and heap type (a shorthand like `anyref` is nullable).
  private func castTarget() throws -> (nullable: Bool, heap: [UInt8]) {
    let type = try referenceType()
    switch type[0] {
    case 0x64: return (false, Array(type.dropFirst()))
    case 0x63: return (true, Array(type.dropFirst()))
    default: return (true, type)
    }
  }
}

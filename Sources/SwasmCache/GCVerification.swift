import SwasmBytecode
import WasmBinary

// The bytecode verifier's rules for the GC instructions (tools/isa/gc.py). Their handlers check at run time that an
// object is of the instruction's type; what the verifier adds: type, field and segment indices exist and are of
// the right kind (a struct type for struct instructions, an array type for array ones), operand ranges fit the
// frame, each operand slot holds the kind its field or element has, and no instruction copies bytes or references
// of another kind into an array (array.new_data of an array of references, array.new_elem from a segment of
// another kind).

extension BytecodeVerifier {
  /// A struct or array type as the verifier sees it: each field's (or the element's) kinds, one per slot.
  struct GCShape {
    var isArray: Bool
    var fields: [[Kinds]]
  }

  static func gcShapes(of module: Module) -> [GCShape?] {
    func kinds(_ storage: StorageType) -> [Kinds] {
      let t = storage.unpacked
      return Array(repeating: kind(t, in: module), count: t.slotCount)
    }
    return module.types.map { type in
      switch type.composite {
      case .function: return nil
      case .structure(let fields): return GCShape(isArray: false, fields: fields.map { kinds($0.storage) })
      case .array(let element): return GCShape(isArray: true, fields: [kinds(element.storage)])
      }
    }
  }

  static let gcOpcodes: [Opcode] = Opcode.gcInstructions + Opcode.gcInstructions.compactMap(\.wideGCForm)
}

extension FunctionWalk {
  private func shape(_ at: Int, _ op: Opcode, _ name: OperandName = .type, array: Bool) throws -> BytecodeVerifier.GCShape {
    let index = value(at, op, name)
    guard index < verifier.gcShapes.count, let shape = verifier.gcShapes[index], shape.isArray == array else {
      throw fail("\(op.name) of type \(index), which is not \(array ? "an array" : "a struct") type", at: at)
    }
    return shape
  }

  /// The kinds of field `idx` of the instruction's struct type.
  private func field(_ at: Int, _ op: Opcode) throws -> [Kinds] {
    let fields = try shape(at, op, array: false).fields
    let index = value(at, op, .idx)
    guard index < fields.count else { throw fail("\(op.name) of field \(index), which does not exist", at: at) }
    return fields[index]
  }

  private func element(_ at: Int, _ op: Opcode, _ name: OperandName = .type) throws -> [Kinds] {
    try shape(at, op, name, array: true).fields[0]
  }

  /// The slots a `struct.get` of the instruction's field, or an `array.get` of its element, writes (2 for a v128).
  func fieldSlots(_ at: Int, _ op: Opcode) throws -> Int { try field(at, op).count }
  func elementSlots(_ at: Int, _ op: Opcode) throws -> Int { try element(at, op).count }

  private func fits(_ at: Int, _ first: Int, _ slots: Int) throws {
    guard first + slots <= frameSize else { throw fail("operands outside the frame", at: at) }
  }

  /// The index checks of a GC instruction: true (it makes or takes references); nil for any other instruction.
  func checkGCIndices(_ at: Int, _ op: Opcode) throws -> Bool? {
    let v = verifier
    // A `_w` form is checked as its instruction (its fields are found by name, whatever their width).
    let form = op.narrowGCForm
    switch form {
    case .struct_new:
      try fits(at, value(at, op, .base), try shape(at, op, array: false).fields.reduce(0) { $0 + $1.count })
    case .struct_new_default: _ = try shape(at, op, array: false)
    case .struct_get, .struct_get_s, .struct_get_u: try fits(at, value(at, op, .rd), try field(at, op).count)
    case .struct_set: try fits(at, value(at, op, .rv), try field(at, op).count)
    case .array_new: try fits(at, value(at, op, .rv), try element(at, op).count)
    case .array_new_default: _ = try element(at, op)
    case .array_new_fixed: try fits(at, value(at, op, .base), value(at, op, .count) * (try element(at, op).count))
    case .array_get, .array_get_s, .array_get_u: try fits(at, value(at, op, .rd), try element(at, op).count)
    case .array_set: try fits(at, value(at, op, .rv), try element(at, op).count)
    case .array_fill: try fits(at, value(at, op, .base), 3 + (try element(at, op).count))
    case .array_copy:
      guard try element(at, op, .dst) == element(at, op, .src) else { throw fail("array.copy between kinds", at: at) }
      try fits(at, value(at, op, .base), 5)
    case .array_new_data, .array_init_data, .array_new_elem, .array_init_elem:
      let kinds = try element(at, op)
      if form == .array_new_data || form == .array_init_data {
        guard value(at, op, .seg) < v.dataCount else { throw fail("data segment \(value(at, op, .seg)) does not exist", at: at) }
        guard !kinds.contains(where: { $0 & BytecodeVerifier.reference != 0 }) else {
          throw fail("\(op.name) into an array of references", at: at)
        }
      } else {
        guard value(at, op, .seg) < v.elementSegments.count else {
          throw fail("element segment \(value(at, op, .seg)) does not exist", at: at)
        }
        guard kinds == [v.elementSegments[value(at, op, .seg)]] else { throw fail("\(op.name) from a segment of another kind", at: at) }
      }
      if form == .array_init_data || form == .array_init_elem { try fits(at, value(at, op, .base), 4) }
    case .ref_test, .ref_cast:
      let target = UInt32(truncatingIfNeeded: value(at, op, .imm))
      if target & CastTarget.abstract == 0, Int(target & ~CastTarget.nullable) >= v.gcShapes.count {
        throw fail("\(op.name) to type \(target & ~CastTarget.nullable), which does not exist", at: at)
      }
    case .any_convert_extern, .extern_convert_any, .ref_i31, .i31_get_s, .i31_get_u, .array_len: break
    default: return nil
    }
    return true
  }

  /// The kind of the references a cast to `target` (`CastTarget`) tests: its hierarchy's.
  private func castOperandKind(_ target: UInt32) -> Kinds {
    if target & CastTarget.abstract != 0 {
      return BytecodeVerifier.kind(ofHierarchy: AbstractHeapType(rawValue: UInt8(truncatingIfNeeded: target))?.top ?? .any)
    }
    let index = Int(target & ~CastTarget.nullable)
    return index < verifier.gcShapes.count && verifier.gcShapes[index] == nil ? BytecodeVerifier.funcref : BytecodeVerifier.anyref
  }

  /// How a GC instruction changes the slots' kinds: false for any other instruction.
  func transferGC(_ at: Int, _ op: Opcode, _ k: inout [Kinds]) throws -> Bool {
    let number = BytecodeVerifier.number, anyref = BytecodeVerifier.anyref
    func r(_ name: OperandName) -> Int { value(at, op, name) }
    func require(_ slot: Int, _ kind: Kinds, _ what: String) throws { try self.require(k[slot], kind, at: at, what) }
    func require(_ first: Int, _ kinds: [Kinds], _ what: String) throws {
      for (i, kind) in kinds.enumerated() { try require(first + i, kind, what) }
    }
    func write(_ first: Int, _ kinds: [Kinds]) { for (i, kind) in kinds.enumerated() { k[first + i] = kind } }
    let form = op.narrowGCForm  // a `_w` form as its instruction
    switch form {
    case .struct_new:
      var slot = r(.base)
      for field in try shape(at, op, array: false).fields {
        try require(slot, field, "field")
        slot += field.count
      }
      k[r(.rd)] = anyref
    case .struct_new_default, .array_new_default:
      if form == .array_new_default { try require(r(.rn), number, "count") }
      k[r(.rd)] = anyref
    case .struct_get, .struct_get_s, .struct_get_u:
      try require(r(.ra), anyref, "struct operand")
      write(r(.rd), try field(at, op))
    case .struct_set:
      try require(r(.ra), anyref, "struct operand")
      try require(r(.rv), try field(at, op), "field value")
    case .array_new:
      try require(r(.rv), try element(at, op), "element value")
      try require(r(.rn), number, "count")
      k[r(.rd)] = anyref
    case .array_new_fixed:
      let kinds = try element(at, op)
      for i in 0..<r(.count) { try require(r(.base) + i * kinds.count, kinds, "element value") }
      k[r(.rd)] = anyref
    case .array_new_data, .array_new_elem:
      try require(r(.rs), number, "segment offset")
      try require(r(.rn), number, "count")
      k[r(.rd)] = anyref
    case .array_get, .array_get_s, .array_get_u:
      try require(r(.ra), anyref, "array operand")
      try require(r(.ri), number, "index")
      write(r(.rd), try element(at, op))
    case .array_set:
      try require(r(.ra), anyref, "array operand")
      try require(r(.ri), number, "index")
      try require(r(.rv), try element(at, op), "element value")
    case .array_len, .i31_get_s, .i31_get_u:
      try require(r(.ra), anyref, "\(op.name) operand")
      k[r(.rd)] = number
    case .array_fill:
      let base = r(.base), kinds = try element(at, op)
      try require(base, anyref, "array operand")
      try require(base + 1, number, "index")
      try require(base + 2, kinds, "element value")
      try require(base + 2 + kinds.count, number, "count")
    case .array_copy:
      let base = r(.base)
      try require(base, [anyref, number, anyref, number, number], "array.copy operand")
    case .array_init_data, .array_init_elem:
      try require(r(.base), [anyref, number, number, number], "\(op.name) operand")
    case .ref_test, .ref_cast:
      // The operand is of the target's hierarchy: a cast looks into an object only where one can be.
      try require(r(.ra), castOperandKind(UInt32(truncatingIfNeeded: r(.imm))), "\(op.name) operand")
      k[r(.rd)] = form == .ref_test ? number : k[r(.ra)]
    case .any_convert_extern:
      try require(r(.ra), BytecodeVerifier.externref, "any.convert_extern operand")
      k[r(.rd)] = anyref
    case .extern_convert_any:
      try require(r(.ra), anyref, "extern.convert_any operand")
      k[r(.rd)] = BytecodeVerifier.externref
    case .ref_i31:
      try require(r(.ra), number, "ref.i31 operand")
      k[r(.rd)] = anyref
    default:
      return false
    }
    return true
  }
}

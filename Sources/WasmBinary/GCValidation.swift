/// Validation of the GC instructions (GCInstructions.swift).

extension ValueType {
  /// Whether locals, fields and elements of this type have a default value (zero or null): all but non-nullable
  /// references.
  public var isDefaultable: Bool {
    if case .ref(let r) = self { return r.isNullable }
    return true
  }
}

extension StorageType {
  public var isDefaultable: Bool { unpacked.isDefaultable }
  public var isPacked: Bool { self == .i8 || self == .i16 }
}

extension ModuleContext {
  func structFields(_ index: UInt32) throws -> [FieldType] {
    try requireType(index)
    guard case .structure(let fields) = types.types[Int(index)].composite else {
      throw ValidationError("type mismatch: type \(index) is not a struct type")
    }
    return fields
  }

  func arrayElement(_ index: UInt32) throws -> FieldType {
    try requireType(index)
    guard case .array(let element) = types.types[Int(index)].composite else {
      throw ValidationError("type mismatch: type \(index) is not an array type")
    }
    return element
  }

  func field(_ type: UInt32, _ index: UInt32) throws -> FieldType {
    let fields = try structFields(type)
    guard Int(index) < fields.count else { throw ValidationError("unknown field \(index) of type \(type)") }
    return fields[Int(index)]
  }

  /// The type a constant GC instruction leaves, given what it pops (checked by `pop`).
  func constantGCResult(_ instruction: GCInstruction, pop: ([ValueType]) throws -> Void) throws -> ValueType {
    switch instruction {
    case .structNew(let x):
      try pop(try structFields(x).map(\.storage.unpacked))
      return .ref(RefType(nullable: false, .concrete(x)))
    case .structNewDefault(let x):
      guard try structFields(x).allSatisfy(\.storage.isDefaultable) else {
        throw ValidationError("type mismatch: struct.new_default of a type with a non-defaultable field")
      }
      return .ref(RefType(nullable: false, .concrete(x)))
    case .arrayNew(let x):
      try pop([try arrayElement(x).storage.unpacked, .i32])
      return .ref(RefType(nullable: false, .concrete(x)))
    case .arrayNewDefault(let x):
      guard try arrayElement(x).storage.isDefaultable else {
        throw ValidationError("type mismatch: array.new_default of a non-defaultable element type")
      }
      try pop([.i32])
      return .ref(RefType(nullable: false, .concrete(x)))
    case .arrayNewFixed(let x, let n):
      guard n <= 10_000 else { throw ValidationError("array.new_fixed of \(n) elements: more than 10,000 (implementation limit)") }
      try pop(Array(repeating: try arrayElement(x).storage.unpacked, count: Int(n)))
      return .ref(RefType(nullable: false, .concrete(x)))
    case .refI31:
      try pop([.i32])
      return .ref(RefType(nullable: false, .i31))
    case .anyConvertExtern, .externConvertAny:
      preconditionFailure("converted by the caller, which knows the operand's nullability")
    default:
      throw ValidationError("constant expression required")
    }
  }
}

extension FunctionValidator {
  mutating func checkGC(_ instruction: GCInstruction) throws {
    switch instruction {
    case .structNew, .structNewDefault, .arrayNew, .arrayNewDefault, .arrayNewFixed, .refI31:
      var popped: [ValueType] = []
      let result = try context.constantGCResult(instruction) { types in popped = types }
      try pop(popped)
      push(result)
    case .structGet(let x, let f, let ext):
      let field = try context.field(x, f)
      guard field.storage.isPacked == (ext != .none) else {
        throw ValidationError(ext == .none ? "type mismatch: struct.get of a packed field needs _s or _u"
                                           : "type mismatch: struct.get_s/_u of a field that is not packed")
      }
      try pop(.ref(RefType(nullable: true, .concrete(x))))
      push(field.storage.unpacked)
    case .structSet(let x, let f):
      let field = try context.field(x, f)
      guard field.isMutable else { throw ValidationError("field is immutable") }
      try pop(field.storage.unpacked)
      try pop(.ref(RefType(nullable: true, .concrete(x))))
    case .arrayNewData(let x, let data):
      let element = try context.arrayElement(x)
      guard !element.storage.unpacked.isReference else {
        throw ValidationError("type mismatch: array.new_data of an array of references")
      }
      try context.requireData(data)
      try pop([.i32, .i32])
      push(.ref(RefType(nullable: false, .concrete(x))))
    case .arrayNewElem(let x, let segment):
      let element = try context.arrayElement(x)
      guard context.isSubtype(try context.elementType(segment), of: element.storage.unpacked) else {
        throw ValidationError("type mismatch: array.new_elem from a segment of another type")
      }
      try pop([.i32, .i32])
      push(.ref(RefType(nullable: false, .concrete(x))))
    case .arrayGet(let x, let ext):
      let element = try context.arrayElement(x)
      guard element.storage.isPacked == (ext != .none) else {
        throw ValidationError("type mismatch: array.get of a packed element needs _s or _u, of another must not")
      }
      try pop([.ref(RefType(nullable: true, .concrete(x))), .i32])
      push(element.storage.unpacked)
    case .arraySet(let x):
      let element = try mutableElement(x)
      try pop([.ref(RefType(nullable: true, .concrete(x))), .i32, element.storage.unpacked])
    case .arrayLen:
      try pop(.ref(RefType(nullable: true, .array)))
      push(.i32)
    case .arrayFill(let x):
      let element = try mutableElement(x)
      try pop([.ref(RefType(nullable: true, .concrete(x))), .i32, element.storage.unpacked, .i32])
    case .arrayCopy(let x, let y):
      let destination = try mutableElement(x)
      let source = try context.arrayElement(y)
      guard context.types.isSubtype(source.storage, of: destination.storage) else {
        throw ValidationError("type mismatch: array.copy between arrays of other element types")
      }
      try pop([.ref(RefType(nullable: true, .concrete(x))), .i32, .ref(RefType(nullable: true, .concrete(y))), .i32, .i32])
    case .arrayInitData(let x, let data):
      let element = try mutableElement(x)
      guard !element.storage.unpacked.isReference else {
        throw ValidationError("type mismatch: array.init_data of an array of references")
      }
      try context.requireData(data)
      try pop([.ref(RefType(nullable: true, .concrete(x))), .i32, .i32, .i32])
    case .arrayInitElem(let x, let segment):
      let element = try mutableElement(x)
      guard context.isSubtype(try context.elementType(segment), of: element.storage.unpacked) else {
        throw ValidationError("type mismatch: array.init_elem from a segment of another type")
      }
      try pop([.ref(RefType(nullable: true, .concrete(x))), .i32, .i32, .i32])
    case .refTest(let type):
      try checkValueType(.ref(type))
      try pop(.ref(RefType(nullable: true, .abstract(context.types.top(of: type.heapType)))))
      push(.i32)
    case .refCast(let type):
      try checkValueType(.ref(type))
      try pop(.ref(RefType(nullable: true, .abstract(context.types.top(of: type.heapType)))))
      push(.ref(type))
    case .brOnCast(let depth, let from, let to), .brOnCastFail(let depth, let from, let to):
      try checkValueType(.ref(from))
      try checkValueType(.ref(to))
      guard context.types.isSubtype(to, of: from) else {
        throw ValidationError("type mismatch: br_on_cast's target type \(to) is not a subtype of \(from)")
      }
      // What goes to the label (the reference, of `to` or of `from` minus `to`) and what stays.
      let difference = RefType(nullable: from.isNullable && !to.isNullable, from.heapType)
      let isFail: Bool
      if case .brOnCastFail = instruction { isFail = true } else { isFail = false }
      let (branched, kept) = isFail ? (difference, to) : (to, difference)
      var types = try labelTypes(depth)
      guard let last = types.popLast(), context.isSubtype(.ref(branched), of: last) else {
        throw ValidationError("type mismatch: the label of a br_on_cast does not take \(branched)")
      }
      try pop(.ref(from))
      try pop(types)
      push(types)
      push(.ref(kept))
    case .anyConvertExtern, .externConvertAny:
      let toAny: Bool
      if case .anyConvertExtern = instruction { toAny = true } else { toAny = false }
      let r = try popReference()
      if let r, context.types.top(of: r.heapType) != (toAny ? .extern : .any) {
        throw ValidationError("type mismatch: \(toAny ? "any.convert_extern" : "extern.convert_any") of \(r)")
      }
      push(.ref(RefType(nullable: r?.isNullable ?? false, toAny ? .any : .extern)))
    case .i31Get:
      try pop(.ref(RefType(nullable: true, .i31)))
      push(.i32)
    }
  }

  private func mutableElement(_ type: UInt32) throws -> FieldType {
    let element = try context.arrayElement(type)
    guard element.isMutable else { throw ValidationError("array is immutable") }
    return element
  }
}

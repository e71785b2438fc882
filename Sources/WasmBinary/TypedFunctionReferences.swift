/// Typed function references (Wasm 3.0): references of a given function type (`(ref $t)`), non-nullable
/// references, and the instructions on them: `call_ref`, `return_call_ref`, `ref.as_non_null`, `br_on_null`,
/// `br_on_non_null` (and GC's `ref.eq`, decoded with them). Here: how their declarations and instructions
/// validate.

extension ModuleContext {
  /// `ref.null ht`: a nullable reference of a heap type that exists.
  func nullReference(_ heapType: HeapType) throws -> ValueType {
    if case .concrete(let i) = heapType { try requireType(i) }
    return .ref(RefType(nullable: true, heapType))
  }

  /// `ref.func f`: a non-null reference of the function's own type.
  func functionReference(_ function: UInt32) throws -> ValueType {
    try requireFunction(function)
    return .ref(RefType(nullable: false, .concrete(functionTypeIndices[Int(function)])))
  }

  func validateTableType(_ table: TableType) throws {
    try checkValueType(table.elementType)
    try table.validateLimits()
  }

  /// Each definition names only types of its own group or earlier ones; a declared supertype comes before the
  /// type, is not final, and is of the same kind with compatible fields, parameters and results.
  func validateTypeDefinitions() throws {
    for group in module.recGroups {
      for i in group {
        let definition = types.types[i]
        var outOfReach: UInt32?
        _ = definition.mappingHeapTypes { heapType in
          if case .concrete(let index) = heapType, Int(index) >= group.upperBound { outOfReach = index }
          return heapType
        }
        if let index = outOfReach { throw ValidationError("unknown type \(index) (type \(i) may name only types up to its group's end)") }
        guard case .concrete(let s)? = definition.supertype else { continue }
        guard Int(s) < i else { throw ValidationError("unknown type \(s) (a supertype must be defined before type \(i))") }
        let supertype = types.types[Int(s)]
        guard !supertype.isFinal else { throw ValidationError("sub type \(i) of final type \(s)") }
        guard types.isSubtype(definition.composite, of: supertype.composite) else {
          throw ValidationError("sub type \(i) does not match its supertype \(s)")
        }
      }
    }
  }
}

extension FunctionValidator {
  /// Pops a reference (or the unknown type of unreachable code, as nil).
  mutating func popReference() throws -> RefType? {
    guard let t = try pop() else { return nil }
    guard case .ref(let r) = t else { throw ValidationError("type mismatch: expected a reference, found \(t)") }
    return r
  }

  mutating func checkTypedReference(_ instruction: Instruction) throws {
    switch instruction {
    case .refAsNonNull:
      let r = try popReference()
      push(r.map { .ref(RefType(nullable: false, $0.heapType)) })
    case .brOnNull(let depth):
      let r = try popReference()
      let types = try labelTypes(depth)
      try pop(types)
      push(types)
      push(r.map { .ref(RefType(nullable: false, $0.heapType)) })
    case .brOnNonNull(let depth):
      let r = try popReference()
      var types = try labelTypes(depth)
      guard let last = types.popLast(), last.isReference else {
        throw ValidationError("type mismatch: br_on_non_null needs a label taking a reference last")
      }
      if let r, !context.isSubtype(.ref(RefType(nullable: false, r.heapType)), of: last) {
        throw ValidationError("type mismatch: br_on_non_null passes \(r) to a label of \(last)")
      }
      try pop(types)
      push(types)
    case .callRef(let typeIndex):
      let t = try context.type(typeIndex)
      try pop(.ref(RefType(nullable: true, .concrete(typeIndex))))
      try pop(t.params)
      push(t.results)
    case .refEq:
      try pop(.ref(RefType(nullable: true, .eq)))
      try pop(.ref(RefType(nullable: true, .eq)))
      push(.i32)
    default:
      preconditionFailure("not a typed reference instruction: \(instruction)")
    }
  }

  /// Whether `types` can be returned where `expected` are: as many, each a subtype.
  func areSubtypes(_ types: [ValueType], of expected: [ValueType]) -> Bool {
    types.count == expected.count && zip(types, expected).allSatisfy { context.isSubtype($0, of: $1) }
  }

  /// The same for block types as frames keep them: an `if` without `else` checks its parameters against its
  /// results at every `end`, without building arrays for the common cases.
  func areSubtypes(_ types: TypeList, of expected: TypeList) -> Bool {
    switch (types, expected) {
    case (.none, .none): return true
    case (.one(let t), .one(let e)): return t.isSameType(as: e) || context.isSubtype(t, of: e)
    default: return areSubtypes(types.array, of: expected.array)
    }
  }
}

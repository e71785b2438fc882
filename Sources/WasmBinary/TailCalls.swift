/// Validation of the tail calls (`return_call`, `return_call_indirect`, `return_call_ref`; Wasm 3.0): a call whose callee's results
/// become the caller's own, so the callee must return exactly what the caller's function type says.
extension FunctionValidator {
  mutating func checkTailCall(_ instruction: Instruction) throws {
    let callee: FuncType
    switch instruction {
    case .returnCall(let f):
      callee = try context.functionType(f)
    case .returnCallIndirect(let typeIndex, let table):
      guard context.isSubtype(try context.table(table).elementType, of: .funcref) else {
        throw ValidationError("type mismatch: return_call_indirect needs a funcref table")
      }
      callee = try context.type(typeIndex)
      try pop(try context.table(table).addressType)
    case .returnCallRef(let typeIndex):
      callee = try context.type(typeIndex)
      try pop(.ref(RefType(nullable: true, .concrete(typeIndex))))
    default:
      preconditionFailure("not a tail call: \(instruction)")
    }
    guard areSubtypes(callee.results, of: frames[0].results.array) else {
      throw ValidationError("type mismatch: tail call returns \(callee.results), the function returns \(frames[0].results.array)")
    }
    try pop(callee.params)
    setUnreachable()
  }
}

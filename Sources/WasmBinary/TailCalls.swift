/// Validation of the tail calls (`return_call`, `return_call_indirect`; Wasm 3.0): a call whose callee's results
/// become the caller's own, so the callee must return exactly what the caller's function type says.
extension FunctionValidator {
  mutating func checkTailCall(_ instruction: Instruction) throws {
    let callee: FuncType
    switch instruction {
    case .returnCall(let f):
      callee = try context.functionType(f)
    case .returnCallIndirect(let typeIndex, let table):
      guard try context.table(table).elementType == .funcref else {
        throw ValidationError("type mismatch: return_call_indirect needs a funcref table")
      }
      callee = try context.type(typeIndex)
      try pop(.i32)
    default:
      preconditionFailure("not a tail call: \(instruction)")
    }
    guard callee.results == frames[0].results else {
      throw ValidationError("type mismatch: tail call returns \(callee.results), the function returns \(frames[0].results)")
    }
    try pop(callee.params)
    setUnreachable()
  }
}

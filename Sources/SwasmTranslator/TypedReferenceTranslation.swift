import SwasmBytecode
import WasmBinary

/// Typed function references: `call_ref` and `return_call_ref` (calls through a reference, arguments placed as for
/// any call), `ref.as_non_null`, `br_on_null` and `br_on_non_null` (a branch on whether the 64-bit reference slot
/// is 0), and `ref.eq`.
extension FunctionTranslator {
  mutating func typedReference(_ instruction: Instruction) throws {
    switch instruction {
    case .refAsNonNull:
      let entry = stack[height - 1]
      let r = popRegisters(1)[0]
      pushProduced(at: builder.emitRR(.ref_as_non_null, registers.temp(height), r), entry.type)
    case .refEq:
      let regs = popRegisters(2)
      pushProduced(at: builder.emitRRR(.ref_eq, registers.temp(height), regs[0], regs[1]), .i32)
    case .brOnNull(let depth):
      // The reference leaves the stack for the branch (taken on null) and stays when the branch is not taken.
      let reference = pop()
      let r = register(reference, at: height)
      try branchOn(r, taken: .br_i64_eqz, notTaken: .br_i64_nez, depth: Int(depth))
      stack.append(reference)
    case .brOnNonNull(let depth):
      // The reference is the label's last value: it goes with the branch, and is dropped when null.
      let r = register(stack[height - 1], at: height - 1)
      try branchOn(r, taken: .br_i64_nez, notTaken: .br_i64_eqz, depth: Int(depth))
      _ = pop()
    case .callRef(let typeIndex):
      let (reference, base, results) = placeArgumentsOfReferenceCall(typeIndex)
      builder.emitRRU(.call_ref, registers.temp(base), reference, typeIndex)
      noteSafepoint()
      clearPeephole()
      pushTemporaries(results)
    default:
      preconditionFailure("not a typed reference instruction: \(instruction)")
    }
  }

  mutating func returnCallReference(typeIndex: UInt32) {
    let (reference, base, _) = placeArgumentsOfReferenceCall(typeIndex)
    reserveTailCallFrame(base: base, module.functionType(typeIndex))
    builder.emitRRU(.return_call_ref, registers.temp(base), reference, typeIndex)
    markUnreachable()
  }

  /// Pops a call_ref's reference and arguments, the arguments moved into consecutive temporaries: the
  /// reference's register, the first argument's stack index, and the callee's results.
  private mutating func placeArgumentsOfReferenceCall(_ typeIndex: UInt32) -> (Reg, Int, [ValueType]) {
    let callee = module.functionType(typeIndex)
    // The reference is read before the call; argument moves only write the arguments' own slots, below it.
    let reference = popRegisters(1)[0]
    let base = height - callee.params.slotCount
    materialize(from: base)
    stack.removeLast(callee.params.slotCount)
    return (reference, base, callee.results)
  }

  /// A branch to label `depth` by the one-register test `taken` (`notTaken` its opposite) of `register`: straight
  /// to the label when its values are in place already, else around the moves that put them there.
  mutating func branchOn(_ register: Reg, taken: Opcode, notTaken: Opcode, depth: Int) throws {
    let target = control.count - 1 - depth
    let arity = control[target].labelTypes.slotCount
    if control[target].kind != .function && valuesInPlace(targetHeight: control[target].height, count: arity) {
      let at = builder.emitRO(taken, register, 0)
      branch(.field(at: at, field: taken.fields.first { $0.kind == .branchOffset }!), toLabelOf: target)
    } else {
      let at = builder.emitRO(notTaken, register, 0)
      try branch(depth: depth)
      patch(.field(at: at, field: notTaken.fields.first { $0.kind == .branchOffset }!), to: builder.code.count)
    }
    clearPeephole()
  }
}

import SwasmBytecode
import WasmBinary

/// Atomic instructions (the threads proposal): each becomes its one bytecode instruction (tools/isa/atomics.py),
/// with the memory's index and the offset as immediates, its operands in registers in the order the Wasm
/// instruction takes them.
extension FunctionTranslator {
  mutating func atomic(_ instruction: Instruction) {
    switch instruction {
    case .atomicFence:
      builder.emit(.atomic_fence, [])
      clearPeephole()
    case .atomic(let op, let memarg):
      let (params, result) = op.signature(address: memories[Int(memarg.memory)].addressType)
      let operands = popRegisters(params.count).map { UInt64($0) } + [UInt64(memarg.memory), memarg.offset]
      // The instructions follow the order of `AtomicOp`'s cases, from memory.atomic.notify on.
      let opcode = Opcode(rawValue: Opcode.memory_atomic_notify.rawValue + UInt16(op.index))!
      guard let result else {
        builder.emit(opcode, operands)
        clearPeephole()
        return
      }
      pushProduced(at: builder.emit(opcode, [UInt64(registers.temp(height))] + operands), result)
    default:
      preconditionFailure("not an atomic instruction: \(instruction)")
    }
  }
}

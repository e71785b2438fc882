import SwasmBytecode
import WasmBinary

/// Memories other than a 32-bit memory 0 (multiple memories, memory64), and the bulk instructions: the accesses
/// accesses become the checked variants of memory 0's instructions (tools/isa/memories.py), which name the memory
/// and compare addresses with its size. Memory 0 with 32-bit addresses keeps its unchecked instructions and
/// superinstructions.
extension FunctionTranslator {
  /// Whether accesses of memory `index` use memory 0's unchecked instructions (the guard region catches what
  /// falls outside it): only memory 0 with 32-bit addresses.
  func isGuardedMemory(_ index: UInt32) -> Bool { index == 0 && !memories[0].is64 }

  /// Emits the checked variant of the access `base` on memory `memory`: `registers` are its register fields, in
  /// order, before the offset; `trailing` its immediates after it (a lane index).
  @discardableResult
  mutating func emitCheckedAccess(_ base: Opcode, registers: [Reg], offset: UInt64, trailing: [UInt64] = [],
                                  memory: UInt32) -> Int {
    guard let variants = base.checkedAccess else { preconditionFailure("\(base.name) is not a memory access") }
    let fields = registers.map { UInt64($0) }
    if memories[Int(memory)].is64 {
      return builder.emit(variants.mem64, fields + [UInt64(memory), offset] + trailing)
    }
    return builder.emit(variants.mem, fields + [offset] + trailing + [UInt64(memory)])
  }

  mutating func checkedLoad(_ op: LoadOp, _ memarg: MemArg) {
    let address = popRegisters(1)[0]
    let opcode = Opcode(rawValue: Opcode.i32_load.rawValue + UInt16(op.rawValue - LoadOp.i32Load.rawValue))!
    let at = emitCheckedAccess(opcode, registers: [registers.temp(height), address], offset: memarg.offset,
                               memory: memarg.memory)
    pushProduced(at: at, op.resultType)
  }

  mutating func checkedStore(_ op: StoreOp, _ memarg: MemArg) {
    let r = popRegisters(2)
    let opcode = Opcode(rawValue: Opcode.i32_store.rawValue + UInt16(op.rawValue - StoreOp.i32Store.rawValue))!
    emitCheckedAccess(opcode, registers: [r[0], r[1]], offset: memarg.offset, memory: memarg.memory)
    clearPeephole()
  }

  /// memory.size and memory.grow on any memory but a 32-bit memory 0.
  mutating func indexedMemoryInstruction(_ instruction: Instruction) {
    switch instruction {
    case .memorySize(let m):
      pushProduced(at: builder.emitRU(.memory_size_mem, registers.temp(height), m), memories[Int(m)].addressType)
    case .memoryGrow(let m):
      let r = popRegisters(1)[0]
      pushProduced(at: builder.emitRRU(.memory_grow_mem, registers.temp(height), r, m), memories[Int(m)].addressType)
    default:
      preconditionFailure("not memory.size or memory.grow: \(instruction)")
    }
  }

  /// memory.fill, copy and init, which name their memories whatever they are.
  mutating func bulkMemoryInstruction(_ instruction: Instruction) {
    let r = popRegisters(3)
    switch instruction {
    case .memoryFill(let m): builder.emitRRRU(.memory_fill, r[0], r[1], r[2], m)
    case .memoryCopy(let dst, let src): builder.emitRRRUU(.memory_copy, r[0], r[1], r[2], dst, src)
    case .memoryInit(let segment, let m): builder.emitRRRUU(.memory_init, r[0], r[1], r[2], segment, m)
    default: preconditionFailure("not a bulk memory instruction: \(instruction)")
    }
    clearPeephole()
  }
}

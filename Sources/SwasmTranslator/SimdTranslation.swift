import SwasmBytecode
import WasmBinary

/// v128 values and the SIMD instructions. A v128 is two stack entries (StackEntry), so everything that places
/// values by stack height places it in two consecutive slots; the instructions name its first slot. Each SIMD
/// instruction becomes its own bytecode instruction (tools/isa/simd.py), its fields in one order: the destination
/// (if it has a result), the operands as Wasm orders them, then the immediates.
extension FunctionTranslator {
  /// Pushes a temporary for each of `types` (two entries for a v128): the results of a call or a block.
  mutating func pushTemporaries(_ types: [ValueType]) {
    for t in types {
      push(.temp, t)
      if t == .v128 { push(.temp, t) }
    }
  }

  /// Records that the instruction at `at` wrote a new v128 temporary on top of the stack (so that a `local.set`
  /// can retarget it, as for scalar results).
  mutating func pushProducedVector(at: Int) {
    guard !registers.wide else {
      push(.temp, .v128)
      return push(.temp, .v128)
    }
    adjacentProducers.removeAll()
    lastProducer = (at, height)
    lastCompare = nil
    push(.temp, .v128)
    push(.temp, .v128)
  }

  /// The first slot of the v128 whose low half is the stack entry at `index`.
  mutating func vectorRegister(at index: Int) -> Reg {
    switch stack[index].operand {
    case .local(let slot): return Reg(slot)
    case .temp: return registers.temp(index)
    case .constant(let low):
      guard case .constant(let high) = stack[index + 1].operand else { preconditionFailure("split v128 constant") }
      guard registers.wide else { return vectorConstantRegister(V128(low: low, high: high)) }
      // Wide mode: written into the entry's own (free) temporaries, as scalar constants are.
      builder.emit(.v128_const, [UInt64(registers.temp(index)), low, high])
      return registers.temp(index)
    }
  }

  /// Pops the v128 on top of the stack and returns its first slot.
  mutating func popVectorRegister() -> Reg {
    let reg = vectorRegister(at: height - 2)
    stack.removeLast(2)
    return reg
  }

  /// A v128 constant in two adjacent slots of the constant area (constant `k` is numbered down from the top while
  /// translating, and relocation puts `k` and `k + 1` next to each other, low half first).
  mutating func vectorConstantRegister(_ value: V128) -> Reg {
    if let k = vectorConstantIndex[value] { return registers.constant(k) }
    let k = constants.count
    constants += [value.low, value.high]
    vectorConstantIndex[value] = k
    return registers.constant(k)
  }

  /// `local.set`/`local.tee` of a v128 local at `slot`: as for a scalar (`setLocal`), for both halves.
  mutating func setVectorLocal(_ slot: Int, keep: Bool) {
    let index = height - 2
    let value = (stack[index], stack[index + 1])
    stack.removeLast(2)
    let referenced = stack.contains { $0.operand == .local(slot) || $0.operand == .local(slot + 1) }
    if !referenced, value.0.operand == .temp, let producer = lastProducer, producer.index == index,
       isLastInstruction(producer.at) {
      let op = builder.opcode(at: producer.at)
      builder.patchRegister(at: producer.at, field: op.fields[0], to: Reg(slot))
    } else {
      preserveLocal(slot)
      preserveLocal(slot + 1)
      if case .constant(let low) = value.0.operand, case .constant(let high) = value.1.operand {
        builder.emit(.v128_const, [UInt64(slot), low, high])
      } else {
        for (half, entry) in [value.0, value.1].enumerated() {
          let dst = Reg(slot + half)
          switch entry.operand {
          case .constant(let bits): emitConstant(bits, into: dst)
          case .local(let other): if other != slot + half { emitCopy(dst, Reg(other)) }
          case .temp: emitCopy(dst, registers.temp(index + half))
          }
        }
      }
    }
    clearPeephole()
    if keep {
      push(.local(slot), .v128)
      push(.local(slot + 1), .v128)
    }
  }

  /// `select` of two v128 values.
  mutating func selectVector() {
    let condition = register(stack[height - 1], at: height - 1)
    let second = vectorRegister(at: height - 3)
    let first = vectorRegister(at: height - 5)
    stack.removeLast(5)
    let at = builder.emit(.v128_select, [UInt64(registers.temp(height)), UInt64(condition), UInt64(first), UInt64(second)])
    pushProducedVector(at: at)
  }

  mutating func simd(_ instruction: Instruction) throws {
    switch instruction {
    case .v128Const(let value):
      push(.constant(value.low), .v128)
      push(.constant(value.high), .v128)
    case .simd(let op):
      if let laneBits = Self.splatLaneBits(op), case .constant(let bits) = stack[height - 1].operand {
        // A splat of a constant is a constant (`i32x4.splat (i32.const 1)` in vectorized loops' set-up).
        stack.removeLast()
        let value = Self.splat(bits, laneBits: laneBits)
        push(.constant(value.low), .v128)
        push(.constant(value.high), .v128)
        return
      }
      emitSimd(op, immediates: [])
    case .simdLane(let op, let lane):
      emitSimd(op, immediates: [UInt64(lane)])
    case .simdMemory(let op, let memarg):
      guard isGuardedMemory(memarg.memory) else { return emitSimd(op, immediates: [], checkedAccessOf: memarg) }
      guard memarg.offset <= UInt64(UInt32.max) else { throw TranslationError("memory offset too large") }
      if op == .v128Load || op == .v128Store, fuseAddress(op, offset: memarg.offset) { return }
      emitSimd(op, immediates: [memarg.offset])
    case .simdMemoryLane(let op, let memarg, let lane):
      guard isGuardedMemory(memarg.memory) else { return emitSimd(op, immediates: [UInt64(lane)], checkedAccessOf: memarg) }
      guard memarg.offset <= UInt64(UInt32.max) else { throw TranslationError("memory offset too large") }
      emitSimd(op, immediates: [memarg.offset, UInt64(lane)])
    case .i8x16Shuffle(let lanes):
      emitSimd(.i8x16Shuffle, immediates: Self.shuffleMasks(lanes))
    default:
      preconditionFailure("not a SIMD instruction: \(instruction)")
    }
  }

  /// i8x16.shuffle's lane indices (below 32) as two byte-selection masks, one per operand, each as two slots: a
  /// lane from the other operand selects zero (bit 7 set), as x86's pshufb reads a mask (CSwasmSIMD.h).
  static func shuffleMasks(_ lanes: V128) -> [UInt64] {
    let indices = lanes.bytes
    let first = V128(bytes: indices.map { $0 < 16 ? $0 : 0x80 })
    let second = V128(bytes: indices.map { $0 >= 16 ? $0 - 16 : 0x80 })
    return [first.low, first.high, second.low, second.high]
  }

  /// v128.load and v128.store whose address is `i32.add(base, imm)` just computed: as the scalar loads and stores
  /// do (`load`, `store`), the add runs inside the access (v128_load_add, v128_store_add).
  mutating func fuseAddress(_ op: SimdOp, offset: UInt64) -> Bool {
    if op == .v128Load {
      guard let add = takeAddress(from: .i32_add_ri, stackIndex: height - 1) else { return false }
      stack.removeLast()
      let at = builder.emit(.v128_load_add, [UInt64(registers.temp(height)), UInt64(add.base), UInt64(add.imm), offset])
      pushProducedVector(at: at)
      return true
    }
    // A store: the address below the value's two entries, added just now (the value a local or a constant) or
    // before the value's instructions.
    let addressIndex = height - 3
    let justEmitted = stack[height - 2].operand != .temp ? takeAddress(from: .i32_add_ri, stackIndex: addressIndex) : nil
    guard let add = justEmitted ?? takeEarlierAddress(stackIndex: addressIndex) else { return false }
    let value = vectorRegister(at: height - 2)
    stack.removeLast(3)
    builder.emit(.v128_store_add, [UInt64(add.base), UInt64(value), UInt64(add.imm), offset])
    clearPeephole()
    return true
  }

  /// The lane width of a splat instruction, nil for the others.
  static func splatLaneBits(_ op: SimdOp) -> Int? {
    switch op {
    case .i8x16Splat: return 8
    case .i16x8Splat: return 16
    case .i32x4Splat, .f32x4Splat: return 32
    case .i64x2Splat, .f64x2Splat: return 64
    default: return nil
    }
  }

  /// The low `laneBits` bits of `bits` repeated over 128 bits.
  static func splat(_ bits: UInt64, laneBits: Int) -> V128 {
    var half = laneBits == 64 ? bits : bits & ((1 << UInt64(laneBits)) - 1)
    var width = laneBits
    while width < 64 {
      half |= half << UInt64(width)
      width *= 2
    }
    return V128(low: half, high: half)
  }

  /// Pops `op`'s operands, emits its instruction and pushes its result (in the first operand's place). With
  /// `memarg` of a memory other than a 32-bit memory 0, the instruction is the access's checked variant, and
  /// `immediates` are those after the offset.
  mutating func emitSimd(_ op: SimdOp, immediates: [UInt64], checkedAccessOf memarg: MemArg? = nil) {
    guard let opcode = op.bytecode else { preconditionFailure("\(op.name) has no instruction") }
    let types = op.operandTypes
    let base = height - types.slotCount
    var operands: [UInt64] = []
    var index = base
    for t in types {
      operands.append(UInt64(t == .v128 ? vectorRegister(at: index) : register(stack[index], at: index)))
      index += t.slotCount
    }
    stack.removeLast(height - base)
    func emit(_ registers: [UInt64]) -> Int {
      guard let memarg else { return builder.emit(opcode, registers + immediates) }
      return emitCheckedAccess(opcode, registers: registers.map { Reg($0) }, offset: memarg.offset, trailing: immediates,
                               memory: memarg.memory)
    }
    guard let result = op.resultType else {
      emit(operands)
      clearPeephole()
      return
    }
    let at = emit([UInt64(registers.temp(base))] + operands)
    if result == .v128 {
      pushProducedVector(at: at)
    } else {
      pushProduced(at: at, result)
    }
  }
}

import SwasmBytecode
import WasmBinary

// Superinstructions chosen from measured instruction-pair frequencies (Benchmarks/results/): peepholes that
// replace the instruction just emitted, and the one about to be emitted, by one fused instruction. Each applies
// only when the first instruction is the last one emitted (no branch target in between) and its result is a
// temporary consumed once, by the second.
extension FunctionTranslator {
  /// Float add, sub and mul by kind, in the order of the fused pairs in tools/isa/superinstructions.py (a switch: this runs for
  /// every numeric instruction translated).
  static func floatPairKind(_ op: Opcode) -> (type: Int, kind: Int)? {
    switch op {
    case .f32_add: return (0, 0)
    case .f32_sub: return (0, 1)
    case .f32_mul: return (0, 2)
    case .f64_add: return (1, 0)
    case .f64_sub: return (1, 1)
    case .f64_mul: return (1, 2)
    default: return nil
    }
  }

  /// Fuses `op` (a float add, sub or mul) with the instruction just emitted when that one is a float add, sub or
  /// mul of the same type whose result is one of `op`'s operands: emits `rd = (ra op1 rb) op2 rc` (or
  /// `rc - (ra op1 rb)`) in its place. Returns false, changing nothing, when the pattern does not apply.
  mutating func fuseFloatPair(_ op: NumericOp) -> Bool {
    guard let second = Self.floatPairKind(op.registerForm), let producer = lastProducer,
          producer.index >= height - 2, stack[producer.index].operand == .temp, isLastInstruction(producer.at),
          let first = Self.floatPairKind(builder.opcode(at: producer.at)), first.type == second.type
    else { return false }
    let producedIsLeft = producer.index == height - 2
    let otherIndex = producedIsLeft ? height - 1 : height - 2
    // Second operation: add and mul commute; a sub whose right operand was just computed becomes rsub.
    let secondKind = second.kind == 2 ? 3 : (second.kind == 1 && !producedIsLeft ? 2 : second.kind)
    let rc = register(stack[otherIndex], at: otherIndex)
    let (ra, rb) = removeProducer(at: producer.at)
    let fused = Opcode(rawValue: Opcode.f32_add_add.rawValue + UInt16(second.type * 12 + first.kind * 4 + secondKind))!
    stack.removeLast(2)
    let at = builder.emitRRRR(fused, registers.temp(height), ra, Reg(truncatingIfNeeded: rb), rc)
    pushProduced(at: at, op.resultType)
    return true
  }

  /// When one operand of the binary operator about to be emitted is the temporary that the instruction just
  /// emitted produced, and the other is not a constant: that instruction's opcode. Changes nothing. (With a
  /// constant other operand, the immediate pairs such as `i32_mul_add_ri` are better: no constant slot to read.)
  func binaryOperandProducer() -> Opcode? {
    guard let producer = lastProducer, producer.index >= height - 2, stack[producer.index].operand == .temp,
          isLastInstruction(producer.at), immediate(stack[otherOperandIndex(producer.index)]) == nil else { return nil }
    return builder.opcode(at: producer.at)
  }

  /// The stack index of a binary operation's other operand, when one of its two is at `index`.
  func otherOperandIndex(_ index: Int) -> Int { index == height - 2 ? height - 1 : height - 2 }

  /// Removes the instruction `binaryOperandProducer` found and pops both operands: returns that instruction's
  /// register and immediate operands, and the other operand's register.
  mutating func takeBinaryOperandProducer() -> (ra: Reg, imm: UInt64, other: Reg) {
    let producer = lastProducer!
    let otherIndex = otherOperandIndex(producer.index)
    let other = register(stack[otherIndex], at: otherIndex)
    let (ra, imm) = removeProducer(at: producer.at)
    stack.removeLast(2)
    return (ra, imm, other)
  }

  /// Fuses `i32.add` with an `i32_shl_ri` or `i32_mul_ri` just emitted whose result is one of its operands:
  /// `i32_add_shl` (a scaled index) or `i32_mul_ri_add` (`x * k + y`), unless the other operand is a constant.
  /// When the other operand (the base) was loaded by an `i32_load` right before the shift, the load joins too:
  /// `i32_load_add_shl`.
  mutating func fuseScaledIndex(_ op: NumericOp) -> Bool {
    guard op == .i32Add, let scale = binaryOperandProducer(), scale == .i32_shl_ri || scale == .i32_mul_ri else { return false }
    let loadAt = scale == .i32_shl_ri ? baseLoadedBeforeLastProducer() : nil
    let (index, factor, base) = takeBinaryOperandProducer()
    let shift = UInt32(truncatingIfNeeded: factor)
    let at: Int
    if let loadAt {
      let (address, offset) = removeProducer(at: loadAt)
      at = builder.emitRRRUU(.i32_load_add_shl, registers.temp(height), address, index, shift,
                             UInt32(truncatingIfNeeded: offset))
    } else if scale == .i32_shl_ri {
      at = builder.emitRRRU(.i32_add_shl, registers.temp(height), base, index, shift)
    } else {
      at = builder.emitRRIR(.i32_mul_ri_add, registers.temp(height), index, Int32(truncatingIfNeeded: factor), base)
    }
    pushProduced(at: at, .i32)
    return true
  }

  /// Where an `i32_load` starts that immediately precedes the last producer (found by `binaryOperandProducer`) and
  /// wrote the binary operation's other operand, a temporary; nil otherwise.
  func baseLoadedBeforeLastProducer() -> Int? {
    guard let producer = lastProducer, adjacentProducers.count >= 2, adjacentProducers.last == producer.at else { return nil }
    let otherIndex = otherOperandIndex(producer.index)
    let loadAt = adjacentProducers[adjacentProducers.count - 2]
    guard otherIndex < producer.index, stack[otherIndex].operand == .temp, builder.opcode(at: loadAt) == .i32_load,
          builder.field(at: loadAt, Opcode.i32_load.fields[0]) == UInt64(registers.temp(otherIndex)) else { return nil }
    return loadAt
  }

  /// Fuses an xor with a shift by a constant just emitted whose result is one of its operands:
  /// `rd = (ra shift imm) ^ rb` (`i32_shl_ri_xor` and its neighbours), unless the other operand is a constant.
  mutating func fuseShiftXor(_ op: NumericOp) -> Bool {
    guard op == .i32Xor || op == .i64Xor, let (fused, is64) = binaryOperandProducer().flatMap(Self.shiftXor),
          // Of the xor's own type: an i32 shift retyped by `i64.extend_i32_u` (which emits nothing) stays apart.
          is64 == (op == .i64Xor) else { return false }
    let (shifted, amount, other) = takeBinaryOperandProducer()
    let at = builder.emitRRIR(fused, registers.temp(height), shifted, Int32(truncatingIfNeeded: amount), other)
    pushProduced(at: at, op.resultType)
    return true
  }

  /// The shift-then-xor instruction for `shift`, and whether it is an i64 one.
  static func shiftXor(_ shift: Opcode) -> (Opcode, is64: Bool)? {
    switch shift {
    case .i32_shl_ri: return (.i32_shl_ri_xor, false)
    case .i32_shr_u_ri: return (.i32_shr_u_ri_xor, false)
    case .i64_shl_ri: return (.i64_shl_ri_xor, true)
    case .i64_shr_u_ri: return (.i64_shr_u_ri_xor, true)
    default: return nil
    }
  }

  /// i32 operations with an immediate, in the order of the fused pairs in tools/isa/superinstructions.py (I32_RI_PAIR).
  static func immediatePairIndex(_ op: Opcode) -> Int? {
    switch op {
    case .i32_add_ri: return 0
    case .i32_sub_ri: return 1
    case .i32_mul_ri: return 2
    case .i32_and_ri: return 3
    case .i32_or_ri: return 4
    case .i32_xor_ri: return 5
    case .i32_shl_ri: return 6
    case .i32_shr_s_ri: return 7
    case .i32_shr_u_ri: return 8
    default: return nil
    }
  }

  /// Fuses `second` (an i32 operation with immediate `imm` on `operand`) with the instruction just emitted when
  /// that one is also an i32 operation with an immediate and produced `operand`: emits `rd = (ra op1 imm1) op2 imm`
  /// in its place and returns its position; nil when the pattern does not apply.
  mutating func fuseImmediatePair(_ second: Opcode, operand: StackEntry, at index: Int, imm: Int32, rd: Reg) -> Int? {
    if second == .i32_add_ri, operand.operand == .temp, let producer = lastProducer, producer.index == index,
       isLastInstruction(producer.at), builder.opcode(at: producer.at) == .i32_mul_ri_add {
      // `x * k + y` then `+ imm`: one instruction.
      let fields = Opcode.i32_mul_ri_add.fields
      let (ra, factor, rb) = (builder.field(at: producer.at, fields[1]), builder.field(at: producer.at, fields[2]),
                              builder.field(at: producer.at, fields[3]))
      builder.code.removeLast(builder.code.count - producer.at)
      return builder.emitRRIRI(.i32_mul_ri_add_ri, rd, Reg(truncatingIfNeeded: ra), Int32(truncatingIfNeeded: factor),
                               Reg(truncatingIfNeeded: rb), imm)
    }
    guard let secondIndex = Self.immediatePairIndex(second), operand.operand == .temp, let producer = lastProducer,
          producer.index == index, isLastInstruction(producer.at),
          let firstIndex = Self.immediatePairIndex(builder.opcode(at: producer.at)) else { return nil }
    let (ra, firstImm) = removeProducer(at: producer.at)
    let fused = Opcode(rawValue: Opcode.i32_add_add_ri.rawValue + UInt16(firstIndex * 9 + secondIndex))!
    return builder.emitRRII(fused, rd, ra, Int32(truncatingIfNeeded: firstImm), imm)
  }

  /// Fuses `second` (an i32 add, and, shl or shr_u with immediate `imm`) with an i32 load just emitted whose value
  /// is its operand: `rd = mem[raddr + offset] op imm`. Returns the fused instruction's position, or nil.
  mutating func fuseLoadImmediate(_ second: Opcode, operand: StackEntry, at index: Int, imm: Int32, rd: Reg) -> Int? {
    let ops: [Opcode] = [.i32_add_ri, .i32_and_ri, .i32_shl_ri, .i32_shr_u_ri]
    let loads: [Opcode] = [.i32_load, .i32_load8_u, .i32_load16_u]
    guard let opIndex = ops.firstIndex(of: second), operand.operand == .temp, let producer = lastProducer,
          producer.index == index, isLastInstruction(producer.at),
          let loadIndex = loads.firstIndex(of: builder.opcode(at: producer.at)) else { return nil }
    let (address, offset) = removeProducer(at: producer.at)
    let fused = Opcode(rawValue: Opcode.i32_load_add_ri.rawValue + UInt16(loadIndex * ops.count + opIndex))!
    return builder.emitRRIU(fused, rd, address, imm, UInt32(truncatingIfNeeded: offset))
  }

  /// `i32.eqz` of an integer comparison just emitted (how compilers write `x != 0` as `!(x == 0)`): replaces
  /// the comparison by its inverse, which a following `br_if` or `if` can still fuse with. Float comparisons are
  /// left alone (with NaN, `!(a < b)` is not `a >= b`).
  mutating func invertCompare() -> Bool {
    guard let facts = lastCompare, let producer = lastProducer, producer.at == facts.at, producer.index == height - 1,
          stack[height - 1].operand == .temp, isLastInstruction(facts.at), let inverse = Self.inverse(of: facts.op)
    else { return false }
    builder.code.removeLast(builder.code.count - facts.at)
    stack.removeLast()
    let rd = registers.temp(height)
    var inverted = CompareFacts(at: 0, op: inverse, ra: facts.ra, rb: facts.rb, imm: facts.imm)
    if facts.rb == nil && facts.imm == nil { inverted.imm = 0 }  // eqz -> ne 0
    if let imm = inverted.imm, let form = inverse.immediateForm {
      inverted.at = builder.emitRRI(form, rd, facts.ra, imm)
    } else if let rb = facts.rb {
      inverted.at = builder.emitRRR(inverse.registerForm, rd, facts.ra, rb)
    } else {
      return false  // unreachable: every integer comparison has an immediate form
    }
    pushProduced(at: inverted.at, .i32)
    lastCompare = inverted
    return true
  }

  /// The float comparison just emitted, when it produced the top of the stack: its `i32.eqz` stays two
  /// instructions as a value, but a branch on it fuses into one `br_not_f64_lt`-style instruction.
  func floatCompareProducingTop() -> CompareFacts? {
    guard let facts = lastCompare, facts.negatedAt == nil, facts.op.isFloatComparison,
          let producer = lastProducer, producer.at == facts.at, producer.index == height - 1,
          stack[height - 1].operand == .temp, isLastInstruction(facts.at) else { return nil }
    return facts
  }

  /// A numeric `select` whose condition is the integer comparison just emitted: one instruction compares and
  /// selects (`select_i64_gt_u rd, ra, rb, rx, ry`).
  mutating func fuseCompareSelect(_ resultType: ValueType) -> Bool {
    guard let facts = lastCompare, let producer = lastProducer, producer.at == facts.at, producer.index == height - 1,
          stack[height - 1].operand == .temp, isLastInstruction(facts.at), let index = Self.selectIndex(facts.op)
    else { return false }
    let rb: Reg
    if let r = facts.rb {
      rb = r
    } else if let imm = facts.imm {
      let is64 = index >= 10
      rb = constantRegister(is64 ? UInt64(bitPattern: Int64(imm)) : UInt64(UInt32(bitPattern: imm)))
    } else {
      return false  // eqz
    }
    let values = (rx: register(stack[height - 3], at: height - 3), ry: register(stack[height - 2], at: height - 2))
    if let reduction = conditionalAdd(facts, rx: values.rx, ry: values.ry) {
      builder.code.removeLast(builder.code.count - reduction.at)
      stack.removeLast(3)
      pushProduced(at: builder.emitRRRR(reduction.op, registers.temp(height), facts.ra, rb, reduction.addend), resultType)
      return true
    }
    builder.code.removeLast(builder.code.count - facts.at)
    stack.removeLast(3)
    let fused = Opcode(rawValue: Opcode.select_i32_eq.rawValue + UInt16(index))!
    pushProduced(at: builder.emitRRRRR(fused, registers.temp(height), facts.ra, rb, values.rx, values.ry), resultType)
    return true
  }

  /// `select (x + c) x (x > k)`, the reduction step of modular arithmetic, when the add was emitted right before
  /// the comparison `facts` and its result is the temporary `rx`: where it starts, the fused opcode
  /// (`select_i64_gt_u_add`, ...) and the register added (`c`, a constant's for an add of an immediate).
  mutating func conditionalAdd(_ facts: CompareFacts, rx: Reg, ry: Reg) -> (at: Int, op: Opcode, addend: Reg)? {
    let fused: Opcode, is64: Bool
    switch facts.op {
    case .i32GtU: (fused, is64) = (.select_i32_gt_u_add, false)
    case .i32GeU: (fused, is64) = (.select_i32_ge_u_add, false)
    case .i64GtU: (fused, is64) = (.select_i64_gt_u_add, true)
    case .i64GeU: (fused, is64) = (.select_i64_ge_u_add, true)
    default: return nil
    }
    guard ry == facts.ra, stack[height - 3].operand == .temp, rx == registers.temp(height - 3),
          adjacentProducers.count >= 2, case let at = adjacentProducers[adjacentProducers.count - 2],
          case let add = builder.opcode(at: at), at + add.size == facts.at else { return nil }
    let fields = add.fields
    let (rd, ra, third) = (builder.field(at: at, fields[0]), builder.field(at: at, fields[1]), builder.field(at: at, fields[2]))
    guard rd == UInt64(rx) else { return nil }
    switch add {
    case is64 ? .i64_add : .i32_add:
      if ra == UInt64(facts.ra) { return (at, fused, Reg(truncatingIfNeeded: third)) }
      if third == UInt64(facts.ra) { return (at, fused, Reg(truncatingIfNeeded: ra)) }
    case is64 ? .i64_add_ri : .i32_add_ri where ra == UInt64(facts.ra):
      let imm = Int32(truncatingIfNeeded: third)
      return (at, fused, constantRegister(is64 ? UInt64(bitPattern: Int64(imm)) : UInt64(UInt32(bitPattern: imm))))
    default: break
    }
    return nil
  }

  /// Position of an integer comparison in SELECT_CMP order (tools/isa/superinstructions.py), i64 ones after the i32 ones.
  static func selectIndex(_ op: NumericOp) -> Int? {
    switch op {
    case .i32Eq: return 0
    case .i32Ne: return 1
    case .i32LtS: return 2
    case .i32LtU: return 3
    case .i32GtS: return 4
    case .i32GtU: return 5
    case .i32LeS: return 6
    case .i32LeU: return 7
    case .i32GeS: return 8
    case .i32GeU: return 9
    case .i64Eq: return 10
    case .i64Ne: return 11
    case .i64LtS: return 12
    case .i64LtU: return 13
    case .i64GtS: return 14
    case .i64GtU: return 15
    case .i64LeS: return 16
    case .i64LeU: return 17
    case .i64GeS: return 18
    case .i64GeU: return 19
    default: return nil
    }
  }

  /// The integer comparison that is true exactly when `op` is false.
  static func inverse(of op: NumericOp) -> NumericOp? {
    switch op {
    case .i32Eqz: return .i32Ne
    case .i64Eqz: return .i64Ne
    case .i32Eq: return .i32Ne
    case .i32Ne: return .i32Eq
    case .i32LtS: return .i32GeS
    case .i32GeS: return .i32LtS
    case .i32GtS: return .i32LeS
    case .i32LeS: return .i32GtS
    case .i32LtU: return .i32GeU
    case .i32GeU: return .i32LtU
    case .i32GtU: return .i32LeU
    case .i32LeU: return .i32GtU
    case .i64Eq: return .i64Ne
    case .i64Ne: return .i64Eq
    case .i64LtS: return .i64GeS
    case .i64GeS: return .i64LtS
    case .i64GtS: return .i64LeS
    case .i64LeS: return .i64GtS
    case .i64LtU: return .i64GeU
    case .i64GeU: return .i64LtU
    case .i64GtU: return .i64LeU
    case .i64LeU: return .i64GtU
    default: return nil
    }
  }
}

extension NumericOp {
  var isFloatComparison: Bool {
    [.f32Eq, .f32Ne, .f32Lt, .f32Gt, .f32Le, .f32Ge, .f64Eq, .f64Ne, .f64Lt, .f64Gt, .f64Le, .f64Ge].contains(self)
  }
}

extension FunctionTranslator {
  /// An f32/f64 store of a value that the float add, sub or mul just emitted computed: one instruction computes and
  /// stores it (the value never goes through its slot).
  mutating func fuseFloatStore(_ op: StoreOp, offset: UInt32) -> Bool {
    let type = op == .f32Store ? 0 : op == .f64Store ? 1 : -1
    guard type >= 0, stack[height - 1].operand == .temp, let producer = lastProducer, producer.index == height - 1,
          isLastInstruction(producer.at), let first = Self.floatPairKind(builder.opcode(at: producer.at)),
          first.type == type else { return false }
    let address = register(stack[height - 2], at: height - 2)
    if first.kind == 0, fuseAddToMemory(type: type, add: producer.at, address: address, offset: offset) { return true }
    if first.kind == 1, fuseSubtractFromMemory(type: type, sub: producer.at, address: address, offset: offset) {
      return true
    }
    let (ra, rb) = removeProducer(at: producer.at)
    stack.removeLast(2)
    builder.emitRRRU(Opcode(rawValue: Opcode.f32_add_store.rawValue + UInt16(type * 3 + first.kind))!, address, ra,
                     Reg(truncatingIfNeeded: rb), offset)
    clearPeephole()
    return true
  }

  /// `x += e` in memory: the float add at `add` (the last instruction) whose right operand the load just before
  /// it read from the address and offset the store is about to write. Replaces both by `f64_add_to_mem`.
  mutating func fuseAddToMemory(type: Int, add: Int, address: Reg, offset: UInt32) -> Bool {
    let n = adjacentProducers.count
    guard n >= 2, adjacentProducers[n - 1] == add,
          let loaded = floatLoadOfPlace(at: adjacentProducers[n - 2], type: type, address: address, offset: offset)
    else { return false }
    let (e, right) = (builder.field(at: add, Opcode.f64_add.fields[1]), builder.field(at: add, Opcode.f64_add.fields[2]))
    guard right == loaded, e != loaded else { return false }
    builder.code.removeLast(builder.code.count - adjacentProducers[n - 2])
    stack.removeLast(2)
    builder.emitRRU(type == 0 ? .f32_add_to_mem : .f64_add_to_mem, address, Reg(truncatingIfNeeded: e), offset)
    clearPeephole()
    return true
  }

  /// `x -= e` in memory: the float sub at `sub` (the last instruction) whose left operand was loaded, from the
  /// address and offset the store is about to write, just before the one instruction that computed `e`. That
  /// instruction must be float arithmetic (no trap, no memory access), so that it can run before the load without
  /// any visible difference; it moves down and `f64_sub_from_mem` replaces the load, the sub and the store.
  mutating func fuseSubtractFromMemory(type: Int, sub: Int, address: Reg, offset: UInt32) -> Bool {
    let n = adjacentProducers.count
    guard n >= 3, adjacentProducers[n - 1] == sub else { return false }
    let (loadAt, middleAt) = (adjacentProducers[n - 3], adjacentProducers[n - 2])
    let middle = builder.opcode(at: middleAt)
    guard Self.isFloatArithmetic(middle),
          let loaded = floatLoadOfPlace(at: loadAt, type: type, address: address, offset: offset) else { return false }
    let subFields = Opcode.f64_sub.fields
    let (left, e) = (builder.field(at: sub, subFields[1]), builder.field(at: sub, subFields[2]))
    let middleRegisters = middle.fields.filter { $0.kind == .register }.map { builder.field(at: middleAt, $0) }
    guard left == loaded, e != loaded, !middleRegisters.contains(loaded),
          builder.field(at: middleAt, middle.fields[0]) != UInt64(address) else { return false }
    let moved = Array(builder.code[middleAt..<sub])
    builder.code.removeLast(builder.code.count - loadAt)
    builder.appendInstruction(moved)
    stack.removeLast(2)
    builder.emitRRU(type == 0 ? .f32_sub_from_mem : .f64_sub_from_mem, address, Reg(truncatingIfNeeded: e), offset)
    clearPeephole()
    return true
  }

  /// `x += e` on an i32 or i64 in memory, the sum perhaps also kept in a local (`local.tee`, as a running total
  /// is): the last two instructions are a plain load of the place the store is about to write, into a temporary,
  /// and an add of that value and another register, whose result the store writes. One `i32_add_to_mem` does all
  /// three and leaves the sum in the add's destination.
  mutating func fuseIntegerAddToMemory(_ op: StoreOp, offset: UInt32) -> Bool {
    let (load, add, fused): (Opcode, Opcode, Opcode)
    switch op {
    case .i32Store: (load, add, fused) = (.i32_load, .i32_add, .i32_add_to_mem)
    case .i64Store: (load, add, fused) = (.i64_load, .i64_add, .i64_add_to_mem)
    default: return false
    }
    let starts = builder.recentInstructionStarts
    guard starts.count >= 2, case let (loadAt, addAt) = (starts[starts.endIndex - 2], starts[starts.endIndex - 1]),
          loadAt >= labelAt, builder.opcode(at: loadAt) == load, builder.opcode(at: addAt) == add,
          addAt + add.size == builder.code.count,
          let address = registerOrNil(height - 2), let valueRegister = registerOrNil(height - 1) else { return false }
    let (loadFields, addFields) = (load.fields, add.fields)
    let loaded = builder.field(at: loadAt, loadFields[0])
    let (sum, left, right) = (builder.field(at: addAt, addFields[0]), builder.field(at: addAt, addFields[1]),
                              builder.field(at: addAt, addFields[2]))
    guard builder.field(at: loadAt, loadFields[1]) == address, builder.field(at: loadAt, loadFields[2]) == UInt64(offset),
          loaded >= UInt64(registers.localCount), loaded != address, sum == valueRegister, sum != address,
          (left == loaded) != (right == loaded) else { return false }
    let e = left == loaded ? right : left
    builder.code.removeLast(builder.code.count - loadAt)
    stack.removeLast(2)
    builder.emitRRRU(fused, Reg(truncatingIfNeeded: sum), Reg(truncatingIfNeeded: address), Reg(truncatingIfNeeded: e), offset)
    clearPeephole()
    return true
  }

  /// The register of the stack entry at `index` when it is a local or a temporary (nil for a constant).
  func registerOrNil(_ index: Int) -> UInt64? {
    switch stack[index].operand {
    case .local(let x): return UInt64(x)
    case .temp: return UInt64(registers.temp(index))
    case .constant: return nil
    }
  }

  /// The register that the plain f32 (`type` 0) or f64 load at `loadAt` wrote, when it read `address` + `offset`
  /// (the place a store is about to write), did not overwrite its own address, and no label falls after it.
  func floatLoadOfPlace(at loadAt: Int, type: Int, address: Reg, offset: UInt32) -> UInt64? {
    let load: Opcode = type == 0 ? .f32_load : .f64_load
    guard builder.opcode(at: loadAt) == load, labelAt <= loadAt,
          builder.field(at: loadAt, load.fields[1]) == UInt64(address),
          builder.field(at: loadAt, load.fields[2]) == UInt64(offset) else { return nil }
    let loaded = builder.field(at: loadAt, load.fields[0])
    return loaded == UInt64(address) ? nil : loaded
  }

  /// Float arithmetic that cannot trap and touches no memory: the plain and fused add/sub/mul/div forms.
  static func isFloatArithmetic(_ op: Opcode) -> Bool {
    let name = op.name
    guard name.hasPrefix("f32_") || name.hasPrefix("f64_") else { return false }
    return !["load", "store", "mem", "const", "convert", "demote", "promote", "reinterpret"].contains { name.contains($0) }
      && op.fields.first?.name == "rd"
  }

  /// When the last emitted instruction is `op` (`i32_add_ri`, or `i32_shl_ri` for a scaled index) writing the
  /// temporary at `stackIndex` (an address about to be used once, by a load or store), removes it and returns its
  /// register and immediate, for the fused access to compute.
  mutating func takeAddress(from op: Opcode, stackIndex: Int) -> (base: Reg, imm: UInt32)? {
    guard let producer = lastProducer, producer.index == stackIndex, stack[stackIndex].operand == .temp,
          builder.opcode(at: producer.at) == op, isLastInstruction(producer.at) else { return nil }
    let (base, imm) = removeProducer(at: producer.at)
    clearPeephole()
    return (base, UInt32(truncatingIfNeeded: imm))
  }

  /// A store's address that an `i32_add_ri` computed before the instructions computing the value (`a[i + k] = e`,
  /// the common case: Wasm pushes the address first). When those instructions, all in straight-line code after the
  /// latest label, neither write the add's operand nor the address, the add can run as part of the store
  /// (`i32_store_add`), one dispatch fewer: removes it and returns its register and immediate. Nothing after the
  /// add is a branch, so no branch offset or target moves with the code after it.
  mutating func takeEarlierAddress(stackIndex: Int) -> (base: Reg, imm: UInt32)? {
    guard stack[stackIndex].operand == .temp else { return nil }
    let address = UInt64(registers.temp(stackIndex))
    var writtenAfter: [UInt64] = []
    for at in builder.recentInstructionStarts.reversed() where at >= labelAt {
      let op = builder.opcode(at: at)
      guard !leavesStraightLine[Int(op.rawValue)] else { return nil }
      // (A v128 destination writes two slots.)
      let written = op.fields.filter(\.isDestination).flatMap { field in
        (0..<UInt64(field.slotCount)).map { builder.field(at: at, field) + $0 }
      }
      guard written.contains(address) else {
        writtenAfter += written
        continue
      }
      let fields = Opcode.i32_add_ri.fields
      guard op == .i32_add_ri, case let base = builder.field(at: at, fields[1]), !writtenAfter.contains(base),
            !writtenAfter.contains(address) else { return nil }
      let imm = UInt32(truncatingIfNeeded: builder.field(at: at, fields[2]))
      builder.removeInstruction(at: at)
      lastCopyAt = nil
      clearPeephole()
      return (Reg(truncatingIfNeeded: base), imm)
    }
    return nil
  }

  /// `global.set` of an i32 global (C's shadow-stack pointer) to itself moved by a constant, just computed:
  /// - the prologue `global.get g; i32.sub k; local.tee x; global.set g`, emitted as `global_get t; i32_sub_ri x,
  ///   t, k` with `t` a temporary that nothing reads again, becomes `global_add_ri x, g, -k`;
  /// - the epilogue `local.get x; i32.add k; global.set g` (the sum a temporary) becomes `global_set_add_ri x, g, k`.
  mutating func fuseGlobalUpdate(_ global: UInt32) -> Bool {
    let valueRegister = registerOrNil(height - 1)
    let starts = builder.recentInstructionStarts
    if starts.count >= 2, case let (getAt, opAt) = (starts[starts.endIndex - 2], starts[starts.endIndex - 1]),
       getAt >= labelAt, builder.opcode(at: getAt) == .global_get, case let op = builder.opcode(at: opAt),
       op == .i32_add_ri || op == .i32_sub_ri, opAt + op.size == builder.code.count {
      let (get, fields) = (Opcode.global_get.fields, op.fields)
      let (rd, ra, k) = (builder.field(at: opAt, fields[0]), builder.field(at: opAt, fields[1]), builder.field(at: opAt, fields[2]))
      let t = builder.field(at: getAt, get[0])
      if builder.field(at: getAt, get[1]) == UInt64(global), ra == t, t >= UInt64(registers.localCount), rd == valueRegister {
        let imm = Int32(truncatingIfNeeded: k)
        builder.code.removeLast(builder.code.count - getAt)
        stack.removeLast()
        builder.emitRUI(.global_add_ri, Reg(truncatingIfNeeded: rd), global, op == .i32_add_ri ? imm : 0 &- imm)
        clearPeephole()
        return true
      }
    }
    guard let add = takeAddress(from: .i32_add_ri, stackIndex: height - 1) else { return false }
    stack.removeLast()
    builder.emitRUI(.global_set_add_ri, add.base, global, Int32(bitPattern: add.imm))
    clearPeephole()
    return true
  }

  /// A store of the value that a load of the same width just read (copy loops, struct copies):
  /// `mem[rdst + offset2] = mem[raddr + offset]` in one instruction.
  mutating func fuseMemoryMove(_ op: StoreOp, offset: UInt32) -> Bool {
    guard stack[height - 1].operand == .temp, let producer = lastProducer, producer.index == height - 1,
          isLastInstruction(producer.at), Self.loadWidth(builder.opcode(at: producer.at)) == op.width else { return false }
    let (source, sourceOffset) = removeProducer(at: producer.at)
    let destination = register(stack[height - 2], at: height - 2)
    stack.removeLast(2)
    let move = Opcode(rawValue: Opcode.mem_move8.rawValue + UInt16(op.width.trailingZeroBitCount))!
    let sourceOffset32 = UInt32(truncatingIfNeeded: sourceOffset)
    if move != .mem_move64 || !extendMoveRun(source, destination, sourceOffset32, offset) {
      builder.emitRRUU(move, source, destination, sourceOffset32, offset)
    }
    clearPeephole()
    return true
  }

  /// An 8-byte move right after another between the same two address registers, with both offsets 8 bytes on
  /// (or back) from the other's: the two become a `mem_move64_run` of 2, or the run before grows by one.
  mutating func extendMoveRun(_ source: Reg, _ destination: Reg, _ offset: UInt32, _ offset2: UInt32) -> Bool {
    guard let (at, previous) = builder.lastInstruction(startingAtOrAfter: labelAt),
          previous == .mem_move64 || previous == .mem_move64_run else { return false }
    let fields = previous.fields
    func field(_ i: Int) -> UInt64 { builder.field(at: at, fields[i]) }
    guard field(0) == UInt64(source), field(1) == UInt64(destination) else { return false }
    let (count, step) = previous == .mem_move64 ? (Int64(1), Int64(offset) - Int64(field(2)))
                                                : (Int64(field(4)), Int64(Int32(truncatingIfNeeded: field(5))))
    // The next move of the run: both offsets one step on from the last move's.
    let (first, first2) = (Int64(field(2)), Int64(field(3)))
    guard step == 8 || step == -8, Int64(offset) == first + count * step, Int64(offset2) == first2 + count * step
    else { return false }
    builder.code.removeLast(builder.code.count - at)
    builder.emitRRUUUI(.mem_move64_run, source, destination, UInt32(first), UInt32(first2), UInt32(count + 1),
                       Int32(step))
    return true
  }

  /// The width of a plain load (whose value is the loaded bits, extended), nil for other instructions.
  static func loadWidth(_ op: Opcode) -> Int? {
    switch op {
    case .i32_load8_s, .i32_load8_u, .i64_load8_s, .i64_load8_u: return 1
    case .i32_load16_s, .i32_load16_u, .i64_load16_s, .i64_load16_u: return 2
    case .i32_load, .f32_load, .i64_load32_s, .i64_load32_u: return 4
    case .i64_load, .f64_load: return 8
    default: return nil
    }
  }

  /// A numeric `select` whose condition is the bit test (`i32.and` with an immediate) just emitted.
  mutating func fuseBitTestSelect(_ resultType: ValueType) -> Bool {
    guard stack[height - 1].operand == .temp, let producer = lastProducer, producer.index == height - 1,
          isLastInstruction(producer.at), builder.opcode(at: producer.at) == .i32_and_ri else { return false }
    let values = (rx: register(stack[height - 3], at: height - 3), ry: register(stack[height - 2], at: height - 2))
    let (tested, mask) = removeProducer(at: producer.at)
    stack.removeLast(3)
    let at = builder.emitRRIRR(.select_and_ri, registers.temp(height), tested, Int32(truncatingIfNeeded: mask),
                               values.rx, values.ry)
    pushProduced(at: at, resultType)
    return true
  }

  /// A numeric `select` on `eqz(x & k)` just emitted (`if (!(b & 1))`): `select_and_ri` with the two values
  /// swapped. For an i64 `x`, only when the immediate `k` is not negative: sign-extended, it then has no high bits,
  /// so `x & k` depends on the low 32 bits alone, which is what `select_and_ri` tests.
  mutating func fuseClearBitTestSelect(_ resultType: ValueType) -> Bool {
    let n = adjacentProducers.count
    guard n >= 2, stack[height - 1].operand == .temp, let producer = lastProducer, producer.index == height - 1,
          isLastInstruction(producer.at), adjacentProducers[n - 1] == producer.at,
          case let (andAt, eqzAt) = (adjacentProducers[n - 2], producer.at),
          [.i32_eqz, .i64_eqz].contains(builder.opcode(at: eqzAt)), labelAt <= andAt,
          [.i32_and_ri, .i64_and_ri].contains(builder.opcode(at: andAt)) else { return false }
    let andFields = Opcode.i32_and_ri.fields
    let (masked, tested, mask) = (builder.field(at: andAt, andFields[0]), builder.field(at: andAt, andFields[1]),
                                  Int32(truncatingIfNeeded: builder.field(at: andAt, andFields[2])))
    guard mask >= 0 || builder.opcode(at: andAt) == .i32_and_ri, builder.field(at: eqzAt, Opcode.i32_eqz.fields[1]) == masked,
          masked >= UInt64(registers.localCount) else { return false }
    let values = (rx: register(stack[height - 3], at: height - 3), ry: register(stack[height - 2], at: height - 2))
    builder.code.removeLast(builder.code.count - andAt)
    stack.removeLast(3)
    let at = builder.emitRRIRR(.select_and_ri, registers.temp(height), Reg(truncatingIfNeeded: tested), mask,
                               values.ry, values.rx)
    pushProduced(at: at, resultType)
    return true
  }

  /// When the instruction just emitted (at or after `emittedAt`) is an `op` whose operand fields `accept`: removes
  /// it and returns those fields in order, for an instruction that will do its work itself (a call its last
  /// argument moves, a return the stack pointer's restore, a branch the test of its condition).
  mutating func takeLast(_ op: Opcode, emittedAt: Int, where accept: ([UInt64]) -> Bool = { _ in true }) -> [UInt64]? {
    guard let last = builder.lastInstruction(startingAtOrAfter: emittedAt), last.op == op else { return nil }
    let fields = op.fields.map { builder.field(at: last.at, $0) }
    guard accept(fields) else { return nil }
    builder.code.removeLast(op.size)
    return fields
  }

  /// When the last argument move before a call is a `copy`: removes it and returns its registers.
  mutating func takeLastCopy(emittedAt: Int) -> (rd: Reg, rs: Reg)? {
    guard let f = takeLast(.copy, emittedAt: emittedAt) else { return nil }
    lastCopyAt = nil
    return (Reg(truncatingIfNeeded: f[0]), Reg(truncatingIfNeeded: f[1]))
  }

  /// When the last argument move before a call is a `copy2` (two copies merged): removes it and returns its
  /// registers.
  mutating func takeLastCopyPair(emittedAt: Int) -> (rd: Reg, ra: Reg, rd2: Reg, ra2: Reg)? {
    guard let f = takeLast(.copy2, emittedAt: emittedAt)?.map({ Reg(truncatingIfNeeded: $0) }) else { return nil }
    return (f[0], f[1], f[2], f[3])
  }

  /// When the instruction just emitted is a `const32` (a call's last argument move, a value set before a jump):
  /// removes it and returns its register and value.
  mutating func takeLastConstant(emittedAt: Int) -> (rd: Reg, imm: UInt32)? {
    guard let f = takeLast(.const32, emittedAt: emittedAt) else { return nil }
    return (Reg(truncatingIfNeeded: f[0]), UInt32(truncatingIfNeeded: f[1]))
  }

  /// When the instruction just emitted is an `i32_load8_u` with offset 0 into `rd` (a `br_table`'s index) and no
  /// branch lands between it and here: removes it and returns its address register.
  mutating func takeByteLoad(into rd: Reg) -> Reg? {
    guard labelAt != builder.code.count,
          let f = takeLast(.i32_load8_u, emittedAt: labelAt, where: { $0[0] == UInt64(rd) && $0[2] == 0 }) else { return nil }
    return Reg(truncatingIfNeeded: f[1])
  }

  /// A branch (`br_i32_nez` or `br_i32_eqz`) on `reg`, the temporary of stack slot `stackIndex`, which the
  /// instruction just emitted computed as `x & imm` (`i32_and_ri`) or as a loaded byte `& imm`
  /// (`i32_load8_u_and_ri`): removes that instruction and emits the test and the branch as one. Returns the
  /// branch's position and opcode, or nil (nothing emitted).
  mutating func emitBitTestBranch(_ branch: Opcode, on reg: Reg, stackIndex: Int) -> (at: Int, op: Opcode)? {
    guard branch == .br_i32_nez || branch == .br_i32_eqz, reg == registers.temp(stackIndex),
          let last = builder.lastInstruction(startingAtOrAfter: labelAt),
          last.op == .i32_and_ri || last.op == .i32_load8_u_and_ri,
          let f = takeLast(last.op, emittedAt: last.at, where: { $0[0] == UInt64(reg) }) else { return nil }
    let nez = branch == .br_i32_nez
    let (address, imm) = (Reg(truncatingIfNeeded: f[1]), Int32(truncatingIfNeeded: f[2]))
    if last.op == .i32_and_ri {
      let op: Opcode = nez ? .br_i32_and_ri_nez : .br_i32_and_ri_eqz
      return (builder.emitRIO(op, address, imm, 0), op)
    }
    let op: Opcode = nez ? .br_i32_load8_u_and_ri_nez : .br_i32_load8_u_and_ri_eqz
    return (builder.emitRIUO(op, address, imm, UInt32(truncatingIfNeeded: f[3]), 0), op)
  }

  /// When the instruction just emitted is a `global_set_add_ri` (the shadow-stack pointer's restore) and no branch
  /// lands between it and here: removes it and returns its operands.
  mutating func takeStackPointerRestore() -> (ra: Reg, global: UInt32, imm: Int32)? {
    guard labelAt != builder.code.count, let f = takeLast(.global_set_add_ri, emittedAt: 0) else { return nil }
    return (Reg(truncatingIfNeeded: f[0]), UInt32(truncatingIfNeeded: f[1]), Int32(truncatingIfNeeded: f[2]))
  }

  /// Removes the instruction at `at` (the last one emitted, about to be replaced by a fused one) and returns its
  /// second and third operand fields (the first is its destination): the register it read and its other
  /// register or immediate, zero-extended.
  mutating func removeProducer(at: Int) -> (Reg, UInt64) {
    let fields = builder.opcode(at: at).fields
    let operands = (Reg(truncatingIfNeeded: builder.field(at: at, fields[1])), builder.field(at: at, fields[2]))
    builder.code.removeLast(builder.code.count - at)
    return operands
  }
}

import SwasmBytecode
import WasmBinary

/// One register-to-register (or constant-to-register) copy of a parallel move.
struct Move {
  enum Source: Equatable {
    case register(Reg)
    case constant(UInt64)
  }
  var dst: Reg
  var src: Source
}

/// Blocks, branches and returns. Values crossing a label live in the temporaries fixed by their stack height
/// ("canonical slots"), so every path into a label leaves them in the same place.
extension FunctionTranslator {
  func blockSignature(_ bt: BlockType) -> (params: [ValueType], results: [ValueType]) {
    switch bt {
    case .empty: return ([], [])
    case .value(let t): return ([], [t])
    case .typeIndex(let i):
      let t = module.functionType(i)
      return (t.params, t.results)
    }
  }

  mutating func markUnreachable() {
    let i = control.count - 1
    stack.removeLast(height - control[i].height)
    control[i].unreachable = true
    clearPeephole()
  }

  /// At a block's entry every stack entry that still refers to a local is copied out: a `local.set` inside the
  /// block could otherwise preserve it on one path only. Loop and if parameters also move to their canonical
  /// slots, because back-edges and the implicit else path deliver them there.
  mutating func enterBlock(_ kind: ControlFrame.Kind, _ bt: BlockType) throws {
    let (params, results) = blockSignature(bt)
    let base = height - params.slotCount
    materializeLocals()
    if kind == .loop { materialize(from: base) }
    var frame = newFrame(kind, params, results, height: base)
    if kind == .loop {
      frame.loopStart = builder.code.count
      labelAt = builder.code.count
      clearPeephole()
      if meterFuel { openFuelCheck() }
    }
    control.append(frame)
  }

  mutating func materializeLocals() {
    var moves: [Move] = []
    for i in stack.indices {
      if case .local(let l) = stack[i].operand {
        moves.append(Move(dst: registers.temp(i), src: .register(Reg(l))))
        stack[i].operand = .temp
      }
    }
    emitParallelMove(moves)
  }

  mutating func enterIf(_ bt: BlockType) throws {
    let (params, results) = blockSignature(bt)
    let condition = pop()
    let conditionIndex = height
    let fused = takeFusableCompare(conditionIndex: conditionIndex, condition: condition)
    let conditionReg = fused == nil ? register(condition, at: conditionIndex) : 0
    let base = height - params.slotCount
    materializeLocals()
    materialize(from: base)
    let skip = emitConditionalBranch(fused: fused, condition: conditionReg, at: conditionIndex, whenTrue: false)
    var frame = newFrame(.if, params, results, height: base)
    frame.elseFixup = skip
    frame.entryParams = Array(stack[base...])
    control.append(frame)
  }

  mutating func elseInstruction() throws {
    let i = control.count - 1
    if !control[i].unreachable {
      moveResults(to: control[i].height, count: control[i].results.slotCount)
      let at = builder.emitO(.br, 0)
      control[i].endFixups.append(.field(at: at, field: Opcode.br.fields[0]))
    }
    if let skip = control[i].elseFixup { patch(skip, to: builder.code.count) }
    stack.removeLast(height - control[i].height)
    stack.append(contentsOf: control[i].entryParams)
    control[i].kind = .else
    control[i].elseFixup = nil
    control[i].unreachable = false
    clearPeephole()
  }

  mutating func end() throws {
    let frame = control[control.count - 1]
    if meterFuel && (frame.kind == .loop || frame.kind == .function) { closeFuelCheck() }
    if frame.kind == .function {
      if !frame.unreachable { emitReturn() }
      control.removeLast()
      return
    }
    if !frame.unreachable { moveResults(to: frame.height, count: frame.results.slotCount) }
    closeFrame()
  }

  /// The end of the innermost frame, whose results are in place: its label lands here.
  mutating func closeFrame() {
    let frame = control.removeLast()
    let here = builder.code.count
    if let skip = frame.elseFixup { patch(skip, to: here) }
    for fixup in frame.endFixups { patch(fixup, to: here) }
    labelPositions[frame.id] = here
    setScope(frame.outerScope)
    stack.removeLast(height - frame.height)
    pushTemporaries(frame.results)
    clearPeephole()
  }

  /// A frame entered at the current position, in the current handler scope.
  mutating func newFrame(_ kind: ControlFrame.Kind, _ params: [ValueType], _ results: [ValueType], height: Int)
    -> ControlFrame {
    var frame = ControlFrame(kind: kind, params: params, results: results, height: height)
    nextFrameID += 1
    frame.id = nextFrameID
    frame.outerScope = currentScope
    frame.innerScope = currentScope
    return frame
  }

  /// Where branches to the label of control frame `target` land, if known already (a loop's start, or any label
  /// around a legacy handler body translated after the function's body); nil for a label still ahead.
  func knownTarget(_ target: Int) -> Int? {
    control[target].kind == .loop ? control[target].loopStart : control[target].resolvedTarget
  }

  /// Sends `fixup` to the label of control frame `target`: now if its position is known, else at its end.
  mutating func branch(_ fixup: Fixup, toLabelOf target: Int) {
    if let position = knownTarget(target) {
      patch(fixup, to: position)
    } else {
      control[target].endFixups.append(fixup)
    }
  }

  /// Moves the top `count` values into the canonical slots of a label at `targetHeight`.
  mutating func moveResults(to targetHeight: Int, count: Int) {
    var moves: [Move] = []
    for k in 0..<count {
      let i = height - count + k
      moves.append(Move(dst: registers.temp(targetHeight + k), src: moveSource(stack[i], at: i)))
    }
    emitParallelMove(moves)
  }

  mutating func moveSource(_ entry: StackEntry, at index: Int) -> Move.Source {
    switch entry.operand {
    case .constant(let bits): return .constant(bits)
    case .local(let l): return .register(Reg(l))
    case .temp: return .register(registers.temp(index))
    }
  }

  func valuesInPlace(targetHeight: Int, count: Int) -> Bool {
    for k in 0..<count {
      let i = height - count + k
      if stack[i].operand != .temp || i != targetHeight + k { return false }
    }
    return true
  }

  // MARK: branches

  mutating func branch(depth: Int) throws {
    let target = control.count - 1 - depth
    if control[target].kind == .function {
      emitReturn()
      return
    }
    moveResults(to: control[target].height, count: control[target].labelTypes.slotCount)
    emitJump(to: target)
  }

  /// An unconditional jump to the label of control frame `target`.
  mutating func emitJump(to target: Int) {
    let fixup: Fixup
    if let add = takeLast(.i32_add_ri, emittedAt: labelAt) {
      // `i++` then the jump: one i32_add_ri_br (nothing branches to the jump alone: no label after the add).
      let (rd16, ra16, imm32) = (Reg(truncatingIfNeeded: add[0]), Reg(truncatingIfNeeded: add[1]), Int32(truncatingIfNeeded: add[2]))
      // A constant set just before (`flag = 1; i++; continue`), unless it is what the add reads.
      if let constant = takeLast(.const32, emittedAt: labelAt, where: { $0[0] != UInt64(ra16) }) {
        let at = builder.emitRURRIO(.const32_add_ri_br, Reg(truncatingIfNeeded: constant[0]),
                                    UInt32(truncatingIfNeeded: constant[1]), rd16, ra16, imm32, 0)
        fixup = .field(at: at, field: Opcode.const32_add_ri_br.fields[5])
      } else {
        let at = builder.emitRRIO(.i32_add_ri_br, rd16, ra16, imm32, 0)
        fixup = .field(at: at, field: Opcode.i32_add_ri_br.fields[3])
      }
    } else if let (rd, value) = takeLastConstant(emittedAt: labelAt) {
      let at = builder.emitRUO(.const32_br, rd, value, 0)
      fixup = .field(at: at, field: Opcode.const32_br.fields[2])
    } else {
      let at = builder.emitO(.br, 0)
      fixup = .field(at: at, field: Opcode.br.fields[0])
    }
    branch(fixup, toLabelOf: target)
    clearPeephole()
  }

  mutating func branchIf(depth: Int) throws {
    let condition = pop()
    let conditionIndex = height
    let fused = takeFusableCompare(conditionIndex: conditionIndex, condition: condition)
    let conditionReg = fused == nil ? register(condition, at: conditionIndex) : 0
    let target = control.count - 1 - depth
    let arity = control[target].labelTypes.slotCount
    if control[target].kind != .function && valuesInPlace(targetHeight: control[target].height, count: arity) {
      let fixup = emitConditionalBranch(fused: fused, condition: conditionReg, at: conditionIndex, whenTrue: true)
      branch(fixup, toLabelOf: target)
    } else {
      // Values must move (or the function returns) only when the branch is taken: skip over that code otherwise.
      let skip = emitConditionalBranch(fused: fused, condition: conditionReg, at: conditionIndex, whenTrue: false)
      try branch(depth: depth)
      patch(skip, to: builder.code.count)
    }
    clearPeephole()
  }

  mutating func branchTable(_ depths: [Int]) throws {
    let indexReg = popRegisters(1)[0]
    let tableAt: Int
    if let address = takeByteLoad(into: indexReg) {
      tableAt = builder.emitRUR(.br_table_load8_u, address, UInt32(depths.count - 1), indexReg)
    } else {
      tableAt = builder.emitRU(.br_table, indexReg, UInt32(depths.count - 1))
    }
    for _ in depths { builder.code.append(0) }
    var stubs: [(slot: Int, depth: Int)] = []
    for (k, depth) in depths.enumerated() {
      let target = control.count - 1 - depth
      let slot = tableAt + 2 + k
      let arity = control[target].labelTypes.slotCount
      if control[target].kind == .function || !valuesInPlace(targetHeight: control[target].height, count: arity) {
        stubs.append((slot, depth))
      } else {
        branch(.tableSlot(slot: slot, table: tableAt), toLabelOf: target)
      }
    }
    // Targets that need values moved get a stub after the table: moves, then a jump.
    for stub in stubs {
      patch(.tableSlot(slot: stub.slot, table: tableAt), to: builder.code.count)
      try branch(depth: stub.depth)
    }
    markUnreachable()
  }

  /// Emits a conditional branch with its offset left to patch. `fused` replaces the comparison just emitted;
  /// otherwise `condition` is the register of the value popped from stack slot `index`.
  mutating func emitConditionalBranch(fused: CompareFacts?, condition: Reg, at index: Int, whenTrue: Bool) -> Fixup {
    var at: Int
    var op: Opcode
    if let fused, let forms = fused.op.branchForms(whenTrue: whenTrue != (fused.negatedAt != nil)) {
      if fused.imm == nil, fused.rb == nil, let bitTest = emitBitTestBranch(forms.registers, on: fused.ra, stackIndex: index) {
        (at, op) = bitTest  // `!(x & k)`: the eqz's operand was the masked temporary
      } else if let imm = fused.imm, let immediateForm = forms.immediate {
        op = immediateForm
        at = builder.emitRIO(op, fused.ra, imm, 0)
      } else if let rb = fused.rb {
        op = forms.registers
        at = builder.emitRRO(op, fused.ra, rb, 0)
      } else {
        op = forms.registers  // eqz
        at = builder.emitRO(op, fused.ra, 0)
      }
    } else if let (copyAt, last) = builder.lastInstruction(startingAtOrAfter: labelAt), last == .copy {
      let fields = Opcode.copy.fields
      let (rd, ra) = (builder.field(at: copyAt, fields[0]), builder.field(at: copyAt, fields[1]))
      builder.code.removeLast(Opcode.copy.size)
      lastCopyAt = nil
      if whenTrue, let compare = compareWritingCondition(endingAt: copyAt, condition: condition), rd != UInt64(condition) {
        // The comparison that wrote the condition, the copy and the branch in one instruction, in that order.
        let compareFields = compare.op.fields
        let (cd, ca, imm) = (builder.field(at: compare.at, compareFields[0]), builder.field(at: compare.at, compareFields[1]),
                             builder.field(at: compare.at, compareFields[2]))
        builder.code.removeLast(builder.code.count - compare.at)
        op = compare.fused
        at = builder.emitRRIRRO(op, Reg(truncatingIfNeeded: cd), Reg(truncatingIfNeeded: ca), Int32(truncatingIfNeeded: imm),
                                Reg(truncatingIfNeeded: rd), Reg(truncatingIfNeeded: ra), 0)
      } else {
        // The copy just emitted and the branch in one instruction (the copy first, as before).
        op = whenTrue ? .copy_br_i32_nez : .copy_br_i32_eqz
        at = builder.emitRRRO(op, Reg(truncatingIfNeeded: rd), Reg(truncatingIfNeeded: ra), condition, 0)
      }
    } else {
      op = whenTrue ? .br_i32_nez : .br_i32_eqz
      if let bitTest = emitBitTestBranch(op, on: condition, stackIndex: index) {
        (at, op) = bitTest
      } else {
        at = builder.emitRO(op, condition, 0)
      }
    }
    clearPeephole()
    return .field(at: at, field: op.fields.first { $0.kind == .branchOffset }!)
  }

  /// The i32 comparison with an immediate that ends right at `end`, after the latest label, and wrote `condition`
  /// (a local: `local.set $c (i32.lt_u ...)`, a copy, then `br_if` on `$c`), with the instruction fusing it with a
  /// following copy and branch.
  func compareWritingCondition(endingAt end: Int, condition: Reg) -> (at: Int, op: Opcode, fused: Opcode)? {
    let starts = builder.recentInstructionStarts
    guard let at = starts.last(where: { $0 < end }), at >= labelAt else { return nil }
    let op = builder.opcode(at: at)
    guard at + op.size == end, let fused = Self.compareCopyBranch(op),
          builder.field(at: at, op.fields[0]) == UInt64(condition) else { return nil }
    return (at, op, fused)
  }

  static func compareCopyBranch(_ compare: Opcode) -> Opcode? {
    switch compare {
    case .i32_eq_ri: return .i32_eq_ri_copy_br
    case .i32_ne_ri: return .i32_ne_ri_copy_br
    case .i32_lt_s_ri: return .i32_lt_s_ri_copy_br
    case .i32_lt_u_ri: return .i32_lt_u_ri_copy_br
    case .i32_gt_s_ri: return .i32_gt_s_ri_copy_br
    case .i32_gt_u_ri: return .i32_gt_u_ri_copy_br
    case .i32_le_s_ri: return .i32_le_s_ri_copy_br
    case .i32_le_u_ri: return .i32_le_u_ri_copy_br
    case .i32_ge_s_ri: return .i32_ge_s_ri_copy_br
    case .i32_ge_u_ri: return .i32_ge_u_ri_copy_br
    default: return nil
    }
  }

  /// If `condition` is the result of the comparison just emitted, removes that comparison and returns it, so
  /// the branch can test the operands directly.
  mutating func takeFusableCompare(conditionIndex: Int, condition: StackEntry) -> CompareFacts? {
    guard condition.operand == .temp, let facts = lastCompare, let producer = lastProducer,
          producer.at == facts.valueAt, producer.index == conditionIndex, isLastInstruction(facts.valueAt)
    else { return nil }
    // An immediate comparison fuses only where an immediate branch form exists (not for eqz, which has no rb).
    if facts.imm != nil, facts.op.branchForms(whenTrue: true)?.immediate == nil { return nil }
    builder.code.removeLast(builder.code.count - facts.at)
    clearPeephole()
    return facts
  }

  mutating func patch(_ fixup: Fixup, to target: Int) {
    if target == builder.code.count { labelAt = target }
    switch fixup {
    case .field(let at, let field):
      builder.patchBranch(at: at, field: field, target: target)
    case .tableSlot(let slot, let table):
      builder.code[slot] = UInt64(bitPattern: Int64(target - table))
    case .handler(let scope, let clause):
      handlers.scopes[scope].clauses[clause].target = target
    }
  }

  // MARK: return

  /// Moves the results into the frame's first slots and returns.
  mutating func emitReturn() {
    let count = type.results.slotCount
    // A single result computed by the instruction just emitted is written straight into slot 0 (nothing reads
    // the frame after the return, and the instruction reads its operands before writing).
    if count == 1, stack[height - 1].operand == .temp, let producer = lastProducer, producer.index == height - 1,
       isLastInstruction(producer.at) {
      let op = builder.opcode(at: producer.at)
      builder.patchRegister(at: producer.at, field: op.fields[0], to: 0)
      // Its returning form (tools/isa/returns.py) computes and returns in one dispatch, unless a branch lands on
      // the return.
      if let returning = op.returningForm, labelAt != builder.code.count {
        builder.code[producer.at] = UInt64(returning.rawValue)
      } else {
        builder.emitNone(.ret)
      }
      clearPeephole()
      return
    }
    if count == 1, case .register(let source) = moveSource(stack[height - 1], at: height - 1), source != 0 {
      if let epilogue = takeStackPointerRestore() {
        builder.emitRUIR(.global_set_add_ri_ret_value, epilogue.ra, epilogue.global, epilogue.imm, source)
      } else {
        builder.emitR(.ret_value, source)
      }
      clearPeephole()
      return
    }
    var moves: [Move] = []
    for k in 0..<count {
      let i = height - count + k
      moves.append(Move(dst: Reg(k), src: moveSource(stack[i], at: i)))
    }
    emitParallelMove(moves)
    builder.emitNone(.ret)
    clearPeephole()
  }

  // MARK: parallel moves

  /// Emits copies so that every `dst` receives its `src` as it was before any copy: copies whose destination no
  /// other pending copy still reads go first; a cycle is broken through the scratch slot. Constants go last.
  mutating func emitParallelMove(_ moves: [Move]) {
    var pending: [(dst: Reg, src: Reg)] = []
    var constants: [(dst: Reg, bits: UInt64)] = []
    for m in moves {
      switch m.src {
      case .register(let r): if r != m.dst { pending.append((m.dst, r)) }
      case .constant(let bits): constants.append((m.dst, bits))
      }
    }
    while !pending.isEmpty {
      if let i = pending.firstIndex(where: { m in !pending.contains { $0.src == m.dst } }) {
        emitCopy(pending[i].dst, pending[i].src)
        pending.remove(at: i)
      } else {
        let blocked = pending[0].src
        emitCopy(registers.scratch, blocked)
        for k in pending.indices where pending[k].src == blocked { pending[k].src = registers.scratch }
      }
    }
    for c in constants { emitConstant(c.bits, into: c.dst) }
    if !moves.isEmpty { clearPeephole() }
  }
}

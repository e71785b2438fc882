import SwasmBytecode
import WasmBinary

/// One pass over a validated function body, simulating the operand stack (see `Operand`) and emitting
/// register bytecode. Control flow is in ControlTranslation.swift, the final frame layout in Relocation.swift.
/// A comparison just emitted, with its operands, so a following branch can replace it by a fused one.
struct CompareFacts {
  var at: Int
  var op: NumericOp
  var ra: Reg
  var rb: Reg?
  var imm: Int32?
  /// Where the `i32.eqz` of this float comparison was emitted, when the value is its negation: `!(a < b)` has no
  /// inverse float comparison (NaN), but a branch on it can still test `a < b` and branch the other way.
  var negatedAt: Int? = nil

  /// The instruction that produced the value a branch would test.
  var valueAt: Int { negatedAt ?? at }
}

struct FunctionTranslator {
  let module: Module
  /// The bytes the function's body lies in (the module's, or a chunk of its code section), which the
  /// instruction reader reads and legacy exception handlers are read again from.
  let bodyBytes: [UInt8]
  let functionTypes: [FuncType]
  /// Every memory (memory index space).
  let memories: [MemoryType]
  /// The type of every tag (tag index space).
  let tagTypes: [FuncType]
  let type: FuncType
  let locals: LocalLayout
  let registers: RegisterSpace

  var builder = CodeBuilder()
  var stack: [StackEntry] = []
  var control: [ControlFrame] = []
  var constants: [UInt64] = []
  var constantIndex: [UInt64: Int] = [:]
  /// v128 constants: the first of their two adjacent slots in `constants`.
  var vectorConstantIndex: [V128: Int] = [:]
  /// The highest operand-stack height reached: the number of temporaries the frame needs.
  var maxHeight = 0
  // The look-back facts below are never kept in wide mode (WideFrames.swift), where the registers in the code
  // are mapped frame slots rather than the numbers these facts are compared with: nothing fuses there.

  /// The last emitted instruction wrote its result to the temporary of stack index `index`; `local.set` may
  /// retarget it to write the local directly.
  var lastProducer: (at: Int, index: Int)? {
    didSet { if registers.wide, lastProducer != nil { lastProducer = nil } }
  }
  /// Where the last few producers start, oldest first, while each followed the one before with nothing between
  /// (a fused instruction that replaced the last one takes its place).
  var adjacentProducers: [Int] = []
  /// The last emitted instruction was a comparison; a following `br_if`/`if` fuses with it.
  var lastCompare: CompareFacts? {
    didSet { if registers.wide, lastCompare != nil { lastCompare = nil } }
  }
  /// The latest code position that is a branch target: instructions on either side of it never fuse.
  var labelAt = -1
  /// Where the latest `copy` was emitted (it can absorb an immediately following one).
  var lastCopyAt: Int? {
    didSet { if registers.wide, lastCopyAt != nil { lastCopyAt = nil } }
  }

  /// Fuel checks whose cost is still being counted: (code position of the check, Wasm instructions so far), for
  /// the function entry and each open loop. Empty when fuel is not metered.
  var fuelChecks: [(at: Int, cost: Int)] = []
  let meterFuel: Bool

  // Exception handling (ExceptionTranslation.swift).
  var handlers = HandlerTableBuilder()
  /// The handler scope covering the code emitted now.
  var currentScope = 0
  var nextFrameID = 0
  /// Where each closed frame's label landed, by frame id.
  var labelPositions: [Int: Int] = [:]
  var deferredHandlers: [DeferredHandler] = []
  /// Clauses landing on the function's label: on a `ret` after everything else.
  var returnPads: [Fixup] = []
  /// The temporaries holding traced references at each safepoint that has some, by the position where the code
  /// resumes after it (StackMapTranslation.swift).
  var stackMapEntries: [(resume: Int, slots: [Reg])] = []

  init(module: Module, bodyBytes: [UInt8], functionTypes: [FuncType], tagTypes: [FuncType], memories: [MemoryType],
       type: FuncType, locals: LocalLayout, registers: RegisterSpace, meterFuel: Bool) {
    self.module = module
    self.bodyBytes = bodyBytes
    self.functionTypes = functionTypes
    self.memories = memories
    self.tagTypes = tagTypes
    self.type = type
    self.locals = locals
    self.registers = registers
    builder.frameMap = registers.frameMap
    self.meterFuel = meterFuel
    control.append(ControlFrame(kind: .function, params: [], results: type.results, height: 0))
    if meterFuel { openFuelCheck() }
  }

  // MARK: fuel

  mutating func openFuelCheck() {
    fuelChecks.append((builder.emitU(.fuel, 0), 0))
  }

  /// Writes the instruction count of the innermost check into it (at the end of its loop or function).
  mutating func closeFuelCheck() {
    guard let check = fuelChecks.popLast() else { return }
    builder.code[check.at + 1] = UInt64(UInt32(clamping: check.cost))
  }

  // MARK: operands

  var height: Int { stack.count }

  mutating func push(_ operand: Operand, _ type: ValueType) {
    stack.append(StackEntry(operand: operand, type: type))
    if stack.count > maxHeight { maxHeight = stack.count }
  }

  mutating func pop() -> StackEntry {
    stack.removeLast()
  }

  /// The register holding `entry`, which is (or was) at stack index `index`.
  mutating func register(_ entry: StackEntry, at index: Int) -> Reg {
    switch entry.operand {
    case .local(let i): return Reg(i)
    case .temp: return registers.temp(index)
    case .constant(let bits):
      guard registers.wide else { return constantRegister(bits) }
      // Wide mode has no constant area: the constant is written into the entry's own temporary, free now.
      emitConstant(bits, into: registers.temp(index))
      return registers.temp(index)
    }
  }

  mutating func constantRegister(_ bits: UInt64) -> Reg {
    if let k = constantIndex[bits] { return registers.constant(k) }
    let k = constants.count
    constants.append(bits)
    constantIndex[bits] = k
    return registers.constant(k)
  }

  /// Pops `count` operands and returns them with their registers, bottom first.
  mutating func popRegisters(_ count: Int) -> [Reg] {
    let base = height - count
    var regs: [Reg] = []
    for i in 0..<count { regs.append(register(stack[base + i], at: base + i)) }
    stack.removeLast(count)
    return regs
  }

  /// Records that the instruction at `at` produced a new temporary on top of the stack.
  mutating func pushProduced(at: Int, _ type: ValueType) {
    guard !registers.wide else { return push(.temp, type) }
    while let last = adjacentProducers.last, last >= at { adjacentProducers.removeLast() }
    if let last = adjacentProducers.last, last + builder.opcode(at: last).size != at { adjacentProducers.removeAll() }
    adjacentProducers.append(at)
    if adjacentProducers.count > 3 { adjacentProducers.removeFirst() }
    lastProducer = (at, height)
    lastCompare = nil
    push(.temp, type)
  }

  /// Forgets producer/compare facts: code emitted since, or a label, breaks them.
  mutating func clearPeephole() {
    lastProducer = nil
    adjacentProducers.removeAll()
    lastCompare = nil
  }

  /// Emits `copy dst, src`, or turns an immediately preceding copy into a `copy2` doing both in order (not
  /// across a branch target, where the second copy can be reached alone).
  mutating func emitCopy(_ dst: Reg, _ src: Reg) {
    let count = builder.code.count
    if let previous = lastCopyAt, previous + Opcode.copy.size == count, labelAt != count {
      builder.code[previous] = UInt64(Opcode.copy2.rawValue)
      builder.code[previous + 1] |= (UInt64(dst) | UInt64(src) << 16) << 32
      lastCopyAt = nil
      return
    }
    lastCopyAt = builder.emitRR(.copy, dst, src)
  }

  var isLastInstruction: (Int) -> Bool {
    let count = builder.code.count
    let code = builder
    return { at in at + code.opcode(at: at).size == count }
  }

  // MARK: the body

  mutating func translateBody(_ reader: inout InstructionReader) throws {
    while !control.isEmpty { try step(try reader.next(), &reader) }
    try translateDeferredHandlers()
  }

  /// Translates one instruction of the body (a legacy try's first handler reads past the others).
  mutating func step(_ instruction: Instruction, _ reader: inout InstructionReader) throws {
    // The top frame's fields are read in place: a copy of the frame retained and released its four arrays at
    // every instruction.
    let top = control.count - 1
    if control[top].kind == .legacyTry {
      switch instruction {
      case .catch, .catchAll: return try legacyHandlers(instruction, &reader)
      default: break
      }
    }
    if control[top].unreachable { return try skipUnreachable(instruction) }
    if meterFuel { fuelChecks[fuelChecks.count - 1].cost += 1 }
    try translate(instruction)
  }

  /// While the rest of a frame is unreachable only the control structure matters.
  mutating func skipUnreachable(_ instruction: Instruction) throws {
    switch instruction {
    case .block, .loop, .if, .try, .tryTable:
      var frame = ControlFrame(kind: .block, params: [], results: [], height: height)
      frame.unreachable = true
      frame.dead = true
      control.append(frame)
    case .else:
      if !control[control.count - 1].dead { try elseInstruction() }
    case .end:
      if control[control.count - 1].dead { control.removeLast() } else { try end() }
    case .delegate(let depth):
      if control[control.count - 1].dead { control.removeLast() } else { delegate(depth) }
    default:
      break
    }
  }

  mutating func translate(_ instruction: Instruction) throws {
    switch instruction {
    case .unreachable:
      builder.emitNone(.unreachable)
      markUnreachable()
    case .nop: break
    case .block(let bt): try enterBlock(.block, bt)
    case .loop(let bt): try enterBlock(.loop, bt)
    case .if(let bt): try enterIf(bt)
    case .else: try elseInstruction()
    case .end: try end()
    case .br(let depth):
      try branch(depth: Int(depth))
      markUnreachable()
    case .brIf(let depth): try branchIf(depth: Int(depth))
    case .brTable(let targets, let defaultTarget): try branchTable(targets.map { Int($0) } + [Int(defaultTarget)])
    case .return:
      emitReturn()
      markUnreachable()
    case .call(let index): call(functionTypes[Int(index)], index: index)
    case .callIndirect(let typeIndex, let table): callIndirect(typeIndex: typeIndex, table: table)
    case .returnCall(let index): returnCall(index: index)
    case .returnCallIndirect(let typeIndex, let table): returnCallIndirect(typeIndex: typeIndex, table: table)
    case .throw(let tag): throwTag(tag)
    case .throwRef: throwReference()
    case .rethrow(let depth): rethrow(depth)
    case .tryTable(let bt, let clauses): enterTryTable(bt, clauses)
    case .try(let bt): enterLegacyTry(bt)
    case .delegate(let depth): delegate(depth)
    case .catch, .catchAll: preconditionFailure("a legacy handler is translated out of line (step)")

    case .drop: if pop().type == .v128 { _ = pop() }
    case .select, .selectTyped:
      let resultType = valueTypeOfSelect(instruction)
      if resultType == .v128 {
        selectVector()
        break
      }
      if resultType.isNumeric,
         fuseCompareSelect(resultType) || fuseBitTestSelect(resultType) || fuseClearBitTestSelect(resultType) { break }
      let regs = popRegisters(3)
      let at = builder.emitRRRR(.select, registers.temp(height), regs[2], regs[0], regs[1])
      pushProduced(at: at, resultType)

    case .localGet(let i):
      let slot = localSlot(Int(i)), type = localType(Int(i))
      push(.local(slot), type)
      if type == .v128 { push(.local(slot + 1), type) }
    case .localSet(let i), .localTee(let i):
      let keep: Bool
      if case .localTee = instruction { keep = true } else { keep = false }
      if localType(Int(i)) == .v128 {
        setVectorLocal(localSlot(Int(i)), keep: keep)
      } else {
        setLocal(localSlot(Int(i)), keep: keep)
      }
    case .globalGet(let i):
      let type = module.allGlobalTypes[Int(i)].valueType
      if type == .v128 {
        pushProducedVector(at: builder.emit(.v128_global_get, [UInt64(registers.temp(height)), UInt64(i)]))
        break
      }
      let at = builder.emitRU(.global_get, registers.temp(height), i)
      pushProduced(at: at, type)
    case .globalSet(let i) where module.allGlobalTypes[Int(i)].valueType == .v128:
      builder.emit(.v128_global_set, [UInt64(popVectorRegister()), UInt64(i)])
      clearPeephole()
    case .globalSet(let i):
      if module.allGlobalTypes[Int(i)].valueType == .i32, fuseGlobalUpdate(i) { break }
      let r = popRegisters(1)[0]
      builder.emitRU(.global_set, r, i)
      clearPeephole()

    case .i32Const(let v): push(.constant(UInt64(UInt32(bitPattern: v))), .i32)
    case .i64Const(let v): push(.constant(UInt64(bitPattern: v)), .i64)
    case .f32Const(let v): push(.constant(UInt64(v)), .f32)
    case .f64Const(let v): push(.constant(v), .f64)
    case .refNull(let t): push(.constant(0), .ref(RefType(nullable: true, t)))
    case .refIsNull:
      let r = popRegisters(1)[0]
      pushProduced(at: builder.emitRR(.ref_is_null, registers.temp(height), r), .i32)
    case .refFunc(let i):
      pushProduced(at: builder.emitRU(.ref_func, registers.temp(height), i), .funcref)
    case .refAsNonNull, .brOnNull, .brOnNonNull, .callRef, .refEq: try typedReference(instruction)
    case .returnCallRef(let typeIndex): returnCallReference(typeIndex: typeIndex)
    case .gc(let g): try gc(g)

    case .numeric(let op): numeric(op)
    case .simd, .simdLane, .simdMemory, .simdMemoryLane, .v128Const, .i8x16Shuffle: try simd(instruction)
    case .atomic, .atomicFence: atomic(instruction)
    case .load(let op, let memarg): try load(op, memarg)
    case .store(let op, let memarg): try store(op, memarg)

    case .memorySize(let m) where !isGuardedMemory(m), .memoryGrow(let m) where !isGuardedMemory(m):
      indexedMemoryInstruction(instruction)
    case .memoryFill, .memoryCopy, .memoryInit: bulkMemoryInstruction(instruction)
    case .memorySize:
      pushProduced(at: builder.emitR(.memory_size, registers.temp(height)), .i32)
    case .memoryGrow:
      let r = popRegisters(1)[0]
      pushProduced(at: builder.emitRR(.memory_grow, registers.temp(height), r), .i32)
    case .dataDrop(let segment):
      builder.emitU(.data_drop, segment)
      clearPeephole()

    case .tableGet(let table):
      let r = popRegisters(1)[0]
      pushProduced(at: builder.emitRRU(.table_get, registers.temp(height), r, table),
                   module.allTables[Int(table)].elementType)
    case .tableSet(let table):
      let r = popRegisters(2)
      builder.emitRRU(.table_set, r[0], r[1], table)
      clearPeephole()
    case .tableSize(let table):
      pushProduced(at: builder.emitRU(.table_size, registers.temp(height), table), module.allTables[Int(table)].addressType)
    case .tableGrow(let table):
      let r = popRegisters(2)
      pushProduced(at: builder.emitRRRU(.table_grow, registers.temp(height), r[0], r[1], table),
                   module.allTables[Int(table)].addressType)
    case .tableFill(let table):
      let r = popRegisters(3)
      builder.emitRRRU(.table_fill, r[0], r[1], r[2], table)
      clearPeephole()
    case .tableCopy(let dst, let src):
      let r = popRegisters(3)
      builder.emitRRRUU(.table_copy, r[0], r[1], r[2], dst, src)
      clearPeephole()
    case .tableInit(let segment, let table):
      let r = popRegisters(3)
      builder.emitRRRUU(.table_init, r[0], r[1], r[2], segment, table)
      clearPeephole()
    case .elemDrop(let segment):
      builder.emitU(.elem_drop, segment)
      clearPeephole()
    }
  }

  func valueTypeOfSelect(_ instruction: Instruction) -> ValueType {
    if case .selectTyped(let types) = instruction, let t = types.first { return t }
    return stack.count >= 2 ? stack[stack.count - 2].type : .i32
  }

  func localType(_ index: Int) -> ValueType {
    if let types = locals.types { return types[index] }
    if index < type.params.count { return type.params[index] }
    // Declared locals (none a v128): only their zero bits matter to the bytecode.
    return .i64
  }

  /// The (first) frame slot of local `index`.
  func localSlot(_ index: Int) -> Int { locals.slots?[index] ?? index }

  // MARK: locals

  /// `local.set`/`local.tee`: stack entries still referring to the local's old value are copied out first;
  /// when the value was just computed, the instruction that computed it is retargeted to write the local.
  mutating func setLocal(_ local: Int, keep: Bool) {
    let index = height - 1
    let value = pop()
    let referenced = stack.contains { $0.operand == .local(local) }
    if !referenced, value.operand == .temp, let producer = lastProducer, producer.index == index,
       isLastInstruction(producer.at) {
      let op = builder.opcode(at: producer.at)
      builder.patchRegister(at: producer.at, field: op.fields[0], to: Reg(local))
    } else {
      preserveLocal(local)
      switch value.operand {
      case .constant(let bits): emitConstant(bits, into: Reg(local))
      case .local(let other): if other != local { emitCopy(Reg(local), Reg(other)) }
      case .temp: emitCopy(Reg(local), registers.temp(index))
      }
    }
    clearPeephole()
    if keep { push(.local(local), value.type) }
  }

  /// Copies every stack entry that refers to `local` into its own temporary.
  mutating func preserveLocal(_ local: Int) {
    for i in stack.indices where stack[i].operand == .local(local) {
      emitCopy(registers.temp(i), Reg(local))
      stack[i].operand = .temp
    }
  }

  mutating func emitConstant(_ bits: UInt64, into reg: Reg) {
    if bits <= UInt64(UInt32.max) {
      builder.emitRU(.const32, reg, UInt32(bits))
    } else {
      builder.emitRQ(.const64, reg, bits)
    }
  }

  // MARK: numeric

  mutating func numeric(_ op: NumericOp) {
    let dst = height
    if op == .i32Eqz, invertCompare() { return }
    if op == .i64ExtendI32U {
      // Free: an i32 sits zero-extended in its 64-bit slot (and constant, and accumulator), which is its
      // zero-extension to i64. The value stays where it is, now typed i64.
      let value = pop()
      push(value.operand, .i64)
      lastCompare = nil
      return
    }
    if op.operandCount == 1 {
      let negatedFloatCompare = op == .i32Eqz ? floatCompareProducingTop() : nil
      let a = pop()
      let ra = register(a, at: dst - 1)
      let at = builder.emitRR(op.registerForm, registers.temp(dst - 1), ra)
      pushProduced(at: at, op.resultType)
      if var facts = negatedFloatCompare {
        facts.negatedAt = at
        lastCompare = facts
      } else if op == .i32Eqz || op == .i64Eqz {
        lastCompare = CompareFacts(at: at, op: op, ra: ra, rb: nil, imm: nil)
      }
      return
    }
    if fuseFloatPair(op) || fuseScaledIndex(op) || fuseShiftXor(op) { return }
    var b = pop()
    var a = pop()
    let aIndex = dst - 2
    var bIndex = dst - 1
    var aIndexUsed = aIndex
    if case .constant = a.operand, op.isCommutative, !isConstant(b) {
      swap(&a, &b)
      aIndexUsed = bIndex
      bIndex = aIndex
    }
    let rd = registers.temp(aIndex)
    let ra = register(a, at: aIndexUsed)
    let at: Int
    var facts = CompareFacts(at: 0, op: op, ra: ra, rb: nil, imm: nil)
    if let immediateOp = op.immediateForm, let imm = immediate(b) {
      if let fused = fuseImmediatePair(immediateOp, operand: a, at: aIndexUsed, imm: imm, rd: rd)
        ?? fuseLoadImmediate(immediateOp, operand: a, at: aIndexUsed, imm: imm, rd: rd) {
        pushProduced(at: fused, op.resultType)
        return
      }
      at = builder.emitRRI(immediateOp, rd, ra, imm)
      facts.imm = imm
    } else {
      let rb = register(b, at: bIndex)
      at = builder.emitRRR(op.registerForm, rd, ra, rb)
      facts.rb = rb
    }
    pushProduced(at: at, op.resultType)
    if op.branchForms(whenTrue: true) != nil {
      facts.at = at
      lastCompare = facts
    }
  }

  func isConstant(_ e: StackEntry) -> Bool {
    if case .constant = e.operand { return true }
    return false
  }

  /// The operand as a 32-bit immediate, when it is a constant that fits (sign-extended for i64).
  func immediate(_ e: StackEntry) -> Int32? {
    guard case .constant(let bits) = e.operand else { return nil }
    if e.type == .i32 { return Int32(truncatingIfNeeded: bits) }
    let v = Int64(bitPattern: bits)
    return v >= Int64(Int32.min) && v <= Int64(Int32.max) ? Int32(v) : nil
  }

  // MARK: memory

  mutating func load(_ op: LoadOp, _ memarg: MemArg) throws {
    guard isGuardedMemory(memarg.memory) else { return checkedLoad(op, memarg) }
    guard memarg.offset <= UInt64(UInt32.max) else { throw TranslationError("memory offset too large") }
    let index = Int(op.rawValue - LoadOp.i32Load.rawValue)
    if let add = takeAddress(from: .i32_add_ri, stackIndex: height - 1) {
      stack.removeLast()
      let at = builder.emitRRIU(Opcode(rawValue: Opcode.i32_load_add.rawValue + UInt16(index))!,
                                registers.temp(height), add.base, Int32(bitPattern: add.imm), UInt32(memarg.offset))
      pushProduced(at: at, op.resultType)
      return
    }
    if index < 4, let scaled = takeAddress(from: .i32_shl_ri, stackIndex: height - 1) {
      stack.removeLast()
      let at = builder.emitRRUU(Opcode(rawValue: Opcode.i32_load_shl.rawValue + UInt16(index))!,
                                registers.temp(height), scaled.base, UInt32(memarg.offset), scaled.imm)
      pushProduced(at: at, op.resultType)
      return
    }
    let address = popRegisters(1)[0]
    let opcode = Opcode(rawValue: Opcode.i32_load.rawValue + UInt16(index))!
    let at = builder.emitRRU(opcode, registers.temp(height), address, UInt32(memarg.offset))
    pushProduced(at: at, op.resultType)
  }

  mutating func store(_ op: StoreOp, _ memarg: MemArg) throws {
    guard isGuardedMemory(memarg.memory) else { return checkedStore(op, memarg) }
    guard memarg.offset <= UInt64(UInt32.max) else { throw TranslationError("memory offset too large") }
    let index = Int(op.rawValue - StoreOp.i32Store.rawValue)
    if fuseFloatStore(op, offset: UInt32(memarg.offset)) || fuseMemoryMove(op, offset: UInt32(memarg.offset))
      || fuseIntegerAddToMemory(op, offset: UInt32(memarg.offset)) { return }
    // The address add just emitted (the value is a local or a constant), or one before the value's instructions.
    let justEmitted = stack[height - 1].operand != .temp ? takeAddress(from: .i32_add_ri, stackIndex: height - 2) : nil
    if let add = justEmitted ?? takeEarlierAddress(stackIndex: height - 2) {
      let value = register(stack[height - 1], at: height - 1)
      stack.removeLast(2)
      builder.emitRRIU(Opcode(rawValue: Opcode.i32_store_add.rawValue + UInt16(index))!, add.base, value,
                       Int32(bitPattern: add.imm), UInt32(memarg.offset))
      clearPeephole()
      return
    }
    let r = popRegisters(2)
    let opcode = Opcode(rawValue: Opcode.i32_store.rawValue + UInt16(index))!
    builder.emitRRU(opcode, r[0], r[1], UInt32(memarg.offset))
    clearPeephole()
  }

  // MARK: calls

  /// Functions below this index are imports (`functionTypes` holds the imported ones first).
  var importedFunctionCount: Int { functionTypes.count - module.functions.count }

  /// Arguments must sit in consecutive temporaries: the callee's frame starts at the first of them.
  mutating func call(_ callee: FuncType, index: UInt32) {
    let base = height - callee.params.slotCount
    let movesAt = builder.code.count
    materialize(from: base)
    stack.removeLast(callee.params.slotCount)
    let imported = Int(index) < importedFunctionCount
    if !imported, let (rd, rs) = takeLastCopy(emittedAt: movesAt) {
      builder.emitRRRU(.call_copy, rd, rs, registers.temp(base), index)
    } else if !imported, let (rd, imm) = takeLastConstant(emittedAt: movesAt) {
      // Constants are moved after the copies: a copy may come right before.
      if let (rd0, rs0) = takeLastCopy(emittedAt: movesAt) {
        builder.emitRRRRUU(.call_copy_const, rd0, rs0, rd, registers.temp(base), imm, index)
      } else {
        builder.emitRURU(.call_const, rd, imm, registers.temp(base), index)
      }
    } else if !imported, let moves = takeLastCopyPair(emittedAt: movesAt) {
      builder.emitRRRRRU(.call_copy2, moves.rd, moves.ra, moves.rd2, moves.ra2, registers.temp(base), index)
    } else {
      builder.emitRU(imported ? .call_import : .call, registers.temp(base), index)
    }
    noteSafepoint()
    clearPeephole()
    pushTemporaries(callee.results)
  }

  mutating func callIndirect(typeIndex: UInt32, table: UInt32) {
    let callee = module.functionType(typeIndex)
    // The index is read before the call; argument moves only write the arguments' own slots, below it.
    let index = popRegisters(1)[0]
    let base = height - callee.params.slotCount
    let movesAt = builder.code.count
    materialize(from: base)
    stack.removeLast(callee.params.slotCount)
    if let (rd, rs) = takeLastCopy(emittedAt: movesAt) {
      builder.emitRRRRUU(.call_indirect_copy, rd, rs, registers.temp(base), index, typeIndex, table)
    } else {
      builder.emitRRUU(.call_indirect, registers.temp(base), index, typeIndex, table)
    }
    noteSafepoint()
    clearPeephole()
    pushTemporaries(callee.results)
  }

  /// Moves the stack entries from `base` up into their own temporaries.
  mutating func materialize(from base: Int) {
    var moves: [Move] = []
    for i in base..<height where stack[i].operand != .temp {
      moves.append(Move(dst: registers.temp(i), src: moveSource(stack[i], at: i)))
      stack[i].operand = .temp
    }
    emitParallelMove(moves)
  }
}

import SwasmBytecode
import WasmBinary

/// Checks that bytecode read from a cache file is safe to run, without trusting the file: it is what validation
/// is to a Wasm module. A function passes when
/// - every instruction has a known opcode, fits in the code and is not one the translator never emits in a
///   function (`halt`, `load_code`, `interrupted`); the last one does not fall through past the end; `ret_value` and
///   `global_set_add_ri_ret_value` appear only in functions with one result;
/// - every register operand (and every slot range of calls, `zero_slots`, `init_consts`) lies inside the frame;
/// - every branch lands on an instruction of the same function;
/// - function, type, global, table, memory and segment indices exist, and `call` names a defined function;
/// - types are consistent where it matters for memory safety: references are host pointers, so a slot that may
///   hold anything but a reference of the right kind (or null) never reaches a table, a reference global, a
///   call argument or result of reference type; and a reference never reaches a numeric instruction;
/// - a v128 (two slots, both inside the frame) is read only from slots a v128 instruction wrote (or constants),
///   and a scalar instruction never reads half of one.
/// - a function's exception handlers (its handler table) are well formed, and each is a branch target of every
///   instruction that may throw to it (ExceptionVerification.swift).
/// - a function's stack maps list only slots holding references of the any or extern hierarchy, and a slot they
///   leave out at a safepoint is never read as a reference after it (StackMapVerification.swift).
/// Numbers of different Wasm types share the untyped 64-bit slots; confusing them cannot reach outside the guest.
/// A class: each function's walk refers to the module's tables without copying (retaining) each of them.
public final class BytecodeVerifier {
  /// What a slot may hold: a set of these bits; 0 means "zero", which is a valid number and a null reference.
  /// `vector`: half of a v128 an instruction computed; `constant`: bits the code itself wrote (the constant area,
  /// const32/const64), which serve as a number or as half of a v128 constant.
  typealias Kinds = UInt8
  static let number: Kinds = 1, funcref: Kinds = 2, externref: Kinds = 4, vector: Kinds = 8, constant: Kinds = 16,
             exnref: Kinds = 32, anyref: Kinds = 64
  /// Any reference.
  static let reference: Kinds = funcref | externref | exnref | anyref
  /// What a slot holds after the code wrote `bits` into it itself: zero (a number and null alike) or `constant`.
  static func kind(ofConstant bits: UInt64) -> Kinds { bits == 0 ? 0 : constant }
  /// Whatever a slot may hold (what a callee's frame left in it).
  static let anything: Kinds = 127

  /// Each function's type index (imported functions first): signatures and call facts are kept per type.
  let functionTypeIndices: [UInt32]
  let importedFunctionCount: Int
  let typeSignatures: [(params: [Kinds], results: [Kinds])]
  /// For a call through each type (a function's are its type's, `functionCall`): the slots from the call's base it
  /// uses (the larger of the parameter and result counts), and whether a parameter or result is a reference.
  let typeCalls: [CallFacts]
  struct CallFacts {
    var slots: Int
    /// A parameter or result is a reference or a v128: the call's slots need the data flow.
    var passesReferences: Bool
    init(_ signature: (params: [Kinds], results: [Kinds])) {
      slots = max(signature.params.count, signature.results.count)
      passesReferences = signature.params.contains { $0 != BytecodeVerifier.number }
        || signature.results.contains { $0 != BytecodeVerifier.number }
    }
  }
  let globals: [(kind: Kinds, mutable: Bool)]
  let tables: [Kinds]
  let elementSegments: [Kinds]
  let dataCount: Int
  /// Memory 0 exists and has 32-bit addresses: the instructions that reach it without a bounds check may run
  /// (its guard region stands in for the check; a 64-bit memory has none).
  let hasMemory: Bool
  let memoryCount: Int
  /// The code was translated with fuel checks (its entry's settings say so): every cycle must pass one.
  let fuelMetered: Bool
  /// Each tag's payload, per slot (imported tags first).
  let tagPayloads: [[Kinds]]
  /// Each type's layout if it is a struct or array type (GCVerification.swift).
  let gcShapes: [GCShape?]

  /// `fuelMetered`: the code must meter fuel (the entry's settings), so that a forged loop cannot run forever.
  public init(module: Module, fuelMetered: Bool = false) {
    self.fuelMetered = fuelMetered
    // Per slot: a v128 takes two.
    func kind(_ type: ValueType) -> Kinds { Self.kind(type, in: module) }
    func kinds(_ types: [ValueType]) -> [Kinds] { types.flatMap { repeatElement(kind($0), count: $0.slotCount) } }
    let signatures = module.types.indices.map {
      let f = module.functionType(UInt32($0))
      return (params: kinds(f.params), results: kinds(f.results))
    }
    typeSignatures = signatures
    functionTypeIndices = module.allFunctionTypeIndices
    importedFunctionCount = module.importedFunctionTypes.count
    typeCalls = signatures.map(CallFacts.init)
    globals = module.allGlobalTypes.map { (kind($0.valueType), $0.mutable) }
    tables = module.allTables.map { kind($0.elementType) }
    elementSegments = module.elements.map { kind($0.type) }
    dataCount = module.data.count
    hasMemory = module.allMemories.first.map { !$0.is64 } ?? false
    memoryCount = module.allMemories.count
    tagPayloads = module.allTagTypeIndices.map { kinds(module.functionType($0).params) }
    gcShapes = Self.gcShapes(of: module)
  }

  func functionSignature(_ function: Int) -> (params: [Kinds], results: [Kinds]) {
    typeSignatures[Int(functionTypeIndices[function])]
  }

  func functionCall(_ function: Int) -> CallFacts { typeCalls[Int(functionTypeIndices[function])] }

  /// The kind of values of `type`, a type of `module`: a reference's by its hierarchy (a type index names a
  /// function type, or a struct or array type of the any hierarchy).
  static func kind(_ type: ValueType, in module: Module) -> Kinds {
    switch type {
    case .v128: return vector
    case .ref(let r): return kind(ofHierarchy: module.hierarchyTop(of: r.heapType))
    default: return number
    }
  }

  /// The kind of the references of the hierarchy whose top is `top` (func, extern, exn or any).
  static func kind(ofHierarchy top: AbstractHeapType) -> Kinds {
    switch top {
    case .func: return funcref
    case .extern: return externref
    case .exn: return exnref
    default: return anyref
    }
  }

  /// What a slot read as `kind` may hold: also the code's constants, for a number or a v128.
  static func acceptable(_ kind: Kinds) -> Kinds {
    kind == number || kind == vector ? kind | constant : kind
  }

  /// Verifies defined function `index` (0 is the first function after the imported ones).
  public func verify(_ function: CompiledFunction, definedFunction index: Int) throws {
    let signature = functionSignature(importedFunctionCount + index)
    guard function.paramCount == signature.params.count, function.resultCount == signature.results.count else {
      throw CacheFileError("function signature differs from the module's")
    }
    try function.code.withUnsafeBufferPointer { try verify(code: $0, frameSize: function.frameSize, definedFunction: index) }
  }

  /// Verifies `code` as defined function `index`, with a frame of `frameSize` slots.
  public func verify(code: UnsafeBufferPointer<UInt64>, frameSize: Int, definedFunction index: Int) throws {
    var walk = FunctionWalk(verifier: self, code: code, frameSize: frameSize,
                            signature: functionSignature(importedFunctionCount + index),
                            signatureHasReferences: functionCall(importedFunctionCount + index).passesReferences)
    try walk.run()
  }
}

/// The checks of one function: a structural pass, then a forward data-flow pass over slot kinds until the
/// kinds at every branch target are stable.
struct FunctionWalk {
  typealias Kinds = BytecodeVerifier.Kinds
  let verifier: BytecodeVerifier
  let code: UnsafeBufferPointer<UInt64>
  let frameSize: Int
  let signature: (params: [Kinds], results: [Kinds])
  let signatureHasReferences: Bool
  /// Start slots of the instructions, in order (kept for the data flow only).
  var starts: [Int] = []
  /// Slot kinds on entry to each branch target that has been reached (indexed by slot); nil: not reached yet.
  var atTarget: [[Kinds]?] = []
  var changed = false
  /// The code starts with a `handler_table` (checked by `checkHandlerTable`): calls and throws may continue at
  /// its handlers.
  var hasHandlers = false
  /// The function's stack maps and where its entry is (StackMapVerification.swift); nil: none.
  var stackMaps: (maps: StackMaps, entry: Int)?
  let layout = OperandLayout.shared

  init(verifier: BytecodeVerifier, code: UnsafeBufferPointer<UInt64>, frameSize: Int,
       signature: (params: [Kinds], results: [Kinds]), signatureHasReferences: Bool) {
    self.verifier = verifier
    self.code = code
    self.frameSize = frameSize
    self.signature = signature
    self.signatureHasReferences = signatureHasReferences
  }

  func fail(_ message: String, at: Int) -> CacheFileError { CacheFileError("bytecode at slot \(at): \(message)") }

  mutating func run() throws {
    guard frameSize >= max(signature.params.count, signature.results.count), frameSize <= maxFrameSlots else {
      throw CacheFileError("bad frame size \(frameSize)")
    }
    hasHandlers = code.first == UInt64(Opcode.handler_table.rawValue)
    // Only instructions that make or take references need the data flow; most functions have none.
    guard try checkStructure(keepingStarts: signatureHasReferences) || signatureHasReferences else { return }
    stackMaps = stackMapsOfFunction()
    if let (maps, entry) = stackMaps { try checkStackMapPositions(maps, entry: entry) }

    atTarget = [[Kinds]?](repeating: nil, count: code.count)
    var entry = [Kinds](repeating: BytecodeVerifier.number, count: frameSize)
    for (i, k) in signature.params.enumerated() { entry[i] = k }
    repeat {
      changed = false
      try flowPass(entry: entry)
    } while changed
  }

  /// One walk over the code, which checks each instruction's opcode, size, registers and indices and notes where
  /// it starts; then, with every start known, the branch targets and the accumulator reads. Returns whether an
  /// instruction makes or takes references; then (or with `keepingStarts`) `starts` is filled for the data flow.
  /// This runs for every instruction a warm start loads, so it reads one byte of flags per opcode and writes into
  /// buffers allocated once per function (no uniqueness check of a Swift array per write).
  mutating func checkStructure(keepingStarts: Bool) throws -> Bool {
    let count = code.count
    var touchesReferences = false
    var branchCount = 0, readerCount = 0
    var usesPinned = false
    // Instruction starts, branch targets (and the instruction of each) and accumulator readers (indices into
    // `starts`): at most one per slot each (a branch instruction has two slots or more; a branch table has a slot
    // per target).
    // One allocation for the four (a function's first call pays for it).
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: count * 32 + count + 1, alignment: 8)
    defer { scratch.deallocate() }
    let targets = UnsafeMutableBufferPointer(start: scratch.bindMemory(to: (target: Int, from: Int).self, capacity: count),
                                             count: count)
    let starts = UnsafeMutableBufferPointer(start: (scratch + count * 16).bindMemory(to: Int.self, capacity: count),
                                            count: count)
    let readers = UnsafeMutableBufferPointer(start: (scratch + count * 24).bindMemory(to: Int.self, capacity: count),
                                             count: count)
    let isStart = UnsafeMutableBufferPointer(start: (scratch + count * 32).bindMemory(to: Bool.self, capacity: count + 1),
                                             count: count + 1)
    isStart.initialize(repeating: false)
    let notPlain = verifier.hasMemory ? OperandLayout.notPlainWithMemory : OperandLayout.notPlain
    let laneLimit = OperandLayout.laneLimit(frameSize: frameSize)
    var startCount = 0
    var last = Opcode.halt
    var at = 0
    while at < count {
      guard let op = Opcode(word: code[at]) else { throw fail("unknown opcode \(code[at])", at: at) }
      let id = Int(op.rawValue)
      let flags = layout.flags[id]
      var size = Int(layout.sizes[id])
      if flags & OperandLayout.hasTrailingSlots != 0 { size += trailingSlots(op, code, at) }
      guard size <= count - at else { throw fail("\(op.name) is cut short", at: at) }
      starts[startCount] = at
      startCount += 1
      isStart[at] = true
      if flags & OperandLayout.registersApart != 0 {
        try checkRegisters(id, at)
      } else if case let mask = layout.registerLanes[2 * id], mask != 0 {
        // Every register in one compare per slot (see `registerLanes`); on failure, the loop finds which.
        let second = layout.registerLanes[2 * id + 1]
        if !OperandLayout.lanes(code[at + 1], mask, below: laneLimit)
          || second != 0 && !OperandLayout.lanes(code[at + 2], second, below: laneLimit) {
          try checkRegisters(id, at)
        }
      }
      if flags & OperandLayout.branches != 0 {
        forEachBranchTarget(code, at: at, op) {
          targets[branchCount] = ($0, at)
          branchCount += 1
        }
      }
      if flags & OperandLayout.pinned != 0 { usesPinned = true }
      if flags & OperandLayout.readsAccumulator != 0 {
        readers[readerCount] = startCount - 1
        readerCount += 1
      }
      if flags & notPlain != 0, try checkIndices(at, op) { touchesReferences = true }
      if flags & OperandLayout.vector != 0 { touchesReferences = true }
      last = op
      at += size
    }
    guard count > 0, Self.isTerminator(last) else { throw CacheFileError("bytecode falls through its end") }
    if hasHandlers { try checkHandlerSegments(isStart: UnsafeBufferPointer(isStart)) }
    for (target, from) in targets[..<branchCount] where target < 0 || target >= count || !isStart[target] {
      throw fail("branch target \(target) is not an instruction", at: from)
    }
    if usesPinned { try checkPinnedLocal(starts: UnsafeBufferPointer(rebasing: starts[..<startCount])) }
    if verifier.fuelMetered { try checkFuelBoundsEveryCycle(starts: UnsafeBufferPointer(rebasing: starts[..<startCount])) }
    if readerCount > 0 {
      // `isStart` is done with: reused for the branch targets.
      isStart.update(repeating: false)
      for (target, _) in targets[..<branchCount] { isStart[target] = true }
      try checkAccumulatorReads(UnsafeBufferPointer(rebasing: readers[..<readerCount]),
                                starts: UnsafeBufferPointer(starts), isTarget: UnsafeBufferPointer(isStart))
    }
    if touchesReferences || keepingStarts { self.starts = Array(starts[..<startCount]) }
    return touchesReferences
  }

  /// Each register operand of the instruction at `at` against the frame, one by one (a v128's two slots).
  func checkRegisters(_ id: Int, _ at: Int) throws {
    for (k, (position, slots)) in zip(layout.registers(id), layout.registerSlots(id)).enumerated() {
      let register = OperandLayout.read(position, code, at, wide: layout.registerIsWide(id, k))
      guard register + Int(slots) <= frameSize else {
        throw fail("register \(register) outside the frame of \(frameSize)", at: at)
      }
    }
  }

  /// An accumulator form (`_acc_`, `_facc_`) reads an accumulator in place of one register: it must come right
  /// after an instruction that wrote that register and left the value in that accumulator, with no branch to it.
  /// Then it computes what its base instruction computes, and every other check treats it as that instruction.
  func checkAccumulatorReads(_ readers: UnsafeBufferPointer<Int>, starts: UnsafeBufferPointer<Int>,
                             isTarget: UnsafeBufferPointer<Bool>) throws {
    for index in readers {
      let at = starts[index]
      let id = Int(code[at])  // a known opcode: checked by the walk
      guard index > 0 else { throw accumulatorFailure(at, "starts the function: nothing left its operand in the accumulator") }
      let previous = starts[index - 1]
      let producer = Int(code[previous])
      let destination = layout.accumulatorDestinationPosition[producer]
      guard !isTarget[at], layout.accumulatorWrites[producer] == layout.accumulatorReads[id], destination != UInt16.max,
            OperandLayout.read(destination, code, previous) == OperandLayout.read(layout.accumulatorReadPosition[id], code, at)
      else {
        throw accumulatorFailure(at, "does not follow an instruction that left its operand in the accumulator")
      }
    }
  }

  func accumulatorFailure(_ at: Int, _ problem: String) -> CacheFileError {
    fail("\(Opcode(word: code[at])!.name) \(problem)", at: at)
  }

  /// Instructions after which execution never falls through to the next one.
  /// (Jumps, branch tables and returns by their handlers' last step, from the ISA: `Opcode.jumpsAway`.)
  static func isTerminator(_ op: Opcode) -> Bool {
    switch op {
    case .unreachable, .throw_tag, .throw_tag_w, .throw_ref: return true
    default: return op.isTailCall || Opcode.jumpsAway[Int(op.rawValue)]
    }
  }

  /// Field `name` of the instruction at `at` (one of its at most six fields, found by name in the flat tables).
  func value(_ at: Int, _ op: Opcode, _ name: OperandName) -> Int {
    let field = layout.fieldIndex(Int(op.rawValue), name)
    precondition(field >= 0, "\(op.name) has no field \(name.text)")
    return value(at, field: field)
  }

  /// The value of entry `field` of the generated field tables, for the instruction at `at`.
  func value(_ at: Int, field: Int) -> Int {
    let raw = operandBits(code, at: at, position: layout.fieldPositions[field])
    switch OperandKind(rawValue: layout.fieldKinds[field])! {
    case .register, .vectorRegister: return Int(raw & 0xFFFF)
    case .u32, .wideRegister: return Int(raw & 0xFFFF_FFFF)
    case .i32, .branchOffset: return Int(Int32(bitPattern: UInt32(truncatingIfNeeded: raw)))
    case .u64: return 0
    }
  }

  func branchTargets(_ at: Int, _ op: Opcode) -> [Int] { SwasmBytecode.branchTargets(code, at: at, op) }

  /// Checks the indices and kinds of an instruction that is not plain (`OperandLayout.notPlain`), independent of the
  /// data flow. Returns whether it makes or takes references (then the function needs the data flow over slot
  /// kinds).
  func checkIndices(_ at: Int, _ op: Opcode) throws -> Bool {
    let id = Int(op.rawValue)
    if op == .halt || op == .load_code || op == .interrupted { throw fail("\(op.name) inside a function", at: at) }
    let v = verifier
    func index(_ name: OperandName, below limit: Int, _ what: String) throws {
      let index = value(at, op, name)
      guard index < limit else { throw fail("\(what) \(index) does not exist", at: at) }
    }
    /// The shadow-stack instructions do i32 arithmetic on a mutable number global.
    func checkStackPointerGlobal() throws {
      try index(.idx, below: v.globals.count, "global")
      let global = v.globals[value(at, op, .idx)]
      guard global.mutable, global.kind == BytecodeVerifier.number else {
        throw fail("\(op.name) of an immutable or reference global", at: at)
      }
    }
    switch op {
    case .ret_value, .global_set_add_ri_ret_value:
      guard signature.results.count == 1 else { throw fail("\(op.name) in a function without exactly one result", at: at) }
      if op == .global_set_add_ri_ret_value { try checkStackPointerGlobal() }
    case .zero_slots, .init_consts:
      guard value(at, op, .rd) + value(at, op, .count) <= frameSize else { throw fail("slot range outside the frame", at: at) }
    case .call, .call_copy, .call_const, .call_copy2, .call_copy_const, .call_w, .return_call, .return_call_w:
      try index(.fn, below: v.functionTypeIndices.count, "function")
      guard value(at, op, .fn) >= v.importedFunctionCount else { throw fail("call of an imported function", at: at) }
    case .call_import, .call_import_w, .return_call_import, .return_call_import_w, .ref_func:
      try index(.fn, below: v.functionTypeIndices.count, "function")
    case .call_indirect, .call_indirect_copy, .call_indirect_w, .return_call_indirect, .return_call_indirect_w:
      try index(.type, below: v.typeSignatures.count, "type")
      try index(.table, below: v.tables.count, "table")
      guard v.tables[value(at, op, .table)] == BytecodeVerifier.funcref else { throw fail("call_indirect through a table of other references", at: at) }
    case .call_ref, .call_ref_w, .return_call_ref, .return_call_ref_w:
      try index(.type, below: v.typeSignatures.count, "type")
    case .global_get, .v128_global_get:
      try index(.idx, below: v.globals.count, "global")
      guard (v.globals[value(at, op, .idx)].kind == BytecodeVerifier.vector) == (op == .v128_global_get) else {
        throw fail("\(op.name) of a global of another width", at: at)
      }
    case .global_set, .v128_global_set:
      try index(.idx, below: v.globals.count, "global")
      guard v.globals[value(at, op, .idx)].mutable else { throw fail("global.set of an immutable global", at: at) }
      guard (v.globals[value(at, op, .idx)].kind == BytecodeVerifier.vector) == (op == .v128_global_set) else {
        throw fail("\(op.name) of a global of another width", at: at)
      }
    case .global_add_ri, .global_set_add_ri:
      try checkStackPointerGlobal()
    case .table_get, .table_set, .table_size, .table_grow, .table_fill:
      try index(.table, below: v.tables.count, "table")
    case .table_copy:
      try index(.dst, below: v.tables.count, "table")
      try index(.src, below: v.tables.count, "table")
      guard v.tables[value(at, op, .dst)] == v.tables[value(at, op, .src)] else { throw fail("table.copy between kinds", at: at) }
    case .table_init:
      try index(.table, below: v.tables.count, "table")
      try index(.seg, below: v.elementSegments.count, "element segment")
      guard v.tables[value(at, op, .table)] == v.elementSegments[value(at, op, .seg)] else { throw fail("table.init of another kind", at: at) }
    case .elem_drop: try index(.seg, below: v.elementSegments.count, "element segment")
    case .memory_init, .data_drop:
      try index(.seg, below: v.dataCount, "data segment")
      if op == .memory_init { try index(.mem, below: v.memoryCount, "memory") }
    case .handler_table:
      try checkHandlerTable(at)
      return true
    case .stack_maps:
      try checkStackMaps(at)
      return true
    case .throw_tag, .throw_tag_w:
      try index(.tag, below: v.tagPayloads.count, "tag")
      guard value(at, op, .base) + v.tagPayloads[value(at, op, .tag)].count <= frameSize else {
        throw fail("exception payload outside the frame", at: at)
      }
      return true
    case .throw_ref:
      return true
    default:
      if let makesReferences = try checkGCIndices(at, op) { return makesReferences }
      if layout.usesMemory[id], !v.hasMemory { throw fail("memory instruction without a 32-bit memory 0", at: at) }
      for field in layout.memoryIndexFields(id) where value(at, field: Int(field)) >= v.memoryCount {
        throw fail("memory \(value(at, field: Int(field))) does not exist", at: at)
      }
      // Computes into rd, then copies into rd2 (`i32_lt_u_ri_copy_br`, ...): a copy over rd would leave the slot
      // and the accumulator holding different values.
      if layout.isComputeThenCopy(id), value(at, op, .rd2) == value(at, op, .rd) {
        throw fail("\(op.name) copies over its own result", at: at)
      }
    }
    let number = BytecodeVerifier.number
    switch op {
    case _ where op.isCall:
      let callee = op.callsThroughType ? v.typeCalls[value(at, op, .type)] : v.functionCall(value(at, op, .fn))
      guard value(at, op, .base) + callee.slots <= frameSize else { throw fail("call arguments outside the frame", at: at) }
      // A tail callee's results are this function's: the frame's caller reads them as such.
      if op.isTailCall, calleeSignature(at, op).results != signature.results {
        throw fail("\(op.name) of a function with other results", at: at)
      }
      // A call through a reference reads one: the data flow must show it is a funcref.
      return callee.passesReferences || op.isReferenceCall
    case .global_get, .global_set, .v128_global_get, .v128_global_set: return v.globals[value(at, op, .idx)].kind != number
    case .ref_func, .table_get, .table_set, .table_grow, .table_fill: return true
    default: return false
    }
  }

  func calleeSignature(_ at: Int, _ op: Opcode) -> (params: [Kinds], results: [Kinds]) {
    op.callsThroughType ? verifier.typeSignatures[value(at, op, .type)]
      : verifier.functionSignature(value(at, op, .fn))
  }

  /// One forward pass: carries slot kinds through straight-line code and merges them into branch targets.
  mutating func flowPass(entry: [Kinds]) throws {
    var current: [Kinds]? = entry
    for at in starts {
      if let incoming = atTarget[at] {
        if var c = current {
          for i in c.indices { c[i] |= incoming[i] }
          if c != incoming { atTarget[at] = c }
          current = c
        } else {
          current = incoming
        }
      }
      guard var kinds = current else { continue }  // not reached (yet)
      current = nil  // `kinds` is now the only reference: updated in place, not copied
      let op = Opcode(word: code[at])!
      // A collection may run at a safepoint: before a call's callee throws, before an allocation reads its operands.
      if op.isSafepoint { try applyStackMap(at, op, &kinds) }
      if hasHandlers && op.mayThrowToHandlers { mergeIntoHandlers(kinds, thrownBy: op, at: at) }
      try transfer(at, op, &kinds)
      // A handler table's targets are reached by what is thrown (above), not from the table.
      if op != .handler_table { for target in branchTargets(at, op) { merge(kinds, into: target, from: at) } }
      current = Self.isTerminator(op) ? nil : kinds
    }
  }

  mutating func merge(_ kinds: [Kinds], into target: Int, from at: Int) {
    guard var existing = atTarget[target] else {
      atTarget[target] = kinds
      if target <= at { changed = true }
      return
    }
    var grew = false
    for i in existing.indices where existing[i] | kinds[i] != existing[i] {
      existing[i] |= kinds[i]
      grew = true
    }
    guard grew else { return }
    atTarget[target] = existing
    if target <= at { changed = true }
  }

  /// The slot may hold only what a value of kind `expected` may be (`BytecodeVerifier.acceptable`).
  func require(_ kinds: Kinds, _ expected: Kinds, at: Int, _ what: String) throws {
    guard kinds & ~BytecodeVerifier.acceptable(expected) == 0 else {
      throw fail("\(what) may hold a value of another type", at: at)
    }
  }

  /// How one instruction changes what the slots may hold, and the checks on what it reads.
  func transfer(_ at: Int, _ op: Opcode, _ k: inout [Kinds]) throws {
    let number = BytecodeVerifier.number
    func r(_ name: OperandName) -> Int { value(at, op, name) }
    /// What a return hands back: each result slot holds its declared kind.
    func requireResults(_ k: [Kinds]) throws {
      for (i, result) in signature.results.enumerated() { try require(k[i], result, at: at, "result \(i)") }
    }
    switch op {
    case .copy: k[r(.rd)] = k[r(.ra)]
    case .copy_far_in: k[r(.rd)] = k[r(.far)]  // wide frames' staging copies move whatever they hold
    case .copy_far_out: k[r(.far)] = k[r(.ra)]
    case .copy_br_i32_nez, .copy_br_i32_eqz:
      k[r(.rd)] = k[r(.ra)]  // the copy (of any kind), then the test, which reads a number
      try require(k[r(.rc)], number, at: at, "branch condition")
    case .copy2:
      k[r(.rd)] = k[r(.ra)]
      k[r(.rd2)] = k[r(.ra2)]
    case .select:
      try require(k[r(.rc)], number, at: at, "select condition")
      k[r(.rd)] = k[r(.ra)] | k[r(.rb)]
    case .ref_is_null: k[r(.rd)] = number
    case _ where try transferGC(at, op, &k): break
    case .ref_as_non_null:
      try require(k[r(.ra)], BytecodeVerifier.reference, at: at, "ref.as_non_null operand")
      k[r(.rd)] = k[r(.ra)]
    case .ref_eq:
      try require(k[r(.ra)] | k[r(.rb)], BytecodeVerifier.anyref, at: at, "ref.eq operand")
      k[r(.rd)] = number
    case .br_i64_eqz, .br_i64_nez:
      break  // a test of a number, or of whether a reference is null (br_on_null): any bits may be tested
    case .ref_func: k[r(.rd)] = BytecodeVerifier.funcref
    case .const32, .const32_br: k[r(.rd)] = BytecodeVerifier.kind(ofConstant: UInt64(truncatingIfNeeded: r(.imm)))
    case .const64: k[r(.rd)] = BytecodeVerifier.kind(ofConstant: code[at + 2])
    case .zero_slots:
      for i in r(.rd)..<(r(.rd) + r(.count)) { k[i] = 0 }
    case .init_consts:
      for i in 0..<r(.count) { k[r(.rd) + i] = BytecodeVerifier.kind(ofConstant: code[at + 2 + i]) }
    case .global_get: k[r(.rd)] = verifier.globals[r(.idx)].kind
    case .global_set: try require(k[r(.ra)], verifier.globals[r(.idx)].kind, at: at, "global.set value")
    case .v128_select:
      try require(k[r(.rc)], number, at: at, "select condition")
      let (a, b) = (r(.va), r(.vb))
      for half in 0..<2 {
        try require(k[a + half] | k[b + half], BytecodeVerifier.vector, at: at, "select operand")
      }
      let d = r(.vd)
      k[d] = BytecodeVerifier.vector
      k[d + 1] = BytecodeVerifier.vector
    case .table_get:
      try require(k[r(.ri)], number, at: at, "table index")
      k[r(.rd)] = verifier.tables[r(.table)]
    case .table_set, .table_fill:
      try require(k[r(.ri)], number, at: at, "table index")
      try require(k[r(.rv)], verifier.tables[r(.table)], at: at, "table element")
      if op == .table_fill { try require(k[r(.rn)], number, at: at, "table.fill count") }
    case .table_grow:
      try require(k[r(.rv)], verifier.tables[r(.table)], at: at, "table element")
      try require(k[r(.rn)], number, at: at, "table.grow count")
      k[r(.rd)] = number
    case _ where op.isCall:
      // The argument moves first, in their order.
      switch op {
      case .call_copy, .call_indirect_copy: k[r(.rd)] = k[r(.rs)]
      case .call_const: k[r(.rd)] = BytecodeVerifier.kind(ofConstant: UInt64(truncatingIfNeeded: r(.imm)))
      case .call_copy2: k[r(.rd)] = k[r(.ra)]; k[r(.rd2)] = k[r(.ra2)]
      case .call_copy_const: k[r(.rd)] = k[r(.ra)]; k[r(.rd2)] = BytecodeVerifier.kind(ofConstant: UInt64(truncatingIfNeeded: r(.imm)))
      default: break
      }
      let callee = calleeSignature(at, op)
      let base = r(.base)
      if op.isIndirectCall { try require(k[r(.ra)], number, at: at, "table index") }
      if op.isReferenceCall { try require(k[r(.ra)], BytecodeVerifier.funcref, at: at, "call_ref callee") }
      for (i, p) in callee.params.enumerated() { try require(k[base + i], p, at: at, "argument \(i)") }
      // The callee's frame starts at `base`: everything from there on is overwritten.
      for i in base..<frameSize { k[i] = number }
      for (i, result) in callee.results.enumerated() { k[base + i] = result }
    case .throw_tag, .throw_tag_w:
      for (i, p) in verifier.tagPayloads[r(.tag)].enumerated() { try require(k[r(.base) + i], p, at: at, "payload \(i)") }
    case .throw_ref:
      try require(k[r(.ra)], BytecodeVerifier.exnref, at: at, "throw_ref operand")
    case .ret_value:
      try require(k[r(.ra)], signature.results[0], at: at, "result 0")
    case .global_set_add_ri_ret_value:
      try require(k[r(.ra)], BytecodeVerifier.number, at: at, "global value")
      try require(k[r(.rv)], signature.results[0], at: at, "result 0")
    case .ret:
      try requireResults(k)
    default:
      // Numeric, memory, branch and other instructions read numbers and write a number to `rd`/`rd2`; those
      // that also copy (`fp[rd2] = fp[rs]`, after the other writes) move whatever the source holds.
      // A v128 operand (two slots) must hold a v128, and a v128 result makes both slots one.
      let id = Int(op.rawValue)
      for f in layout.sources(id) {
        let register = value(at, field: Int(f)), vector = layout.isVector(Int(f))
        for slot in register..<register + (vector ? 2 : 1) {
          try require(k[slot], vector ? BytecodeVerifier.vector : number, at: at,
                      "operand \(layout.fieldName(Int(f)).text)")
        }
      }
      for f in layout.destinations(id) {
        let register = value(at, field: Int(f))
        if layout.isVector(Int(f)) {
          k[register] = BytecodeVerifier.vector
          k[register + 1] = BytecodeVerifier.vector
        } else {
          k[register] = number
        }
      }
      if layout.isComputeThenCopy(id) { k[r(.rd2)] = k[r(.rs)] }
      if layout.writesConstantToRd2(id) { k[r(.rd2)] = BytecodeVerifier.kind(ofConstant: UInt64(r(.imm2))) }
      // A returning form (`<name>_ret`) returns after its writes: the results as `ret` checks them.
      if Opcode.computesThenReturns[id] { try requireResults(k) }
    }
  }
}

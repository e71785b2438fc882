import SwasmBytecode
import SwasmTranslator
import WasmBinary

/// A validated and translated module, ready to be instantiated any number of times, in any store whose
/// translation settings match (`StoreLimits.meterFuel`).
public final class PreparedModule: @unchecked Sendable {
  /// The decoded module: its types, imports, exports and other declarations.
  public let module: Module
  /// The translation settings it was prepared with; a store instantiates it only if it meters fuel as
  /// `options.meterFuel` says.
  public let options: TranslationOptions
  let code: Code

  /// The translated functions: all at hand, or decoded from a cache file on first call.
  enum Code {
    case translated([CompiledFunction])
    case lazy(CompiledCodeSource)
  }

  /// Validates and translates `module`, every function now (what a cache entry or a bundle needs). Throws
  /// `ValidationError` or `TranslationError`.
  public init(_ module: Module, options: TranslationOptions = TranslationOptions()) throws {
    let validation = try module.validate(features: options.features)
    let translator = ModuleTranslator(module: module, validation: validation, options: options)
    self.module = module
    self.options = options
    self.code = .translated(try translator.translateAll())
  }

  /// Validates `module` whole, and translates each function on its first call, in each store that instantiates
  /// it: a start-up pays only for what it runs. Throws `ValidationError`; a function the translator refuses later
  /// (an implementation limit) traps on its first call (`TrapCode.untranslatableFunction`).
  public static func translatingOnFirstCall(_ module: Module, options: TranslationOptions = TranslationOptions()) throws
    -> PreparedModule
  {
    let validation = try module.validate(features: options.features)
    return PreparedModule(module, options: options,
                          lazyCode: TranslationOnFirstCall(module: module, validation: validation, options: options))
  }

  /// A module from a cache file or precompiled bundle (its declarations validated by the loader), or translated
  /// on first call: each function is decoded and verified, or translated, by `source` when it is first called.
  public init(_ module: Module, options: TranslationOptions, lazyCode source: CompiledCodeSource) {
    self.module = module
    self.options = options
    self.code = .lazy(source)
  }

  /// Where the functions of a module from a cache file or bundle, or translated on first call, come from (nil for a
  /// module translated whole).
  public var lazyCodeSource: CompiledCodeSource? {
    if case .lazy(let source) = code { return source }
    return nil
  }

  /// The translated functions, when they are all at hand.
  public var translatedFunctions: [CompiledFunction]? {
    if case .translated(let functions) = code { return functions }
    return nil
  }
}

extension Store {
  /// Validates, links and instantiates `module` (its functions translated on first call): resolves every import
  /// once, to direct pointers, initialises globals, applies active segments and runs the start function.
  /// Throws the validation error, a `LinkError` for a missing or mismatched import, a `Trap` (segment out of
  /// bounds, start function trapped), or an `EmbeddingError` when a memory or table exceeds the store's limits.
  public func instantiate(_ module: Module, imports: Imports = Imports()) throws -> Instance {
    try instantiate(PreparedModule.translatingOnFirstCall(module, options: translationOptions), imports: imports)
  }

  /// Instantiates a prepared module (from `Engine.loadModule` or a bundle), which any number of instances share.
  /// Throws as `instantiate(_:imports:)` of a `Module` does, and `EmbeddingError` when the module was prepared
  /// with fuel checks and this store does not meter fuel, or the other way round.
  public func instantiate(_ prepared: PreparedModule, imports: Imports = Imports()) throws -> Instance {
    guard prepared.options.meterFuel == limits.meterFuel else {
      throw EmbeddingError("module was translated \(prepared.options.meterFuel ? "with" : "without") fuel checks; "
                           + "this store \(limits.meterFuel ? "meters" : "does not meter") fuel")
    }
    return try instantiate(prepared.module, code: prepared.code, imports: imports)
  }

  func instantiate(_ module: Module, code: PreparedModule.Code, imports: Imports) throws -> Instance {
    for memory in module.memories { try checkStoreLimit(memory) }
    for table in module.tables { try checkStoreLimit(table) }
    // Types: the store's ids of the module's types, which imports are checked against.
    let ids = types.ids(of: module)
    let resolved = try resolveImports(module, imports, typeIDs: ids)
    let context = UnsafeMutablePointer<InstanceContext>.allocate(capacity: 1)
    owned.raw.append(UnsafeMutableRawPointer(context))
    let typeIDs = allocate(Int.self, ids.count)
    for (i, id) in ids.enumerated() { typeIDs[i] = id }
    var gcTypes: UnsafeMutablePointer<UnsafeMutablePointer<GCTypeInfo>?>?
    if module.types.contains(where: { $0.functionType == nil }) {
      let table = allocate(UnsafeMutablePointer<GCTypeInfo>?.self, ids.count)
      for (i, id) in ids.enumerated() { table[i] = gcTypeInfo(id) }
      gcTypes = table
    }

    // Functions: imports first, then the defined functions' entries, in one block.
    let functionCount = resolved.functions.count + module.functions.count
    let functions = allocate(UnsafeMutablePointer<FunctionEntry>.self, functionCount)
    let names = ModuleFunctionNames(module, functionCount: functionCount)
    for (i, f) in resolved.functions.enumerated() { functions[i] = f.entry }
    let defined = newFunctionEntries(count: module.functions.count)
    var infos: [FunctionInfo] = []
    infos.reserveCapacity(module.functions.count)
    let firstInfo = functionInfos.count
    var lazySource: CompiledCodeSource?
    if case .lazy(let source) = code { lazySource = source }
    let origin = newFunctionOrigin(FunctionOrigin(
      names: .inModule(names), lazyCode: lazySource.map { ($0, resolved.functions.count) }))
    func define(_ i: Int, code: Pc, frameSize: Int) {
      let typeIndex = Int(module.functions[i])
      let type = module.functionType(UInt32(typeIndex))
      let index = resolved.functions.count + i
      (defined + i).initialize(to: FunctionEntry(
        code: code, frameSize: frameSize, typeID: typeIDs[typeIndex], instance: context,
        paramCount: type.params.slotCount, resultCount: type.results.slotCount, hostIndex: -1, infoIndex: firstInfo + i))
      installCode(code, in: defined + i)
      infos.append(FunctionInfo(origin: origin, index: UInt32(index), codePending: lazySource != nil))
      functions[index] = defined + i
    }
    switch code {
    case .translated(let compiled):
      precondition(compiled.count == module.functions.count, "a translation per defined function")
      for (i, c) in compiled.enumerated() { define(i, code: loadCode(c.code), frameSize: c.frameSize) }
    case .lazy(let source):
      // The load_code stub decodes or translates a function on its first call. The frame size is known already
      // for stored code; for a translation, the call checks for the smallest frame, and load_code for the real one.
      let stub = lazyCodeStub
      for i in module.functions.indices {
        let type = module.functionType(module.functions[i])
        define(i, code: stub, frameSize: source.frameSize(ofFunction: i) ?? max(type.params.slotCount, type.results.slotCount))
      }
    }
    addFunctionInfos(infos, of: defined)

    // Memories (imported first), tables
    let memoryCount = resolved.memories.count + module.memories.count
    let memories = allocate(UnsafeMutablePointer<MemoryStorage>.self, memoryCount)
    for (i, m) in resolved.memories.enumerated() { memories[i] = m.storage }
    for (i, m) in module.memories.enumerated() { memories[resolved.memories.count + i] = try newMemory(m) }
    let memory = memoryCount > 0 ? memories[0] : emptyMemory
    let tableCount = resolved.tables.count + module.tables.count
    let tables = allocate(UnsafeMutablePointer<TableStorage>.self, tableCount)
    for (i, t) in resolved.tables.enumerated() { tables[i] = t.storage }

    // Tags: an imported tag is the exporter's entry (the same tag); defined ones are new.
    let tagCount = resolved.tags.count + module.tags.count
    let tags = allocate(UnsafeMutablePointer<TagEntry>.self, tagCount)
    for (i, t) in resolved.tags.enumerated() { tags[i] = t.entry }
    for (i, typeIndex) in module.tags.enumerated() {
      let index = resolved.tags.count + i
      tags[index] = newTagEntry(typeID: ids[Int(typeIndex)], name: tagName(index, of: module))
    }

    // Globals: imported cells are shared; defined ones are initialised in order.
    let globalCount = resolved.globals.count + module.globals.count
    let globals = allocate(UnsafeMutablePointer<UInt64>.self, globalCount)
    for (i, g) in resolved.globals.enumerated() { globals[i] = g.cell }

    let dataSegments = allocate(SegmentStorage.self, module.data.count)
    let elemSegments = allocate(SegmentStorage.self, module.elements.count)
    context.initialize(to: InstanceContext(
      memory: memory, memories: memories, memoryCount: memoryCount, index: instances.count, functions: functions,
      localFunctions: defined - resolved.functions.count, globals: globals, tables: tables, typeIDs: typeIDs,
      dataSegments: dataSegments, elemSegments: elemSegments, tags: tags, gcTypes: gcTypes))

    // Constant expressions may allocate GC objects, which the roots see only once stored: no collection until then.
    gc.collectionsPaused = true
    defer { gc.collectionsPaused = false }
    let evaluator = ConstEvaluator(functions: functions, globals: globals) { [unowned self] instruction, stack in
      try self.evaluateConstant(instruction, &stack, gcTypes: gcTypes)
    }
    for (i, g) in module.globals.enumerated() {
      let slots = g.type.valueType.slotCount
      let cell = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
      owned.raw.append(UnsafeMutableRawPointer(cell))
      if g.type.valueType.isExceptionReference { exnrefGlobals.append(cell) }
      if g.type.valueType.mayHoldGCReference { gcGlobals.append(cell) }
      if slots == 2 {
        let value = evaluator.evaluateVector(g.initializer)
        cell.initialize(to: value.low)
        (cell + 1).initialize(to: value.high)
      } else {
        cell.initialize(to: try evaluator.evaluate(g.initializer))
      }
      globals[resolved.globals.count + i] = cell
    }
    for (i, t) in module.tables.enumerated() {
      tables[resolved.tables.count + i] = newTable(t, fill: try module.tableInitializers[i].map { try evaluator.evaluate($0) } ?? 0)
    }
    for (i, d) in module.data.enumerated() {
      // An active segment is written to memory below and dropped: memory.init sees it empty, without a copy.
      guard case .passive = d.mode else {
        dataSegments[i] = SegmentStorage(bytes: nil, data: nil, count: 0)
        continue
      }
      let bytes = allocate(UInt8.self, d.bytes.count)
      _ = UnsafeMutableBufferPointer(start: bytes, count: d.bytes.count).initialize(from: d.bytes)
      dataSegments[i] = SegmentStorage(bytes: nil, data: bytes, count: d.bytes.count)
    }
    for (i, e) in module.elements.enumerated() {
      let refs = allocate(UInt64.self, e.count)
      switch e.contents {
      case .functions(let indices):
        for (j, f) in indices.enumerated() { refs[j] = evaluator.functionReference(f) }
      case .expressions(let expressions):
        for (j, item) in expressions.enumerated() { refs[j] = try evaluator.evaluate(item) }
      }
      elemSegments[i] = SegmentStorage(bytes: refs, data: nil, count: e.count)
      if e.type.mayHoldGCReference { gcSegments.append(elemSegments + i) }
    }

    let instance = Instance(store: self, exports: module.exports.map { export in
      (export.name, exportValue(export, context: context, module: module, typeIDs: ids))
    })
    instances.append(InstanceReference(instance))

    try applySegments(module, context)
    gc.collectionsPaused = false
    if let start = module.start {
      let entry = functions[Int(start)]
      _ = try invoke(entry, type: functionType(entry), args: [])
    }
    return instance
  }

  /// Active element and data segments, in order, as table.init / memory.init followed by a drop.
  private func applySegments(_ module: Module, _ context: UnsafeMutablePointer<InstanceContext>) throws {
    let evaluator = ConstEvaluator(functions: context.pointee.functions, globals: context.pointee.globals)
    for (i, e) in module.elements.enumerated() {
      switch e.mode {
      case .active(let table, let offsetExpr):
        // An i32 offset evaluates zero-extended; an i64 one (a 64-bit table) may be any 64-bit value.
        let offset = try evaluator.evaluate(offsetExpr)
        let t = context.pointee.tables[Int(table)]
        let seg = context.pointee.elemSegments[i]
        guard offset <= UInt64(t.pointee.count), UInt64(seg.count) <= UInt64(t.pointee.count) - offset else {
          throw Trap(.outOfBoundsTableAccess)
        }
        if seg.count > 0 { (t.pointee.elements + Int(offset)).update(from: seg.bytes!, count: seg.count) }
        context.pointee.elemSegments[i].count = 0
      case .declarative:
        context.pointee.elemSegments[i].count = 0
      case .passive:
        break
      }
    }
    for d in module.data {
      guard case .active(let memoryIndex, let offsetExpr) = d.mode else { continue }
      let offset = try evaluator.evaluate(offsetExpr)  // as for element segments: i32 zero-extended, or i64
      let memory = context.pointee.memories[Int(memoryIndex)]
      guard offset <= memory.pointee.byteCount, UInt64(d.bytes.count) <= memory.pointee.byteCount - offset else {
        throw Trap(.outOfBoundsMemoryAccess)
      }
      if d.bytes.count >= 4 * LinearMemory.pageSize { LinearMemory.prefault(memory.pointee.base + Int(offset), count: d.bytes.count) }
      d.bytes.withUnsafeBufferPointer { source in
        if let from = source.baseAddress { (memory.pointee.base + Int(offset)).update(from: from, count: source.count) }
      }
    }
  }

  private func exportValue(_ export: Export, context: UnsafeMutablePointer<InstanceContext>, module: Module,
                           typeIDs: [Int]) -> ExternalValue
  {
    let i = Int(export.index)
    switch export.kind {
    case .function:
      let entry = context.pointee.functions[i]
      return .function(Function(store: self, entry: entry, type: functionType(entry)))
    case .table:
      return .table(Table(store: self, storage: context.pointee.tables[i],
                          elementType: module.allTables[i].elementType.inStore(typeIDs)))
    case .memory:
      return .memory(Memory(store: self, storage: context.pointee.memories[i]))
    case .global:
      var type = module.allGlobalTypes[i]
      type.valueType = type.valueType.inStore(typeIDs)
      return .global(Global(store: self, cell: context.pointee.globals[i], type: type))
    case .tag:
      return .tag(tag(context.pointee.tags[i]))
    }
  }

  /// Puts translated code into a function's entry: code that starts with a `handler_table` keeps it in
  /// `handlers`, a `stack_maps` (after it, if both) in `stackMaps`, and the function starts after them.
  func installCode(_ code: Pc, in entry: UnsafeMutablePointer<FunctionEntry>) {
    var start = code
    entry.pointee.handlers = nil
    entry.pointee.stackMaps = nil
    // Their sizes are the low 32 bits of their operand slot, as everything that walks the code reads them.
    if start[0] == state.pointee.handlerTableHeader {
      entry.pointee.handlers = UnsafePointer(start)
      start += 2 + Int(start[1] & 0xFFFF_FFFF)
    }
    if start[0] == stackMapsHeader {
      entry.pointee.stackMaps = UnsafePointer(start)
      start += 2 + Int(start[1] & 0xFFFF_FFFF)
    }
    entry.pointee.code = start
  }

  /// Copies translated code into the store in its dispatch form: threaded code holds handler addresses.
  func loadCode(_ code: [UInt64]) -> Pc { code.withUnsafeBufferPointer { loadCode($0) } }

  /// A copy of `code` in the store's dispatch form (handler addresses in place of opcode ids, for threaded
  /// dispatch), owned by the store.
  func loadCode(_ code: UnsafeBufferPointer<UInt64>) -> Pc {
    let buffer = allocate(UInt64.self, code.count)
    if let base = code.baseAddress { buffer.initialize(from: base, count: code.count) }
    interruptHandle.recordLoopHeaders(convertToDispatchForm(UnsafeMutableBufferPointer(start: buffer, count: code.count)))
    return buffer
  }

  /// Puts `code` in the store's dispatch form (for threaded dispatch, each instruction's opcode id replaced with
  /// its handler's address), and returns the first instruction of each loop, the backward targets of its branches
  /// (for `InterruptHandle`). The code is valid (translated here, or verified); the walk still stops at anything
  /// it does not recognise.
  private func convertToDispatchForm(_ code: UnsafeMutableBufferPointer<UInt64>) -> [Pc] {
    var headers: [Pc] = []
    let threaded = dispatch == .threaded
    threadedHandlerTable.withUnsafeBufferPointer { handlers in
      _ = forEachInstruction(UnsafeBufferPointer(code)) { at, op in
        if threaded { code[at] = handlers[Int(op.rawValue)] }
        guard op.isBranch else { return }
        forEachBranchTarget(UnsafeBufferPointer(code), at: at, op) { target in
          if target >= 0 && target <= at { headers.append(code.baseAddress! + target) }
        }
      }
    }
    return headers
  }

  func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
    let p = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
    owned.raw.append(UnsafeMutableRawPointer(p))
    return p
  }
}

/// Evaluates constant expressions (validated: only consts, ref.null, ref.func, global.get, i32/i64 add/sub/mul).
struct ConstEvaluator {
  let functions: UnsafeMutablePointer<UnsafeMutablePointer<FunctionEntry>>
  let globals: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
  /// Evaluates a GC instruction on the stack of slots (allocating); nil where none can occur (segment offsets).
  var gcInstruction: ((GCInstruction, inout [UInt64]) throws -> Void)? = nil

  /// The value of `expr`; throws the trap of an allocation too large.
  func evaluate(_ expr: ConstExpr) throws -> UInt64 {
    // Most are one instruction (an element's ref.func, a global's constant): no stack to allocate.
    if expr.instructions.count == 1, let value = pushedValue(expr.instructions[0]) { return value }
    var stack: [UInt64] = []
    for instruction in expr.instructions {
      if let value = pushedValue(instruction) {
        stack.append(value)
        continue
      }
      switch instruction {
      case .v128Const(let v):
        stack.append(v.low)
        stack.append(v.high)
      case .gc(let g):
        try gcInstruction?(g, &stack)
      case .numeric(let op):
        let b = stack.popLast() ?? 0
        let a = stack.popLast() ?? 0
        switch op {
        case .i32Add: stack.append(UInt64(UInt32(truncatingIfNeeded: a &+ b)))
        case .i32Sub: stack.append(UInt64(UInt32(truncatingIfNeeded: a &- b)))
        case .i32Mul: stack.append(UInt64(UInt32(truncatingIfNeeded: a) &* UInt32(truncatingIfNeeded: b)))
        case .i64Add: stack.append(a &+ b)
        case .i64Sub: stack.append(a &- b)
        case .i64Mul: stack.append(a &* b)
        default: stack.append(0)
        }
      default: break
      }
    }
    return stack.last ?? 0
  }

  /// A v128 constant expression: `v128.const`, or `global.get` of a v128 global (there is no vector arithmetic in
  /// constant expressions).
  func evaluateVector(_ expr: ConstExpr) -> V128 {
    switch expr.instructions.last {
    case .v128Const(let v): return v
    case .globalGet(let i): return V128(low: globals[Int(i)][0], high: globals[Int(i)][1])
    default: return V128(low: 0, high: 0)
    }
  }

  /// The funcref of function `index` (`ref.func index`).
  func functionReference(_ index: UInt32) -> UInt64 { UInt64(UInt(bitPattern: functions[Int(index)])) }

  /// The value an instruction that takes no operand pushes; nil for the others.
  private func pushedValue(_ instruction: Instruction) -> UInt64? {
    switch instruction {
    case .i32Const(let v): return UInt64(UInt32(bitPattern: v))
    case .i64Const(let v): return UInt64(bitPattern: v)
    case .f32Const(let v): return UInt64(v)
    case .f64Const(let v): return v
    case .refNull: return 0
    case .refFunc(let i): return functionReference(i)
    case .globalGet(let i): return globals[Int(i)].pointee
    default: return nil
    }
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Atomics
import SwasmBytecode
import SwasmTranslator
import Synchronization
import WasmBinary

/// How the interpreter dispatches: tail-calling C shims (fast), or a portable `switch` loop.
public enum DispatchMode: Sendable {
  /// Each instruction's handler tail-calls the next one's through C shims: the fast mode, and the default.
  case threaded
  /// A portable loop that switches on each instruction's opcode; slower than `threaded`.
  case switchLoop
}

/// Limits that bound what guest code may use of the host. A guest that reaches one gets a clear trap (or, for
/// growth, a failed `memory.grow`/`table.grow`, as the standard says) and the store stays usable.
public struct StoreLimits: Sendable {
  /// Value-stack slots (8 bytes each) shared by all frames.
  public var stackSlots: Int = 1 << 20
  /// Maximum call depth (Wasm calls nested at once).
  public var maxCallDepth: Int = 60_000
  /// Most pages (64 KiB each) any memory may have; a module declaring more fails to instantiate. A 32-bit
  /// memory never has more than 65,536 (4 GiB); the default leaves 64-bit memories limited by the host alone.
  public var maxMemoryPages: UInt64 = 1 << 48
  /// Most elements any table may have; a module declaring more fails to instantiate.
  public var maxTableElements: Int = 10_000_000
  /// Meter fuel: code checks a budget (`Store.fuel`) at every function entry and loop header. Costs a little
  /// speed; off by default. (Interruption from another thread, `Store.interruptHandle`, does not need it.)
  public var meterFuel = false

  /// Limits with the given values; each defaults to the property's default. `stackSlots` is raised to at least
  /// 1,024, `maxCallDepth` to at least 1, and `maxMemoryPages` lowered to at most 2^48.
  public init(stackSlots: Int = 1 << 20, maxCallDepth: Int = 60_000, maxMemoryPages: UInt64 = 1 << 48,
              maxTableElements: Int = 10_000_000, meterFuel: Bool = false) {
    self.stackSlots = max(stackSlots, 1024)
    self.maxCallDepth = max(maxCallDepth, 1)
    self.maxMemoryPages = min(maxMemoryPages, 1 << 48)
    self.maxTableElements = maxTableElements
    self.meterFuel = meterFuel
  }
}

/// Owns everything instances create: functions, memories, tables, globals, and the interpreter's stacks.
/// A store is not thread-safe: it and everything of it is used by one thread at a time. Separate stores may run
/// on separate threads, and the one thing they may use at the same time is a shared memory (`MemoryType.isShared`)
/// that each imports: its bytes, atomics, waits and growth work across threads, as the threads proposal says.
public final class Store {
  /// How this store's interpreter dispatches, fixed when the store is made.
  public let dispatch: DispatchMode
  /// The limits this store was made with (`Engine.makeStore()` passes the engine's).
  public let limits: StoreLimits
  /// Interrupts this store's running guest call from any thread.
  public let interruptHandle = InterruptHandle()
  /// Decides each growth of this store's memories within their maximum and `limits`: called with the memory,
  /// its size and the size asked for, in bytes; false refuses (`memory.grow` returns -1, `Memory.grow` nil).
  /// Called on the thread running the guest, in the middle of its code: it must not call into this store.
  public var memoryGrowthLimiter: ((_ memory: Memory, _ currentBytes: Int, _ requestedBytes: Int) -> Bool)?
  /// Whatever the embedder keeps with this store; host functions reach it as `caller.store.userData`.
  public var userData: Any?
  /// Every instance made in this store, by `InstanceContext.index` (weakly: the embedder owns them).
  var instances: [InstanceReference] = []
  let state: St
  var functionInfos: [FunctionInfo] = []
  var functionOrigins: [FunctionOrigin] = []
  var hostFunctions: [HostFunctionRecord] = []
  /// The types of every module instantiated here and of every host function, by canonical id (StoreTypes.swift).
  var types = StoreTypes()
  /// Addresses of the store's function entries, for checking funcrefs handed in by the host; sorted on demand.
  var functionAddresses: [UInt] = []
  var functionAddressesSorted = true
  /// Where a Wasm-to-host call's arguments end: a nested `invoke` from that host function starts its frame there.
  var hostStackTop: Fp?
  var pendingHostError: Error?
  /// Exception objects, and where exnrefs are kept besides the value stack (ExceptionHeap).
  let exceptions = ExceptionHeap()
  var exnrefGlobals: [UnsafeMutablePointer<UInt64>] = []
  var exnrefTables: [UnsafeMutablePointer<TableStorage>] = []
  /// GC objects (GC/GCHeap.swift), the run-time descriptions of their types by canonical id, and the globals,
  /// tables and element segments whose references a collection must see.
  let gc = GCHeap()
  var gcTypeInfos: [UnsafeMutablePointer<GCTypeInfo>?] = []
  var externBox: UnsafeMutablePointer<GCTypeInfo>?
  var gcGlobals: [UnsafeMutablePointer<UInt64>] = []
  var gcTables: [UnsafeMutablePointer<TableStorage>] = []
  var gcSegments: [UnsafeMutablePointer<SegmentStorage>] = []
  /// Names of the store's tags (`TagEntry.nameIndex`), for messages.
  var tagNames: [String] = []
  var owned = Ownership()
  let emptyMemory: UnsafeMutablePointer<MemoryStorage>
  let rootInstance: UnsafeMutablePointer<InstanceContext>
  /// The first of the store's call frames (`ExecState.frameTop` is the next free one).
  let frameStart: UnsafeMutablePointer<CallFrame>
  /// For each call frame of a host function, by its index: where its arguments are (a collection reads the
  /// references among them).
  let hostArguments: UnsafeMutablePointer<Fp>
  /// The header word of `stack_maps` in the store's dispatch form: code with stack maps has it after its handlers.
  let stackMapsHeader: UInt64
  /// The code of every not-yet-loaded function of a cached module: one `load_code` instruction.
  private(set) lazy var lazyCodeStub: Pc = loadCode([UInt64(Opcode.load_code.rawValue)])

  /// An empty store. Its value stack (`limits.stackSlots`) and call frames (`limits.maxCallDepth`) are
  /// allocated now. It instantiates only modules prepared with fuel checks if `limits.meterFuel` is set, and only
  /// modules prepared without them if not; `Engine.makeStore()` makes a store that matches the engine's modules.
  public init(dispatch: DispatchMode = .threaded, limits requested: StoreLimits = StoreLimits()) {
    self.dispatch = dispatch
    // The properties can be set past the minimums `StoreLimits.init` applies: applied again here.
    var limits = requested
    limits.stackSlots = max(limits.stackSlots, 1024)
    limits.maxCallDepth = max(limits.maxCallDepth, 1)
    limits.maxTableElements = max(limits.maxTableElements, 0)
    self.limits = limits
    let stack = UnsafeMutablePointer<UInt64>.allocate(capacity: limits.stackSlots)
    let frames = UnsafeMutablePointer<CallFrame>.allocate(capacity: limits.maxCallDepth)
    frameStart = frames
    hostArguments = .allocate(capacity: limits.maxCallDepth)
    stackMapsHeader = dispatch == .threaded ? threadedHandlerTable[Int(Opcode.stack_maps.rawValue)] : UInt64(Opcode.stack_maps.rawValue)
    let halt = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    halt.pointee = dispatch == .threaded ? threadedHandlerTable[Int(Opcode.halt.rawValue)] : UInt64(Opcode.halt.rawValue)
    emptyMemory = .allocate(capacity: 1)
    emptyMemory.initialize(to: MemoryStorage(base: .allocate(capacity: 1), byteCount: 0, maxPages: 0, declaredMax: 0))
    rootInstance = .allocate(capacity: 1)
    let none = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
    none.storeBytes(of: emptyMemory, as: UnsafeMutablePointer<MemoryStorage>.self)
    rootInstance.initialize(to: InstanceContext(
      memory: emptyMemory, memories: none.assumingMemoryBound(to: UnsafeMutablePointer<MemoryStorage>.self), memoryCount: 0,
      functions: none.assumingMemoryBound(to: UnsafeMutablePointer<FunctionEntry>.self),
      localFunctions: none.assumingMemoryBound(to: FunctionEntry.self),
      globals: none.assumingMemoryBound(to: UnsafeMutablePointer<UInt64>.self),
      tables: none.assumingMemoryBound(to: UnsafeMutablePointer<TableStorage>.self),
      typeIDs: none.assumingMemoryBound(to: Int.self),
      dataSegments: none.assumingMemoryBound(to: SegmentStorage.self),
      elemSegments: none.assumingMemoryBound(to: SegmentStorage.self),
      tags: none.assumingMemoryBound(to: UnsafeMutablePointer<TagEntry>.self)))
    owned.raw.append(none)
    state = .allocate(capacity: 1)
    state.initialize(to: ExecState(
      fuel: Int64.max, interrupt: interruptHandle.flag, memBase: emptyMemory.pointee.base, instance: rootInstance,
      localFunctions: rootInstance.pointee.localFunctions, tables: rootInstance.pointee.tables, frameTop: frames,
      frameEnd: frames + limits.maxCallDepth, stackStart: stack, stackEnd: stack + limits.stackSlots,
      haltPc: halt,
      initConstsHeader: dispatch == .threaded ? threadedHandlerTable[Int(Opcode.init_consts.rawValue)] : UInt64(Opcode.init_consts.rawValue),
      trap: .none,
      handlerTableHeader: dispatch == .threaded ? threadedHandlerTable[Int(Opcode.handler_table.rawValue)] : UInt64(Opcode.handler_table.rawValue),
      store: nil))
    owned.raw.append(UnsafeMutableRawPointer(stack))
    owned.raw.append(UnsafeMutableRawPointer(frames))
    owned.raw.append(UnsafeMutableRawPointer(hostArguments))
    owned.raw.append(UnsafeMutableRawPointer(halt))
    state.pointee.store = Unmanaged.passUnretained(self)
    interruptHandle.attach(state: state, interruptedWord: dispatch == .threaded
                             ? threadedHandlerTable[Int(Opcode.interrupted.rawValue)] : UInt64(Opcode.interrupted.rawValue))
  }

  deinit {
    interruptHandle.detach()
    owned.release()
    emptyMemory.pointee.base.deallocate()
    emptyMemory.deallocate()
    rootInstance.deallocate()
    state.deallocate()
  }

  /// Fuel left for code translated with `StoreLimits.meterFuel`: each function entry and loop iteration
  /// charges the Wasm instructions it runs straight through. At zero the guest traps with `TrapCode.outOfFuel`.
  /// Unlimited (Int64.max) until set.
  public var fuel: Int64 {
    get { max(0, state.pointee.fuel) }
    set { state.pointee.fuel = max(0, newValue) }
  }

  /// The translation settings this store's code needs: modules must be prepared with its `meterFuel`.
  public var translationOptions: TranslationOptions { TranslationOptions(meterFuel: limits.meterFuel) }

  // MARK: types

  /// The store-wide id of a function type in store form (from 1): equal for equal types, whichever module or
  /// host function has them.
  func typeID(_ type: FuncType) -> Int { types.id(of: type) }

  func isFunctionAddress(_ address: UInt) -> Bool {
    if !functionAddressesSorted {
      functionAddresses.sort()
      functionAddressesSorted = true
    }
    let i = partitionPoint(functionAddresses.count) { functionAddresses[$0] < address }
    return i < functionAddresses.count && functionAddresses[i] == address
  }

  // MARK: host objects

  /// A host function taking and returning `Value`s. `body` may throw a `Trap` (or any error) to trap.
  public func hostFunction(type: FuncType, name: String = "host", _ body: @escaping ([Value]) throws -> [Value])
    -> Function
  {
    let params = type.params
    let results = type.results
    return rawHostFunction(type: type, name: name) { [unowned self] _, slots in
      let values = try body(self.values(at: slots, types: params))
      guard self.valuesMatch(values, results) else {
        throw Trap(.hostTrap, message: "host function \(name) returned \(values), expected \(results)")
      }
      try self.write(values, to: slots)
    }
  }

  /// A host function on raw frame slots: arguments arrive in `slots[0...]`, results go to `slots[0...]`, one slot
  /// each (i32/f32 zero-extended, floats as bit patterns), two for a v128 (low half first). No allocation per call.
  /// `Caller` gives access to the calling instance's memory.
  public func rawHostFunction(type: FuncType, name: String = "host",
                              _ body: @escaping (Caller, UnsafeMutablePointer<UInt64>) throws -> Void) -> Function {
    hostFunctions.append(HostFunctionRecord(type: type, body: body))
    let entry = newFunctionEntry(FunctionEntry(
      code: nil, frameSize: max(type.params.slotCount, type.results.slotCount), typeID: typeID(type), instance: nil,
      paramCount: type.params.slotCount, resultCount: type.results.slotCount, hostIndex: hostFunctions.count - 1,
      infoIndex: 0),
      info: FunctionInfo(origin: newFunctionOrigin(FunctionOrigin(names: .given(name))), index: 0))
    return Function(store: self, entry: entry, type: type)
  }

  /// A host function's entry, registered with its description.
  func newFunctionEntry(_ value: FunctionEntry, info: FunctionInfo) -> UnsafeMutablePointer<FunctionEntry> {
    let entry = newFunctionEntries(count: 1)
    entry.initialize(to: value)
    entry.pointee.infoIndex = functionInfos.count
    addFunctionInfos(CollectionOfOne(info), of: entry)
    return entry
  }

  /// Memory for `count` function entries (an instance's defined functions), owned by the store. The caller
  /// initializes them, then registers them with `addFunctionInfos`.
  func newFunctionEntries(count: Int) -> UnsafeMutablePointer<FunctionEntry> {
    let entries = UnsafeMutablePointer<FunctionEntry>.allocate(capacity: max(count, 1))
    owned.raw.append(UnsafeMutableRawPointer(entries))
    functionAddressesSorted = false
    return entries
  }

  /// Registers `infos.count` initialized entries in a row: their descriptions, and their addresses as valid
  /// funcrefs. Their `infoIndex` fields are already the indices their descriptions get (`functionInfos.count`
  /// on, in order).
  func addFunctionInfos<Infos: Collection<FunctionInfo>>(_ infos: Infos, of entries: UnsafeMutablePointer<FunctionEntry>) {
    for i in 0..<infos.count { precondition(entries[i].infoIndex == functionInfos.count + i) }
    functionInfos.append(contentsOf: infos)
    functionAddresses.append(contentsOf: (0..<infos.count).lazy.map { UInt(bitPattern: entries + $0) })
  }

  /// Registers where functions come from; returns its index for their `FunctionInfo.origin`.
  func newFunctionOrigin(_ origin: FunctionOrigin) -> Int32 {
    functionOrigins.append(origin)
    return Int32(functionOrigins.count - 1)
  }

  /// The name of a function for messages.
  func functionName(_ entry: UnsafeMutablePointer<FunctionEntry>) -> String {
    let info = functionInfos[entry.pointee.infoIndex]
    return functionOrigins[Int(info.origin)].names.name(of: info.index)
  }

  /// A function's type, from the store's table of types (every entry has its canonical type id).
  func functionType(_ entry: UnsafeMutablePointer<FunctionEntry>) -> FuncType { types.functionType(entry.pointee.typeID) }

  /// A new global of this store, for imports, holding `value`. Throws `EmbeddingError` for a value of another
  /// type than `type.valueType`, or a reference this store cannot hold (a funcref of another store).
  public func createGlobal(type: GlobalType, value: Value) throws -> Global {
    guard valueMatches(value, type.valueType) else {
      throw EmbeddingError("type mismatch: a global of \(type.valueType) cannot hold \(value.type)")
    }
    let cell = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
    cell.initialize(repeating: 0, count: 2)
    do {
      try write(value, to: cell)
    } catch {
      cell.deallocate()
      throw error
    }
    owned.raw.append(UnsafeMutableRawPointer(cell))
    if type.valueType.isExceptionReference { exnrefGlobals.append(cell) }
    if type.valueType.mayHoldGCReference { gcGlobals.append(cell) }
    return Global(store: self, cell: cell, type: type)
  }

  /// A new table of this store, for imports: `type.limits.min` elements, each set to `initial`. Throws
  /// `EmbeddingError` when the element type is not a reference type, when `initial` is not of it, when it is a
  /// reference of another store (a table's elements are what `call_indirect` calls: nothing else may get in), when
  /// the limits are not valid (`TableType.validateLimits()`), or the minimum is above `limits.maxTableElements`.
  public func createTable(type: TableType, initial: Value) throws -> Table {
    guard type.elementType.isReference, valueMatches(initial, type.elementType) else {
      throw EmbeddingError("type mismatch: a table of \(type.elementType) cannot hold \(initial.type)")
    }
    try validate(type.validateLimits)
    try checkStoreLimit(type)
    return Table(store: self, storage: newTable(type, fill: try slot(from: initial)), elementType: type.elementType)
  }

  func newTable(_ type: TableType, fill: UInt64) -> UnsafeMutablePointer<TableStorage> {
    let count = Int(min(type.limits.min, UInt64(limits.maxTableElements)))
    let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: max(count, 1))
    elements.initialize(repeating: fill, count: max(count, 1))
    let table = UnsafeMutablePointer<TableStorage>.allocate(capacity: 1)
    let cap = UInt64(limits.maxTableElements)
    table.initialize(to: TableStorage(elements: elements, count: count, capacity: max(count, 1),
                                      max: min(type.limits.max ?? cap, cap), declaredMax: type.limits.max,
                                      is64: type.addressType == .i64))
    owned.tables.append(table)
    if type.elementType.isExceptionReference { exnrefTables.append(table) }
    if type.elementType.mayHoldGCReference { gcTables.append(table) }
    return table
  }

  /// A memory of this store, for imports: `type.limits.min` pages, zero-filled. Throws `EmbeddingError` when
  /// the limits are not valid (`MemoryType.validateLimits()`), the minimum is above `limits.maxMemoryPages`, or
  /// its address space cannot be reserved.
  public func createMemory(type: MemoryType) throws -> Memory {
    try validate(type.validateLimits)
    try checkStoreLimit(type)
    return Memory(store: self, storage: try newMemory(type))
  }

  /// A type an embedder asks for, validated as a module's would be (the validator's message, as an
  /// `EmbeddingError`).
  private func validate(_ check: () throws -> Void) throws {
    do { try check() } catch let error as ValidationError { throw EmbeddingError(error.message) }
  }

  /// A memory no larger to begin with than `limits.maxMemoryPages` allows (a module's, or an embedder's).
  func checkStoreLimit(_ memory: MemoryType) throws {
    guard memory.limits.min <= limits.maxMemoryPages else {
      throw EmbeddingError("memory of \(memory.limits.min) pages exceeds the store's limit of \(limits.maxMemoryPages)")
    }
  }

  /// A table no larger to begin with than `limits.maxTableElements` allows (a module's, or an embedder's).
  func checkStoreLimit(_ table: TableType) throws {
    guard table.limits.min <= UInt64(limits.maxTableElements) else {
      throw EmbeddingError("table of \(table.limits.min) elements exceeds the store's limit of \(limits.maxTableElements)")
    }
  }

  func newMemory(_ type: MemoryType) throws -> UnsafeMutablePointer<MemoryStorage> {
    let pages = min(type.limits.min, limits.maxMemoryPages)
    let maxPages = min(type.limits.max ?? type.pageLimit, limits.maxMemoryPages)
    // A 64-bit memory's minimum may be more than the host can address at all.
    guard pages <= UInt64(Int.max) / wasmPageSize else {
      throw EmbeddingError("a memory of \(pages) pages is more than this host can address")
    }
    let bytes = Int(pages * wasmPageSize)
    // A shared memory never moves (SharedMemoryOwner): a 64-bit one reserves its maximum now, up to
    // `LinearMemory.memory64Reservation` (64 GiB), which is as far as it can grow.
    let maxBytes = maxPages > UInt64.max / wasmPageSize ? UInt64.max : maxPages * wasmPageSize
    let reservation = type.is64 ? max(LinearMemory.reservation64(maxBytes: maxBytes), bytes)
                                : LinearMemory.reservation
    guard let base = LinearMemory.reserve(bytes: bytes, reservation: reservation) else {
      throw EmbeddingError("cannot reserve the \(reservation >> 20) MiB of address space a memory needs "
                           + "(a process limit such as ulimit -v?): \(String(cString: strerror(errno)))")
    }
    let memory = UnsafeMutablePointer<MemoryStorage>.allocate(capacity: 1)
    memory.initialize(to: MemoryStorage(base: base, byteCount: UInt64(bytes), maxPages: maxPages,
                                        declaredMax: type.limits.max, is64: type.is64, isShared: type.isShared,
                                        reservedBytes: reservation))
    if type.isShared {
      let owner = SharedMemoryOwner(memory)
      memory.pointee.sharedOwner = Unmanaged.passUnretained(owner)
      owned.sharedMemories.append(owner)
    } else {
      owned.memories.append(memory)
    }
    return memory
  }

  // MARK: values <-> slots

  /// The value of `type` in `slots` (two slots for a v128, one for the others).
  func value(at slots: UnsafePointer<UInt64>, type: ValueType) -> Value {
    type == .v128 ? .v128(V128(low: slots[0], high: slots[1])) : value(fromSlot: slots[0], type: type)
  }

  /// Writes `value` to `slots` (two for a v128, one for the others).
  func write(_ value: Value, to slots: UnsafeMutablePointer<UInt64>) throws {
    if case .v128(let v) = value {
      slots[0] = v.low
      slots[1] = v.high
    } else {
      slots[0] = try slot(from: value)
    }
  }

  /// Values of `types` laid out one after the other from `slots`, as parameters and results are.
  func values(at slots: UnsafePointer<UInt64>, types: [ValueType]) -> [Value] {
    var offset = 0
    return types.map { type in
      defer { offset += type.slotCount }
      return value(at: slots + offset, type: type)
    }
  }

  /// Writes `values` one after the other from `slots`.
  func write(_ values: [Value], to slots: UnsafeMutablePointer<UInt64>) throws {
    var offset = 0
    for v in values {
      try write(v, to: slots + offset)
      offset += v.type.slotCount
    }
  }

  /// The value of a one-slot type (a number or a reference) held in `slot`.
  func value(fromSlot slot: UInt64, type: ValueType) -> Value {
    switch type {
    case .i32: return .i32(UInt32(truncatingIfNeeded: slot))
    case .i64: return .i64(slot)
    case .f32: return .f32(UInt32(truncatingIfNeeded: slot))
    case .f64: return .f64(slot)
    case .ref(let r): return referenceValue(fromSlot: slot, type: r)
    case .v128: preconditionFailure("a v128 takes two slots: value(at:type:)")
    }
  }

  /// The slot holding a one-slot value (a number or a reference).
  func slot(from value: Value) throws -> UInt64 {
    switch value {
    case .i32(let v): return UInt64(v)
    case .i64(let v): return v
    case .f32(let v): return UInt64(v)
    case .f64(let v): return v
    case .funcref(nil), .externref(nil), .exnref(nil), .anyref(nil): return 0
    case .anyref(let r?):
      // A GC object is alive while its GCReference is (pinned), and is of this store's heap.
      guard r.store === self else { throw EmbeddingError("anyref of another store") }
      return r.bits
    case .exnref(let exception?):
      guard exception.tag.store === self else { throw EmbeddingError("exnref of another store") }
      return try exception.reference()
    case .funcref(let r?):
      guard isFunctionAddress(UInt(r)) else { throw EmbeddingError("funcref \(r) is not a function of this store") }
      return r
    case .externref(let r?):
      // Slots with bit 63 set hold GC references turned into externrefs (extern.convert_any): not the host's to make.
      guard r < 1 << 63 - 1 else { throw EmbeddingError("externref value out of range (host values are below 2^63 - 1)") }
      return r + 1
    case .externalizedAnyref(let r):
      guard r.store === self else { throw EmbeddingError("externref of another store") }
      return gcExternConvertAny(r.bits)  // as `extern.convert_any` makes it (a boxed host value comes out of its box)
    case .v128: throw EmbeddingError("a v128 does not fit in one slot")
    }
  }

  // MARK: calls

  func invoke(_ entry: UnsafeMutablePointer<FunctionEntry>, type: FuncType, args: [Value]) throws -> [Value] {
    guard valuesMatch(args, type.params) else {
      throw EmbeddingError("argument mismatch: expected \(type.params), got \(args)")
    }
    var slots = [UInt64](repeating: 0, count: type.params.slotCount)
    try slots.withUnsafeMutableBufferPointer { try write(args, to: $0.baseAddress!) }
    let base = try call(entry) { for (i, s) in slots.enumerated() { $0[i] = s } }
    return values(at: base, types: type.results)
  }

  /// Calls a function: `writeArguments` fills its parameter slots; the results are in the returned slots.
  /// The slots stay valid until the next call into this store.
  func call(_ entry: UnsafeMutablePointer<FunctionEntry>, writeArguments: (Fp) -> Void) throws -> Fp {
    let st = state
    let base = hostStackTop ?? st.pointee.stackStart
    let need = max(entry.pointee.paramCount, entry.pointee.resultCount)
    guard base + max(need, entry.pointee.frameSize) <= st.pointee.stackEnd,
          st.pointee.frameTop < st.pointee.frameEnd else {
      throw Trap(stackLimitTrap(st, reported: .callStackExhausted))
    }
    writeArguments(base)
    let outermost = hostStackTop == nil
    if outermost { interruptHandle.callStarted() }
    defer { if outermost { interruptHandle.callEnded() } }
    if entry.pointee.code == nil {
      let code = callHostFunction(entry, args: base, state: st)
      st.pointee.pendingException = 0  // a host function's exception reaches its caller, the host, as it was thrown
      if code != .none { throw takeHostError() }
    } else {
      try run(entry, base: base)
    }
    return base
  }

  /// Runs a Wasm function whose arguments are at `base`, leaving its results there.
  private func run(_ entry: UnsafeMutablePointer<FunctionEntry>, base: Fp) throws {
    let st = state
    let saved = (st.pointee.instance, st.pointee.memBase)
    let entryFrame = st.pointee.frameTop
    entryFrame.pointee = CallFrame(returnPc: st.pointee.haltPc, callerFp: base, callerInstance: saved.0, function: entry)
    st.pointee.frameTop = entryFrame + 1
    enterInstance(entry.pointee.instance!, st)
    let code = entry.pointee.code!
    runInterpreter(code, base, st, threaded: dispatch == .threaded)
    // An interruption moves the stack's end to stop calls: the stack check that failed then was its doing.
    let trapCode = stackLimitTrap(st, reported: st.pointee.trap)
    if trapCode != .none {
      // Named only for a trap: a host error of another kind (a WASI program's exit) does not carry a backtrace,
      // and naming functions reads the module's name section (which a cached module decompresses on demand).
      let carriesBacktrace = trapCode != .hostTrap || pendingHostError is Trap
      var backtrace: [String] = []
      var frame = st.pointee.frameTop
      while carriesBacktrace, frame > entryFrame {
        frame -= 1
        backtrace.append(functionName(frame.pointee.function))
      }
      st.pointee.frameTop = entryFrame
      st.pointee.trap = .none
      restoreInstance(saved, st)
      if trapCode == .exception { throw takeException(backtrace: backtrace) }
      if trapCode == .hostTrap, var error = pendingHostError as? Trap {
        pendingHostError = nil
        error.backtrace += backtrace
        throw error
      }
      if trapCode == .hostTrap { throw takeHostError() }
      throw Trap(trapCode, backtrace: backtrace)
    }
    restoreInstance(saved, st)
  }

  /// The exception that left the Wasm code: the host's own `WasmException` when a host function threw it, with
  /// the backtrace of the frames it crossed added.
  private func takeException(backtrace: [String]) -> WasmException {
    let reference = state.pointee.pendingException
    state.pointee.pendingException = 0
    let thrownByHost = (pendingHostError as? WasmException).flatMap { (try? $0.reference()) == reference ? $0 : nil }
    pendingHostError = nil
    let exception = thrownByHost ?? WasmException(store: self, reference: reference)
    exception.backtrace += backtrace
    return exception
  }

  private func takeHostError() -> Error {
    let error = pendingHostError ?? Trap(.hostTrap)
    pendingHostError = nil
    return error
  }

  /// Calls a host function; its arguments are at `args`, results go there too. `caller`: the frame and resume
  /// point of the Wasm code that called it, when it did and stays (not a tail call). The call gets a frame of its
  /// own, by which a collection finds its arguments and its caller's frame (GC/StackRoots.swift).
  func callHostFunction(_ entry: UnsafeMutablePointer<FunctionEntry>, args: Fp, state: St,
                        caller: (fp: Fp, resume: Pc)? = nil) -> TrapCode {
    let record = state.pointee.frameTop
    guard record < state.pointee.frameEnd else { return .callStackExhausted }
    record.initialize(to: CallFrame(returnPc: caller?.resume ?? state.pointee.haltPc, callerFp: caller?.fp ?? args,
                                    callerInstance: state.pointee.instance, function: entry))
    hostArguments[record - frameStart] = args
    state.pointee.frameTop = record + 1
    defer { state.pointee.frameTop = record }
    let body = hostFunctions[entry.pointee.hostIndex].body
    let savedTop = hostStackTop
    hostStackTop = args + max(entry.pointee.paramCount, entry.pointee.resultCount)
    defer { hostStackTop = savedTop }
    let caller = Caller(store: self, context: state.pointee.instance)
    do {
      try body(caller, args)
      return .none
    } catch let exception as WasmException where exception.tag.store === self {
      // Thrown into the calling Wasm code, which may catch it; the error stays for a caller that is the host.
      guard let reference = try? exception.reference() else {
        pendingHostError = EmbeddingError("exception payload of another store")
        return .hostTrap
      }
      state.pointee.pendingException = reference
      pendingHostError = exception
      return .exception
    } catch {
      pendingHostError = error
      return .hostTrap
    }
  }
}

struct HostFunctionRecord {
  var type: FuncType
  var body: (Caller, UnsafeMutablePointer<UInt64>) throws -> Void
}

/// What a host function knows of its caller: the store, the calling instance, its exports and its memories.
public struct Caller {
  /// The store of the host function being called (and of its caller).
  public let store: Store
  let context: UnsafeMutablePointer<InstanceContext>

  /// The calling instance; nil when the host called the function itself, or when the embedder no longer holds
  /// the instance.
  public var instance: Instance? {
    let index = context.pointee.index
    return index >= 0 && index < store.instances.count ? store.instances[index].instance : nil
  }

  /// An export of the calling instance by name (`caller.export("memory")`, a function to call back), nil if it
  /// has none of that name.
  public func export(_ name: String) -> ExternalValue? { instance?.export(name) }

  /// The calling instance's memory 0, nil if it has none.
  public var memory: Memory? { memory(at: 0) }

  /// The calling instance's memory `index` (imported memories first, as the module numbers them), nil if it has
  /// no such memory.
  public func memory(at index: Int) -> Memory? {
    guard index >= 0, index < context.pointee.memoryCount else { return nil }
    return Memory(store: store, storage: context.pointee.memories[index])
  }
}

/// A store's weak reference to one of its instances (the embedder owns instances; the store must not keep them).
final class InstanceReference {
  weak var instance: Instance?
  init(_ instance: Instance) { self.instance = instance }
}

/// What the store knows of each function, for backtraces and lazily loaded code: plain numbers (an instance's
/// thousand functions are registered without reference counting each), pointing into `functionOrigins`.
struct FunctionInfo {
  /// Index of its origin in the store's `functionOrigins`.
  var origin: Int32
  /// Its index in its module's function index space (0 for a host function).
  var index: UInt32
  /// Its code still waits in its origin's `lazyCode` source (a cached or precompiled module's function not
  /// called yet).
  var codePending = false
}

/// Where functions came from: one host function, or one instance's defined functions.
struct FunctionOrigin {
  var names: FunctionNames
  /// For a cached or precompiled module: the source its functions' code is loaded from on first call, and the
  /// index (in the module's index space) of its first defined function.
  var lazyCode: (source: CompiledCodeSource, firstDefined: Int)? = nil
}

/// Functions' names for messages: given (a host function), or looked up in their module when first needed.
enum FunctionNames {
  case given(String)
  case inModule(ModuleFunctionNames)

  func name(of index: UInt32) -> String {
    switch self {
    case .given(let name): return name
    case .inModule(let names): return names.name(of: index)
    }
  }
}

/// Names of a module's functions (function index space): from its `name` section, else an export's name, else
/// `func[i]`. Looked up when a message first needs one, then kept (a backtrace names every frame). Holds the name
/// section and the function exports, not the module.
final class ModuleFunctionNames: @unchecked Sendable {
  private let nameSection: NameSection
  private let exports: [(index: UInt32, name: String)]
  private let found: Mutex<[String?]>

  init(_ module: Module, functionCount: Int) {
    nameSection = module.nameSection
    exports = module.exports.compactMap { $0.kind == .function ? ($0.index, $0.name) : nil }
    found = Mutex([String?](repeating: nil, count: functionCount))
  }

  func name(of index: UInt32) -> String {
    if let name = found.withLock({ Int(index) < $0.count ? $0[Int(index)] : nil }) { return name }
    let name = nameSection.map.functionNames[index] ?? exports.first { $0.index == index }?.name ?? "func[\(index)]"
    found.withLock { if Int(index) < $0.count { $0[Int(index)] = name } }
    return name
  }
}

/// Memory the store owns and frees when it goes away.
struct Ownership {
  var raw: [UnsafeMutableRawPointer] = []
  var memories: [UnsafeMutablePointer<MemoryStorage>] = []
  /// Shared memories this store made or imported: released by the last store using them.
  var sharedMemories: [SharedMemoryOwner] = []
  var tables: [UnsafeMutablePointer<TableStorage>] = []

  func release() {
    for p in raw { p.deallocate() }
    for m in memories {
      LinearMemory.release(m.pointee.base, reservation: m.pointee.reservedBytes)
      m.deallocate()
    }
    for t in tables { t.pointee.elements.deallocate() }
    for t in tables { t.deallocate() }
  }
}

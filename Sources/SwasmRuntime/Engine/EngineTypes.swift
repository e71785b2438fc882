import Atomics

/// The raw structures the interpreter works on. Everything here is reached through unsafe pointers owned by a
/// `Store`, so the hot path does no reference counting and no bounds-checked collection access.

typealias Pc = UnsafeMutablePointer<UInt64>
typealias Fp = UnsafeMutablePointer<UInt64>
typealias PPc = UnsafeMutablePointer<Pc>
typealias PFp = UnsafeMutablePointer<Fp>
typealias St = UnsafeMutablePointer<ExecState>
/// The current memory's base, carried from handler to handler (a copy of `ExecState.memBase`).
typealias PMem = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>>
/// The accumulator, carried from handler to handler: a number passed from an instruction straight to the next
/// (instructions with `_acc` in their names) without going through a frame slot.
typealias PAcc = UnsafeMutablePointer<UInt64>
/// The f64 accumulator, the same for f64 values (instructions with `_facc_` in their names).
typealias PFAcc = UnsafeMutablePointer<Double>

/// A linear memory. Its address is stable. `base` never moves for a 32-bit memory (its reservation covers every
/// address it can form); a 64-bit memory moves when it outgrows its reservation (see `LinearMemory`).
struct MemoryStorage {
  var base: UnsafeMutablePointer<UInt8>
  var byteCount: UInt64
  var maxPages: UInt64
  /// The maximum as declared (import matching needs to tell "none" from 65536).
  var declaredMax: UInt64?
  /// 64-bit addresses (memory64).
  var is64: Bool = false
  /// Shared between threads (the threads proposal): waits are allowed on it.
  var isShared: Bool = false
  /// The bytes of address space reserved at `base`.
  var reservedBytes: Int = LinearMemory.reservation
  /// For a shared memory, its owner (which owns this storage): what a store on another thread that imports the
  /// memory keeps alive. Set once, when the memory is made.
  var sharedOwner: Unmanaged<SharedMemoryOwner>? = nil
  var pageCount: UInt64 { byteCount / 65536 }
}

/// A table of references (0 is null; a funcref is the address of its FunctionEntry).
struct TableStorage {
  var elements: UnsafeMutablePointer<UInt64>
  var count: Int
  var capacity: Int
  /// The growth limit: the declared maximum, capped by the store's limit.
  var max: UInt64?
  /// The maximum as declared (import matching needs it).
  var declaredMax: UInt64?
  /// 64-bit indices (memory64).
  var is64: Bool = false
}

/// A passive segment as an instance sees it (`count` becomes 0 when dropped).
struct SegmentStorage {
  var bytes: UnsafeMutablePointer<UInt64>?  // element segments: resolved references
  var data: UnsafeMutablePointer<UInt8>?    // data segments: bytes
  var count: Int
}

/// One function of a store, wasm or host. Its address is its identity (and its funcref value).
struct FunctionEntry {
  // A call reads `code` and `frameSize`, call_indirect also `typeID` and `instance`: they come first, so that the
  // fields a call reads share one cache line (entries are 80 bytes: 16 bytes at the start never straddle a line).
  /// Bytecode in the store's dispatch form (opcode ids or handler addresses); nil for host functions.
  var code: Pc?
  /// Slots the frame uses (its prologue zeroes the locals and writes the constants).
  var frameSize: Int
  /// Canonical type id within the store; call_indirect compares these.
  var typeID: Int
  /// The instance whose globals, memory and tables the code uses; nil for host functions.
  var instance: UnsafeMutablePointer<InstanceContext>?
  var paramCount: Int
  var resultCount: Int
  /// Index into the store's host functions, or -1 for wasm code.
  var hostIndex: Int
  /// Index into the store's function descriptions (names for backtraces).
  var infoIndex: Int
  /// The function's exception handlers (the header of its `handler_table`, just before `code`), or nil: searched
  /// only when something is thrown (Exceptions/Unwinder.swift).
  var handlers: UnsafePointer<UInt64>? = nil
  /// Where its frames hold references a garbage collection must see (the header of its `stack_maps`, before
  /// `code`), or nil: none. Read only by collections (GC/StackRoots.swift).
  var stackMaps: UnsafePointer<UInt64>? = nil
}

/// What code of one instance reaches at run time: everything resolved to direct pointers at instantiation.
struct InstanceContext {
  /// Memory 0 (an empty one when the module has none): the one `ExecState.memBase` caches.
  var memory: UnsafeMutablePointer<MemoryStorage>
  /// Every memory by index, memory 0 included (multiple memories).
  var memories: UnsafeMutablePointer<UnsafeMutablePointer<MemoryStorage>>
  var memoryCount: Int
  /// This instance's place in its store's `instances` (what a host function's `Caller` finds it by); -1 for none.
  var index: Int = -1
  var functions: UnsafeMutablePointer<UnsafeMutablePointer<FunctionEntry>>
  /// The defined functions' entries (one block), moved back by the number of imported functions: the entry of
  /// defined function `index` (a function index, never an import's) is `localFunctions + index`, one load fewer
  /// than `functions[index]` for the calls within the module. Not to be read at an imported function's index.
  var localFunctions: UnsafeMutablePointer<FunctionEntry>
  var globals: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
  var tables: UnsafeMutablePointer<UnsafeMutablePointer<TableStorage>>
  var typeIDs: UnsafeMutablePointer<Int>
  var dataSegments: UnsafeMutablePointer<SegmentStorage>
  var elemSegments: UnsafeMutablePointer<SegmentStorage>
  /// The module's tags (imported first), by index: an exception's tag is the entry's address.
  var tags: UnsafeMutablePointer<UnsafeMutablePointer<TagEntry>>
  /// The run-time type of each type index that names a struct or array type (GC), nil for the others; nil when
  /// the module has none.
  var gcTypes: UnsafeMutablePointer<UnsafeMutablePointer<GCTypeInfo>?>? = nil
}

/// A call in progress: a Wasm function's frame, pushed by its caller (or by `Store.run` for the first of a run,
/// which returns to `haltPc`), or a host function's, pushed by `Store.callHostFunction` (its `returnPc` is its Wasm
/// caller's, or `haltPc` when the host called it, or when a tail call left the caller's frame).
struct CallFrame {
  var returnPc: Pc
  var callerFp: Fp
  var callerInstance: UnsafeMutablePointer<InstanceContext>
  /// The function this frame runs (for backtraces).
  var function: UnsafeMutablePointer<FunctionEntry>
}

/// Interpreter registers that live across handlers, passed to every handler.
struct ExecState {
  /// Fuel left, when the store's code meters fuel (see `StoreConfiguration.meterFuel`).
  var fuel: Int64
  /// Set while another thread's interruption has armed the store (`InterruptHandle`): tells the slow paths that
  /// stopped because of it from their own failures.
  var interrupt: UnsafeAtomic<Bool>
  /// Base of the current instance's memory 0, reloaded on calls, returns and growth. (Its size is read from the
  /// memory itself: another thread may grow a shared memory.)
  var memBase: UnsafeMutablePointer<UInt8>
  var instance: UnsafeMutablePointer<InstanceContext>
  /// `instance.pointee.localFunctions`, kept here so that a call within the module finds its callee's entry with
  /// one load from this state (set with `instance`, by `enterInstance` and `restoreInstance`).
  var localFunctions: UnsafeMutablePointer<FunctionEntry>
  /// `instance.pointee.tables`, kept here for call_indirect likewise.
  var tables: UnsafeMutablePointer<UnsafeMutablePointer<TableStorage>>
  /// Next free call frame, and the end of the frame stack.
  var frameTop: UnsafeMutablePointer<CallFrame>
  var frameEnd: UnsafeMutablePointer<CallFrame>
  var stackStart: UnsafeMutablePointer<UInt64>
  var stackEnd: UnsafeMutablePointer<UInt64>
  /// A one-slot program holding `halt`, where traps and the outermost return go.
  var haltPc: Pc
  /// The header word of `init_consts` in the store's dispatch form: a call runs a callee's constant prologue
  /// itself (one dispatch fewer per call).
  var initConstsHeader: UInt64
  var trap: TrapCode
  /// The exception leaving the Wasm code with `TrapCode.exception`, or thrown by a host function into it (an
  /// exception object's address; 0: none).
  var pendingException: UInt64 = 0
  /// The header word of `handler_table` in the store's dispatch form: code starting with it has handlers.
  var handlerTableHeader: UInt64 = 0
  /// The store, for the slow paths (host calls, growth). Unowned: the store owns this state.
  var store: Unmanaged<Store>?
}

extension UnsafeMutablePointer where Pointee == UInt64 {
  // Frame-slot access by value type. i32 and f32 values are kept zero-extended in their 64-bit slot.
  @inline(__always) func i32(_ r: Int) -> UInt32 { UInt32(truncatingIfNeeded: self[r]) }
  @inline(__always) func i64(_ r: Int) -> UInt64 { self[r] }
  @inline(__always) func f32(_ r: Int) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: self[r])) }
  @inline(__always) func f64(_ r: Int) -> Double { Double(bitPattern: self[r]) }
  @inline(__always) func setI32(_ r: Int, _ v: UInt32) { self[r] = UInt64(v) }
  @inline(__always) func setI64(_ r: Int, _ v: UInt64) { self[r] = v }
  /// Integer results also go to the accumulator, for an `_acc_` form of the next instruction to read.
  @inline(__always) func setI32(_ r: Int, acc: PAcc, _ v: UInt32) {
    self[r] = UInt64(v)
    acc.pointee = UInt64(v)
  }
  @inline(__always) func setI64(_ r: Int, acc: PAcc, _ v: UInt64) {
    self[r] = v
    acc.pointee = v
  }
  /// A pinned local's destination form (tools/isa/pinned.py) writes it through: the slot, and the register `l0`.
  @inline(__always) func setI32(_ r: Int, acc: PAcc, l0: PAcc, _ v: UInt32) {
    self[r] = UInt64(v)
    acc.pointee = UInt64(v)
    l0.pointee = UInt64(v)
  }
  @inline(__always) func setI64(_ r: Int, acc: PAcc, l0: PAcc, _ v: UInt64) {
    self[r] = v
    acc.pointee = v
    l0.pointee = v
  }
  @inline(__always) func setF32(_ r: Int, _ v: Float) { self[r] = UInt64(v.bitPattern) }
  @inline(__always) func setF64(_ r: Int, _ v: Double) { self[r] = v.bitPattern }
  @inline(__always) func setF64(_ r: Int, facc: PFAcc, _ v: Double) {
    self[r] = v.bitPattern
    facc.pointee = v
  }
}

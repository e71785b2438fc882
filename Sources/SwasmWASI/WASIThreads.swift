#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Swasm
import SwasmRuntime
import Synchronization
import WasmBinary

/// wasi-threads: the `wasi` module's `thread-spawn`, for programs built for `wasm32-wasip1-threads`.
///
/// Such a program imports a shared memory and `thread-spawn(start_arg) -> tid`, and exports
/// `wasi_thread_start(tid, start_arg)`. Each spawned thread gets what wasmtime gives it: a store of its own on a
/// host thread of its own, holding a new instance of the same module that imports the same shared memory (and
/// nothing else is shared: globals, tables and the instance's other state are the thread's own), with the same
/// WASI state (arguments, environment, open files). The thread runs `wasi_thread_start` and ends when it returns.
///
/// A thread that calls `proc_exit`, traps or throws an uncaught exception ends the whole program: the handler given
/// to `init` is called once, on that thread (the default ends the process, as wasmtime does). A trap in the main
/// thread reaches its caller as usual; ending the other threads then is the embedder's part (the CLI exits).
///
/// The stores stay single-threaded: each is used only by the thread it was made for. What crosses threads is the
/// shared memory (see `Memory`) and the WASI state, whose descriptor table and in-memory streams take a lock.
///
/// The stores' `thread-spawn` functions keep this object alive (it holds no store). Each thread's store has its
/// own fuel, starting from what the spawning thread had left.
public final class WASIThreads: @unchecked Sendable {
  /// How a thread ended the program.
  public enum Ending {
    /// It called `proc_exit` with this status.
    case exit(Int32)
    /// It trapped, threw an uncaught exception (`WasmException`) or failed otherwise.
    case failure(Error)
  }

  /// The program's WASI state, shared by all its threads.
  public let wasi: WASI
  /// The program, instantiated once more for each thread.
  public let module: PreparedModule
  let memoryImport: (module: String, name: String, type: MemoryType)
  /// The shared memory's index in the module's memory index space (among its imported memories).
  let memoryIndex: Int
  let dispatch: DispatchMode
  let limits: StoreLimits
  let defineOtherImports: ((inout Linker) throws -> Void)?
  let programEnded: (Ending) -> Void
  /// The last thread id given, and whether a thread has ended the program.
  private let state = Mutex((lastID: Int32(0), ended: false))
  /// The interrupt handles of the spawned threads' stores (weakly: a thread's store goes when the thread ends).
  private let threadHandles = Mutex([WeakInterruptHandle]())

  /// Thread ids run from 1 to this (the wasi-threads proposal reserves the top bits).
  static let maxThreadID: Int32 = 0x1FFF_FFFF

  /// Threads for `module`, whose first instance (the main thread's) is made in `store` (whose dispatch and limits
  /// every thread's store gets). `defineOtherImports` defines, in each thread's linker, the imports that are neither WASI,
  /// `thread-spawn` nor the memory. `programEnded` is called once, on the thread that ends the program (the
  /// default reports a failure on stderr and ends the process: status 134 after a trap, the `proc_exit` status).
  /// Throws `WASIError` when the module imports no shared memory.
  public init(wasi: WASI, module: PreparedModule, store: Store,
              defineOtherImports: ((inout Linker) throws -> Void)? = nil,
              programEnded: @escaping (Ending) -> Void = WASIThreads.endProcess) throws {
    let memories = module.module.imports.compactMap { imp -> (String, String, MemoryType)? in
      guard case .memory(let type) = imp.descriptor else { return nil }
      return (imp.module, imp.name, type)
    }
    guard let index = memories.firstIndex(where: { $0.2.isShared }) else {
      throw WASIError("a wasi-threads program imports a shared memory; this module imports none")
    }
    self.wasi = wasi
    self.module = module
    self.memoryImport = memories[index]
    self.memoryIndex = index
    self.dispatch = store.dispatch
    self.limits = store.limits
    self.defineOtherImports = defineOtherImports
    self.programEnded = programEnded
  }

  /// The wasi-threads module name (`thread-spawn` is imported from it).
  public static let moduleName = "wasi"

  /// Makes the program's shared memory (as its import asks) in `linker`'s store (the one given to `init`), and
  /// defines it and `wasi.thread-spawn` there; returns the memory. The WASI functions are defined separately:
  /// `wasi.define(in: &linker)`.
  @discardableResult
  public func define(in linker: inout Linker) throws -> Memory {
    let memory = try linker.store.createMemory(type: memoryImport.type)
    define(memory, store: linker.store) { linker.define($0, $1, $2) }
    return memory
  }

  /// `define(in:)` for `Imports`: makes the shared memory in `store` and defines it and `wasi.thread-spawn`.
  @discardableResult
  public func define(in imports: inout Imports, store: Store) throws -> Memory {
    let memory = try store.createMemory(type: memoryImport.type)
    define(memory, store: store) { imports.define(module: $0, name: $1, $2) }
    return memory
  }

  /// Hands `define` the shared memory under the module's import name, and `thread-spawn` made in `store`; a new
  /// thread imports the memory its spawner has (the same shared memory).
  func define(_ memory: Memory, store: Store, _ define: (String, String, ExternalValue) -> Void) {
    define(memoryImport.module, memoryImport.name, .memory(memory))
    let spawn = store.rawHostFunction(type: FuncType(params: [.i32], results: [.i32]), name: "wasi:thread-spawn") {
      caller, slots in
      let id = caller.memory(at: self.memoryIndex).map {
        self.spawn(startArgument: UInt32(truncatingIfNeeded: slots[0]), memory: $0, fuel: caller.store.fuel)
      }
      slots[0] = UInt64(UInt32(bitPattern: id ?? -1))
    }
    define(Self.moduleName, "thread-spawn", .function(spawn))
  }

  /// Makes a thread's store and instance here, then starts its host thread: its id, or -1 when the thread
  /// cannot be made (ids exhausted, instantiation failed, no host thread).
  func spawn(startArgument: UInt32, memory: Memory, fuel: Int64) -> Int32 {
    let id: Int32? = state.withLock { state in
      guard state.lastID < Self.maxThreadID else { return nil }
      state.lastID += 1
      return state.lastID
    }
    guard let id, let (start, handle) = try? instantiateForThread(memory: memory, fuel: fuel) else { return -1 }
    threadHandles.withLock { handles in
      handles.removeAll { $0.handle == nil }
      handles.append(WeakInterruptHandle(handle: handle))
    }
    let thread = SpawnedThread(threads: self, start: start, id: id, startArgument: startArgument)
    return thread.run() ? id : -1
  }

  /// Interrupts every spawned thread's running call (`InterruptHandle.interrupt()`); each stops with
  /// `TrapCode.interrupted` at its next loop iteration, call, throw or within 20 ms of a wait, which ends the
  /// program (`programEnded`). The main thread's store is the embedder's: interrupt it through its own handle.
  public func interruptAllThreads() {
    for handle in threadHandles.withLock({ $0.compactMap(\.handle) }) { handle.interrupt() }
  }

  /// A new store and instance of the module, whose `wasi_thread_start` the new thread calls.
  func instantiateForThread(memory: Memory, fuel: Int64) throws -> (Function, InterruptHandle) {
    let store = Store(dispatch: dispatch, limits: limits)
    if limits.meterFuel { store.fuel = fuel }
    var linker = Linker(store: store)
    wasi.define(in: &linker)
    define(memory, store: store) { linker.define($0, $1, $2) }
    try defineOtherImports?(&linker)
    let instance = try linker.instantiate(module)
    guard let start = instance.function("wasi_thread_start"),
          start.type == FuncType(params: [.i32, .i32], results: []) else {
      throw WASIError("a wasi-threads program exports wasi_thread_start(i32, i32); this module does not")
    }
    return (start, store.interruptHandle)
  }

  /// A spawned thread ended the program: hands `ending` to `programEnded`, the first time only.
  func end(_ ending: Ending) {
    let first = state.withLock { state in
      defer { state.ended = true }
      return !state.ended
    }
    if first { programEnded(ending) }
  }

  /// The default `programEnded`: reports a failure on stderr and ends the process with status 134, or with the
  /// `proc_exit` status.
  public static func endProcess(_ ending: Ending) {
    switch ending {
    case .exit(let code):
      exit(code)
    case .failure(let error):
      let message = "swasm: a thread ended the program: \(error)\n"
      _ = message.withCString { write(2, $0, strlen($0)) }
      exit(134)
    }
  }
}

/// One spawned thread: its host thread runs `wasi_thread_start(id, startArgument)` in the thread's own store.
private final class SpawnedThread {
  let threads: WASIThreads
  let start: Function
  let id: Int32
  let startArgument: UInt32

  init(threads: WASIThreads, start: Function, id: Int32, startArgument: UInt32) {
    self.threads = threads
    self.start = start
    self.id = id
    self.startArgument = startArgument
  }

  /// Host threads get this much stack: the interpreter keeps Wasm frames on the store's own stack, so this is for
  /// host functions and the calls they make back into the guest.
  static let hostStackBytes = 8 << 20

  /// Starts the host thread (detached); false when the system refuses one.
  func run() -> Bool {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, Self.hostStackBytes)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let context = Unmanaged.passRetained(self).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(&thread, &attributes, { context in
      Unmanaged<SpawnedThread>.fromOpaque(context!).takeRetainedValue().body()
      return nil
    }, context)
    if created != 0 { Unmanaged<SpawnedThread>.fromOpaque(context).release() }
    return created == 0
  }

  private func body() {
    do {
      _ = try start.invoke([.i32(UInt32(bitPattern: id)), .i32(startArgument)])
    } catch let exit as WASIExit {
      threads.end(.exit(exit.code))
    } catch {
      threads.end(.failure(error))
    }
  }
}

/// A spawned thread's interrupt handle, held weakly.
private struct WeakInterruptHandle {
  weak var handle: InterruptHandle?
}

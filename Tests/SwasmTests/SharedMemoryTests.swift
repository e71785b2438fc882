import Foundation
import Swasm
import SwasmTestSupport
import SwasmWASI
import XCTest

/// A shared memory used by several stores, each on a thread of its own (modules/shared-memory.wat), and a
/// wasi-threads program run through the embedding API.
final class SharedMemoryTests: XCTestCase {
  static let modules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("modules")
  let engine = Engine()

  var module: PreparedModule {
    get throws { try engine.loadModule(contentsOf: Self.modules.appendingPathComponent("shared-memory.wasm")) }
  }

  static let sharedType = MemoryType(limits: Limits(min: 1, max: 4), isShared: true)

  /// A store of its own with an instance importing `memory`.
  func instance(importing memory: Memory) throws -> Instance {
    var linker = Linker(store: engine.makeStore())
    linker.define("env", "memory", .memory(memory))
    return try linker.instantiate(try module)
  }

  func call(_ instance: Instance, _ name: String, _ args: [Value] = []) throws -> UInt32 {
    guard case .i32(let v)? = try instance.function(name)!.invoke(args).first else { return UInt32.max }
    return v
  }

  /// Runs `body(i)` on `count` threads at once and waits for them all.
  func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) {
    let group = DispatchGroup()
    let failures = Failures()
    for i in 0..<count {
      let thread = Thread {
        do { try body(i) } catch { failures.add("\(error)") }
        group.leave()
      }
      group.enter()
      thread.start()
    }
    group.wait()
    XCTAssertEqual(failures.all, [])
  }

  final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ failure: String) { lock.withLock { list.append(failure) } }
    var all: [String] { lock.withLock { list } }
  }

  func testStoresOnFourThreadsCountInOneMemory() throws {
    let memory = try engine.makeStore().createMemory(type: Self.sharedType)
    nonisolated(unsafe) let memory1 = memory
    onThreads(4) { _ in
      let instance = try self.instance(importing: memory1)
      _ = try instance.function("count")!.invoke([.i32(16), .i32(50_000)])
    }
    let reader = try instance(importing: memory)
    XCTAssertEqual(try call(reader, "load", [.i32(16)]), 200_000)
    XCTAssertEqual(memory.read(at: 16, count: 4), [0x40, 0x0D, 0x03, 0x00], "200,000 little-endian, seen by the host")
  }

  /// Three threads wait on one address; notifications from another store wake exactly as many as they count.
  func testWaitsInOneStoreAreWokenByNotifiesFromAnother() throws {
    let memory = try engine.makeStore().createMemory(type: Self.sharedType)
    nonisolated(unsafe) let memory1 = memory
    let notifier = try instance(importing: memory)
    let results = Failures()
    let waiters = Thread {
      self.onThreads(3) { _ in
        let instance = try self.instance(importing: memory1)
        results.add("\(try self.call(instance, "wait", [.i32(8), .i32(0), .i64(20_000_000_000)]))")
      }
    }
    waiters.start()
    var woken: UInt32 = 0
    let deadline = Date().addingTimeInterval(20)
    while woken < 3 && Date() < deadline {
      let n = try call(notifier, "notify", [.i32(8), .i32(1)])
      XCTAssertLessThanOrEqual(n, 1, "a notify of 1 wakes at most one")
      woken += n
    }
    XCTAssertEqual(woken, 3)
    while results.all.count < 3 && Date() < deadline { usleep(1000) }
    XCTAssertEqual(results.all, ["0", "0", "0"], "each woken by a notify, none timed out")
    XCTAssertEqual(try call(notifier, "notify", [.i32(8), .i32(10)]), 0, "nobody left waiting")
  }

  /// A wait without end is stopped by an interruption of its store (waits look at it every 20 ms).
  func testAnInterruptionStopsAWait() throws {
    let memory = try engine.makeStore().createMemory(type: Self.sharedType)
    var linker = Linker(store: engine.makeStore())
    linker.define("env", "memory", .memory(memory))
    let waiter = try linker.instantiate(try module)
    linker.store.interruptHandle.interrupt(after: .milliseconds(50))
    XCTAssertThrowsError(try waiter.function("wait")!.invoke([.i32(0), .i32(0), .i64(UInt64.max)])) { error in
      XCTAssertEqual((error as? Trap)?.code, .interrupted, "\(error)")
    }
    XCTAssertEqual(try call(waiter, "wait", [.i32(0), .i32(0), .i64(1_000_000)]), 2, "the next wait times out as usual")
  }

  func testGrowthInOneStoreIsSeenByTheOthers() throws {
    let memory = try engine.makeStore().createMemory(type: Self.sharedType)
    let a = try instance(importing: memory)
    let b = try instance(importing: memory)
    XCTAssertEqual(try call(a, "grow", [.i32(2)]), 1)
    XCTAssertEqual(try call(b, "size"), 3)
    XCTAssertEqual(memory.pageCount, 3)
    _ = try b.function("store")!.invoke([.i32(3 * 65536 - 4), .i32(77)])
    XCTAssertEqual(try call(a, "load", [.i32(3 * 65536 - 4)]), 77)
    XCTAssertEqual(try call(b, "grow", [.i32(2)]), UInt32.max, "past the maximum of 4 pages")
    XCTAssertThrowsError(try a.function("load")!.invoke([.i32(3 * 65536)]), "out of bounds in every store")
  }

  func testTheMemoryOutlivesTheStoreThatMadeIt() throws {
    var user: Instance?
    do {
      let maker = engine.makeStore()
      let memory = try maker.createMemory(type: Self.sharedType)
      XCTAssertTrue(memory.write([5, 0, 0, 0], at: 32))
      user = try instance(importing: memory)
    }
    XCTAssertEqual(try call(user!, "load", [.i32(32)]), 5)
    _ = try user!.function("count")!.invoke([.i32(32), .i32(10)])
    XCTAssertEqual(try call(user!, "load", [.i32(32)]), 15)
  }

  func testOnlySharedMemoriesCrossStores() throws {
    let other = engine.makeStore()
    let unshared = try other.createMemory(type: MemoryType(limits: Limits(min: 1, max: 4)))
    XCTAssertThrowsError(try instance(importing: unshared)) { error in
      XCTAssertTrue("\(error)".contains("incompatible import type: memory env.memory"), "\(error)")
    }
  }

  /// guests/threads.c of the WASI tests, run by an embedder with its output in memory.
  func testAWASIThreadsProgramThroughTheEmbeddingAPI() throws {
    let guests = packageRoot.appendingPathComponent("Tests/WASITests/guests")
    let expected = try String(contentsOf: guests.appendingPathComponent("threads.expected"), encoding: .utf8)
    let program = try engine.loadModule(contentsOf: guests.appendingPathComponent("threads.wasm"))
    let output = WASIOutputBuffer()
    let wasi = try WASI(arguments: ["threads"], standardInput: .bytes([]), standardOutput: .buffer(output),
                        standardError: .buffer(WASIOutputBuffer()))
    var linker = Linker(store: engine.makeStore())
    wasi.define(in: &linker)
    let threads = try WASIThreads(wasi: wasi, module: program, store: linker.store,
                                  programEnded: { ending in XCTFail("a thread ended the program: \(ending)") })
    XCTAssertTrue(try threads.define(in: &linker).type.isShared)
    XCTAssertEqual(try wasi.start(try linker.instantiate(program)), 0)
    XCTAssertEqual(output.string, expected)
  }

  /// Every thread of the program waits forever (guests/threads.c `hang`): interrupting the spawned threads and
  /// the main one stops them all; the first thread stopped ends the program through `programEnded`.
  func testInterruptingEveryThreadOfAProgram() throws {
    let guests = packageRoot.appendingPathComponent("Tests/WASITests/guests")
    let program = try engine.loadModule(contentsOf: guests.appendingPathComponent("threads.wasm"))
    let wasi = try WASI(arguments: ["threads", "hang"], standardInput: .bytes([]), standardOutput: .buffer(WASIOutputBuffer()),
                        standardError: .buffer(WASIOutputBuffer()))
    final class Outcomes: @unchecked Sendable {
      let lock = NSLock()
      var endings: [String] = []
      var main: String?
      let done = DispatchSemaphore(value: 0)
    }
    let outcomes = Outcomes()
    var linker = Linker(store: engine.makeStore())
    wasi.define(in: &linker)
    let threads = try WASIThreads(wasi: wasi, module: program, store: linker.store, programEnded: { ending in
      outcomes.lock.withLock { outcomes.endings.append("\(ending)") }
    })
    try threads.define(in: &linker)
    let instance = try linker.instantiate(program)
    let mainHandle = linker.store.interruptHandle
    nonisolated(unsafe) let run = (wasi, instance)
    Thread {
      do { _ = try run.0.start(run.1) } catch { outcomes.lock.withLock { outcomes.main = "\(error)" } }
      outcomes.done.signal()
    }.start()
    // Until everything has stopped (the threads may not all be spawned at the first try).
    let deadline = Date().addingTimeInterval(20)
    repeat {
      usleep(50_000)
      threads.interruptAllThreads()
      mainHandle.interrupt()
    } while outcomes.lock.withLock({ outcomes.main == nil || outcomes.endings.isEmpty }) && Date() < deadline
    XCTAssertEqual(outcomes.done.wait(timeout: .now() + 1), .success, "the main thread stopped")
    outcomes.lock.withLock {
      XCTAssertTrue(outcomes.main?.contains("interrupted") == true, "\(outcomes.main ?? "nothing")")
      XCTAssertEqual(outcomes.endings.count, 1, "programEnded once")
      XCTAssertTrue(outcomes.endings.first?.contains("interrupted") == true, "\(outcomes.endings)")
    }
  }

  func testWASIThreadsNeedsASharedMemoryImport() throws {
    let wasi = try WASI(arguments: [], standardInput: .bytes([]), standardOutput: .buffer(WASIOutputBuffer()),
                        standardError: .buffer(WASIOutputBuffer()))
    let hello = try engine.loadModule(contentsOf: Self.modules.appendingPathComponent("wasi-hello.wasm"))
    XCTAssertThrowsError(try WASIThreads(wasi: wasi, module: hello, store: engine.makeStore())) { error in
      XCTAssertTrue("\(error)".contains("imports a shared memory"), "\(error)")
    }
  }
}

import Foundation
import Swasm
import XCTest

final class EmbeddingTests: XCTestCase {
  static let modules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("modules")

  final class Log: @unchecked Sendable { var lines: [String] = [] }

  /// Instantiates api.wasm with its four host functions.
  func instantiate(_ engine: Engine = Engine(), log: Log = Log()) throws -> (Store, Instance) {
    let module = try engine.loadModule(contentsOf: Self.modules.appendingPathComponent("api.wasm"))
    let store = engine.makeStore()
    var linker = Linker(store: store)
    linker.define("env", "log") { (caller: Caller, pointer: Int32, count: Int32) in
      log.lines.append(caller.memory?.string(at: Int(pointer), count: Int(count)) ?? "<no memory>")
    }
    linker.define("env", "add") { (_: Caller, a: Int32, b: Int32) -> Int32 in a &+ b }
    linker.define("env", "fail") { (_: Caller, code: Int32) in
      throw Trap(.hostTrap, message: "plugin failed with \(code)")
    }
    var instanceBox: Instance?
    linker.define("env", "callback") { (_: Caller, x: Int32) -> Int32 in
      let double = try instanceBox!.function("double")!.typed(Int32.self, returning: Int32.self)
      return try double(x) + 1
    }
    let instance = try linker.instantiate(module)
    instanceBox = instance
    return (store, instance)
  }

  func testTypedCallsGlobalsAndMemory() throws {
    let (_, instance) = try instantiate()
    let add = try instance.function("add")!.typed(Int32.self, Int32.self, returning: Int32.self)
    XCTAssertEqual(try add(40, 2), 42)
    XCTAssertEqual(try add(Int32.max, 1), Int32.min)
    let scale = try instance.function("scale")!.typed(Double.self, Float.self, returning: Double.self)
    XCTAssertEqual(try scale(1.5, 4), 6)
    XCTAssertThrowsError(try instance.function("add")!.typed(Int64.self, returning: Int32.self)) { error in
      XCTAssertTrue("\(error)".contains("signature mismatch"))
    }
    // Written inline with literal arguments (one parameter: the form Swift's type checker once failed on).
    XCTAssertEqual(try instance.function("double")!.typed(Int32.self, returning: Int32.self)(21), 42)
    XCTAssertEqual(try instance.function("add")!.typed(Int32.self, Int32.self, returning: Int32.self)(1, 2), 3)
    XCTAssertThrowsError(try instance.function("fail_with")!.typed(Int32.self)(7)) { XCTAssertTrue("\($0)".contains("failed with 7")) }
    // Untyped calls check their arguments too.
    XCTAssertThrowsError(try instance.function("add")!.invoke([.i32(1)]))

    guard case .global(let counter) = instance.export("counter"), case .global(let limit) = instance.export("limit")
    else { return XCTFail("missing globals") }
    let bump = try instance.function("bump")!.typed()
    try bump()
    XCTAssertEqual(counter.value, .i32(8))
    try counter.set(.i32(100))
    try bump()
    XCTAssertEqual(counter.value, .i32(101))
    XCTAssertThrowsError(try limit.set(.i64(1)))  // immutable

    guard case .memory(let memory) = instance.export("memory") else { return XCTFail("no memory") }
    XCTAssertEqual(memory.string(at: 16, count: 15), "hello from wasm")
    XCTAssertTrue(memory.write(Array("HELLO".utf8), at: 16))
    XCTAssertEqual(memory.string(at: 16, count: 5), "HELLO")
    XCTAssertNil(memory.read(at: 65535, count: 2))
    XCTAssertEqual(memory.grow(by: 1), 1)
    XCTAssertEqual(memory.pageCount, 2)
    XCTAssertNil(memory.grow(by: 10))  // declared maximum is 4

    guard case .table(let table) = instance.export("table") else { return XCTFail("no table") }
    XCTAssertEqual(try table.grow(by: 3, filling: .funcref(nil)), 2)
    XCTAssertEqual(table.size, 5)
    XCTAssertNil(try table.grow(by: 100, filling: .funcref(nil)))
  }

  func testHostFunctionsReadMemoryTrapAndReenter() throws {
    let log = Log()
    let (store, instance) = try instantiate(log: log)
    try instance.function("greet")!.typed()()
    XCTAssertEqual(log.lines, ["hello from wasm"])
    let sum = try instance.function("sum_via_host")!.typed(Int32.self, Int32.self, returning: Int32.self)
    XCTAssertEqual(try sum(2, 3), 5)
    let reenter = try instance.function("reenter")!.typed(Int32.self, returning: Int32.self)
    XCTAssertEqual(try reenter(20), 41)  // guest -> host -> guest -> host returns

    let failing = try instance.function("fail_with")!.typed(Int32.self)
    XCTAssertThrowsError(try failing(7)) { error in
      let trap = error as? Trap
      XCTAssertEqual(trap?.message, "plugin failed with 7")
      XCTAssertEqual(trap?.backtrace, ["fail_with"])
    }
    XCTAssertEqual(try sum(1, 1), 2)  // the store is still usable
    _ = store
  }

  func testLimitsStopGuestsCleanly() throws {
    var limits = StoreLimits(maxCallDepth: 500, maxMemoryPages: 2, meterFuel: true)
    limits.stackSlots = 1 << 16
    let engine = Engine(configuration: EngineConfiguration(limits: limits))
    let (store, instance) = try instantiate(engine)

    // Memory growth stops at the store's limit (2 pages), as a failed memory.grow.
    let grow = try instance.function("grow")!.typed(Int32.self, returning: Int32.self)
    XCTAssertEqual(try grow(1), 1)
    XCTAssertEqual(try grow(1), -1)
    // A module declaring more memory than allowed does not instantiate.
    let big = try engine.loadModule(contentsOf: Self.modules.appendingPathComponent("big-memory.wasm"))
    XCTAssertThrowsError(try store.instantiate(big)) { XCTAssertTrue("\($0)".contains("exceeds the store's limit")) }

    // Call depth.
    let recurse = try instance.function("recurse")!.typed(Int32.self, returning: Int32.self)
    XCTAssertThrowsError(try recurse(0)) { XCTAssertEqual(($0 as? Trap)?.code, .callStackExhausted) }

    // Fuel: an endless loop runs out; the amount is readable and can be refilled.
    store.fuel = 10_000
    let spin = try instance.function("spin")!.typed()
    XCTAssertThrowsError(try spin()) { XCTAssertEqual(($0 as? Trap)?.code, .outOfFuel) }
    XCTAssertEqual(store.fuel, 0)
    store.fuel = 1_000_000
    let count = try instance.function("count")!.typed(Int32.self, returning: Int32.self)
    XCTAssertEqual(try count(1000), 1000)
    let used = 1_000_000 - store.fuel
    XCTAssertGreaterThan(used, 1000)
    XCTAssertLessThan(used, 20_000)
  }

  /// The embedder decides each memory growth, from the guest's memory.grow and from the API alike; a store
  /// carries the embedder's own data to its host functions.
  func testMemoryGrowthLimiterAndUserData() throws {
    let (store, instance) = try instantiate()
    var asked: [(Int, Int)] = []
    store.memoryGrowthLimiter = { _, current, requested in
      asked.append((current, requested))
      return requested <= 2 * 65536
    }
    let grow = try instance.function("grow")!.typed(Int32.self, returning: Int32.self)
    XCTAssertEqual(try grow(1), 1)
    XCTAssertEqual(try grow(1), -1, "3 pages: refused by the limiter (the maximum is 4)")
    guard case .memory(let memory) = instance.export("memory") else { return XCTFail("no memory") }
    XCTAssertNil(memory.grow(by: 1))
    XCTAssertEqual(asked.map(\.0), [65536, 131_072, 131_072])
    XCTAssertEqual(asked.map(\.1), [131_072, 196_608, 196_608])
    store.memoryGrowthLimiter = nil
    XCTAssertEqual(memory.grow(by: 1), 2)

    store.userData = "plugin 7"
    let peek = store.hostFunction { (caller: Caller) -> Int32 in caller.store.userData as? String == "plugin 7" ? 1 : 0 }
    XCTAssertEqual(try peek.invoke([]), [.i32(1)])
  }

  func testInterruptFromAnotherThread() throws {
    let engine = Engine(configuration: EngineConfiguration(limits: StoreLimits(meterFuel: true)))
    let (store, instance) = try instantiate(engine)
    let handle = store.interruptHandle
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { handle.interrupt() }
    let spin = try instance.function("spin")!.typed()
    XCTAssertThrowsError(try spin()) { XCTAssertEqual(($0 as? Trap)?.code, .interrupted) }
    // The interruption is consumed: the store runs again.
    let add = try instance.function("add")!.typed(Int32.self, Int32.self, returning: Int32.self)
    XCTAssertEqual(try add(1, 2), 3)
  }

  /// A deadline stops the call running when it expires, and only that: one that expires while nothing runs leaves
  /// the next call alone. A handle can be armed again after each.
  func testDeadlines() throws {
    let engine = Engine(configuration: EngineConfiguration(limits: StoreLimits(meterFuel: true)))
    let (store, instance) = try instantiate(engine)
    let spin = try instance.function("spin")!.typed()
    let add = try instance.function("add")!.typed(Int32.self, Int32.self, returning: Int32.self)
    for _ in 0..<2 {
      store.interruptHandle.interrupt(after: .milliseconds(50))
      let started = ContinuousClock.now
      XCTAssertThrowsError(try spin()) { XCTAssertEqual(($0 as? Trap)?.code, .interrupted) }
      XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(50))
    }
    store.interruptHandle.interrupt(after: .milliseconds(10))
    XCTAssertEqual(try add(1, 2), 3)
    usleep(50_000)  // the deadline passes while nothing runs
    XCTAssertEqual(try add(2, 2), 4, "a deadline that expired between calls stops nothing")
  }

  /// A table made by the embedder holds only references of its element type, of this store.
  func testCreatedTablesCheckTheirInitialValue() throws {
    let store = Store()
    let funcrefs = TableType(elementType: .funcref, limits: Limits(min: 2, max: 4))
    XCTAssertNoThrow(try store.createTable(type: funcrefs, initial: .funcref(nil)))
    for wrong in [Value.i32(5), .externref(7), .funcref(12345)] {
      XCTAssertThrowsError(try store.createTable(type: funcrefs, initial: wrong), "\(wrong)")
    }
    XCTAssertThrowsError(try store.createTable(type: TableType(elementType: .i32, limits: Limits(min: 1, max: nil)),
                                               initial: .i32(0)))
    // Globals alike: a value of another type, or a reference of another store, is refused rather than dropped.
    let i32 = GlobalType(valueType: .i32, mutable: true)
    XCTAssertEqual(try store.createGlobal(type: i32, value: .i32(7)).value, .i32(7))
    XCTAssertThrowsError(try store.createGlobal(type: i32, value: .i64(7)))
    XCTAssertThrowsError(try store.createGlobal(type: GlobalType(valueType: .funcref, mutable: false), value: .funcref(12345)))
  }

  /// Memories and tables made by the embedder are checked as a module's are (the same checks, the same messages):
  /// nothing is silently made smaller.
  func testCreatedMemoriesAndTablesRespectTheStoreLimits() throws {
    let store = Store(limits: StoreLimits(maxMemoryPages: 4, maxTableElements: 8))
    XCTAssertEqual(try store.createMemory(type: MemoryType(limits: Limits(min: 4, max: nil))).pageCount, 4)
    for (limits, shared, message) in [(Limits(min: 5, max: nil), false, "memory of 5 pages exceeds the store's limit of 4"),
                                      (Limits(min: 3, max: 2), false, "size minimum must not be greater than maximum"),
                                      (Limits(min: 1, max: 70_000), false, "memory size must be at most 65536 pages"),
                                      (Limits(min: 1, max: nil), true, "shared memory must have maximum")] {
      XCTAssertThrowsError(try store.createMemory(type: MemoryType(limits: limits, isShared: shared))) { error in
        XCTAssertTrue("\(error)".contains(message), "\(limits): \(error)")
      }
    }
    XCTAssertEqual(try store.createTable(type: TableType(elementType: .funcref, limits: Limits(min: 8, max: nil)),
                                         initial: .funcref(nil)).size, 8)
    XCTAssertThrowsError(try store.createTable(type: TableType(elementType: .funcref, limits: Limits(min: 9, max: nil)),
                                               initial: .funcref(nil))) { error in
      XCTAssertTrue("\(error)".contains("table of 9 elements exceeds the store's limit of 8"), "\(error)")
    }
  }

  func testErrorsAreTypedAndClear() throws {
    let engine = Engine()
    XCTAssertThrowsError(try engine.loadModule(bytes: [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 5, 1])) { error in
      XCTAssertEqual((error as? DecodeError)?.offset, 8)
    }
    // (func (result i32)) with an empty body: invalid.
    let invalid: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7F, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0B]
    XCTAssertThrowsError(try engine.loadModule(bytes: invalid)) { XCTAssertTrue($0 is ValidationError) }

    let module = try engine.loadModule(contentsOf: Self.modules.appendingPathComponent("api.wasm"))
    let store = engine.makeStore()
    var linker = Linker(store: store)
    XCTAssertThrowsError(try linker.instantiate(module)) { error in
      XCTAssertEqual((error as? LinkError)?.message, "unknown import: env.log")
    }
    linker.define("env", "log") { (_: Caller, a: Int32) in _ = a }  // wrong type: (i32) instead of (i32, i32)
    XCTAssertThrowsError(try linker.instantiate(module)) { error in
      XCTAssertTrue((error as? LinkError)?.message.contains("incompatible import type: env.log") ?? false)
    }
  }

  func testSeparateStoresRunOnSeparateThreadsAtOnce() throws {
    let engine = Engine()
    let module = try engine.loadModule(contentsOf: Self.modules.appendingPathComponent("api.wasm"))
    final class Results: @unchecked Sendable {
      let lock = NSLock()
      var values: [Int32] = []
      var errors: [String] = []
    }
    let results = Results()
    DispatchQueue.concurrentPerform(iterations: 4) { i in
      do {
        let store = engine.makeStore()
        var linker = Linker(store: store)
        linker.define("env", "log") { (_: Caller, _: Int32, _: Int32) in }
        linker.define("env", "add") { (_: Caller, a: Int32, b: Int32) -> Int32 in a + b }
        linker.define("env", "fail") { (_: Caller, _: Int32) in }
        linker.define("env", "callback") { (_: Caller, x: Int32) -> Int32 in x }
        let fib = try linker.instantiate(module).function("fib")!.typed(Int32.self, returning: Int32.self)
        let value = try fib(Int32(20 + i))
        results.lock.withLock { results.values.append(value) }
      } catch {
        results.lock.withLock { results.errors.append("\(error)") }
      }
    }
    XCTAssertEqual(results.errors, [])
    XCTAssertEqual(results.values.sorted(), [6765, 10946, 17711, 28657])
  }
}

import Foundation
import Swasm
import SwasmTestSupport
import XCTest

/// GC (modules/gc.wat): structs, arrays, i31 and casts, with results checked against wasmtime's (run by hand
/// with its Python API: the values below); and the collector: cycles that become garbage, objects kept only by a
/// table, a global or an exception payload, collections during deep recursion, and gigabytes of short-lived
/// objects in a bounded heap. The instruction checks run with both interpreter loops, with fuel metering and
/// from the translation cache.
final class GCTests: XCTestCase {
  static let module = EmbeddingTests.modules.appendingPathComponent("gc.wat")

  func instantiate(_ engine: Engine = Engine()) throws -> (Store, Instance) {
    let store = engine.makeStore()
    let instance = try Linker(store: store).instantiate(engine.loadModule(contentsOf: Self.module))
    return (store, instance)
  }

  func call(_ instance: Instance, _ name: String, _ args: Int32...) throws -> [Value] {
    guard let function = instance.function(name) else { throw EmbeddingError("no function \(name)") }
    return try function.invoke(args.map { .i32(UInt32(bitPattern: $0)) })
  }

  func i32(_ instance: Instance, _ name: String, _ args: Int32...) throws -> Int32 {
    guard let function = instance.function(name) else { throw EmbeddingError("no function \(name)") }
    let results = try function.invoke(args.map { .i32(UInt32(bitPattern: $0)) })
    guard case .i32(let v) = results.first else { throw EmbeddingError("\(name) returned \(results)") }
    return Int32(bitPattern: v)
  }

  func checkInstructions(_ instance: Instance) throws {
    XCTAssertEqual(try i32(instance, "list_sum", 100), 5050)
    XCTAssertEqual(try i32(instance, "trees", 10, 3), 6141)
    XCTAssertEqual(try (0...4).map { try i32(instance, "classify", $0) }, [-5, 2, 100, 200, -1])
    XCTAssertEqual(try i32(instance, "constant"), 7)
    XCTAssertEqual(try i32(instance, "churn", 10, 100), 100)
    XCTAssertThrowsError(try call(instance, "bad_cast")) { XCTAssertEqual(($0 as? Trap)?.code, .castFailure) }
    XCTAssertThrowsError(try call(instance, "out_of_bounds")) { XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsArrayAccess) }
    XCTAssertEqual(try i32(instance, "deep", 100), 5650)
  }

  func testGCWithThreadedDispatch() throws { try checkInstructions(try instantiate().1) }
  func testGCWithACollectionAtEveryAllocation() throws {
    let (store, instance) = try instantiate()
    store.gcCollectsOnEveryAllocation = true
    try checkInstructions(instance)
    XCTAssertGreaterThan(store.gcCollections, 1_000)
  }
  func testGCWithTheSwitchLoop() throws {
    try checkInstructions(try instantiate(Engine(configuration: EngineConfiguration(dispatch: .switchLoop))).1)
  }
  func testGCWithFuelMetering() throws {
    try checkInstructions(try instantiate(Engine(configuration: EngineConfiguration(limits: StoreLimits(meterFuel: true)))).1)
  }
  func testGCFromTheTranslationCache() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-gc-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try instantiate(Engine(configuration: EngineConfiguration(cacheFolder: folder)))
    let engine = Engine(configuration: EngineConfiguration(cacheFolder: folder))
    XCTAssertEqual(try engine.loadModuleReportingCache(bytes: [UInt8](Data(contentsOf: Self.module))).cache, .hit)
    try checkInstructions(try instantiate(engine).1)
  }

  /// A million pairs that refer to each other, each dropped at once: collections free them (a reference count
  /// alone never would).
  func testCyclesBecomeGarbage() throws {
    let (store, instance) = try instantiate()
    _ = try call(instance, "cycles", 1_000_000)
    XCTAssertGreaterThan(store.gcCollections, 0)
    XCTAssertLessThan(store.gcObjectCount, 1_000_000, "collections freed cycles")
    XCTAssertLessThan(store.gcPeakBytes, 64 << 20)
  }

  /// Lists kept only by a table, a global and an exception payload survive collections made by megabytes of
  /// garbage, and read back whole.
  func testObjectsKeptByTableGlobalAndExceptionPayload() throws {
    let (store, instance) = try instantiate()
    _ = try call(instance, "keep", 10)
    _ = try call(instance, "churn", 20_000, 4_096)  // 80 MB of garbage
    XCTAssertGreaterThan(store.gcCollections, 1)
    XCTAssertEqual(try call(instance, "kept_sums"), [.i32(55), .i32(66), .i32(78)])
  }

  /// Each of 2,000 frames holds a list of its own while deeper frames allocate garbage: the collections that run
  /// meanwhile find every frame's list on the stack.
  func testCollectionDuringDeepRecursion() throws {
    let (store, instance) = try instantiate()
    XCTAssertEqual(try i32(instance, "deep", 2_000), 2_000 * 6 + 5_050)
    _ = try call(instance, "churn", 5_000, 4_096)
    XCTAssertEqual(try i32(instance, "deep", 2_000), 2_000 * 6 + 5_050)
    XCTAssertGreaterThan(store.gcCollections, 0)
  }

  /// A list the host holds (a `GCReference`, also as an externref the guest made of it) stays alive through
  /// collections and can be passed back in; i31 references go both ways.
  func testReferencesHeldByTheHost() throws {
    let (store, instance) = try instantiate()
    let list = try instance.function("make_list")!.invoke([.i32(100)])[0]
    let external = try instance.function("make_external_list")!.invoke([.i32(10)])[0]
    guard case .externalizedAnyref = external else { return XCTFail("\(external) is no externalized anyref") }
    _ = try call(instance, "churn", 20_000, 4_096)  // 80 MB of garbage: several collections
    XCTAssertGreaterThan(store.gcCollections, 1)
    XCTAssertEqual(try instance.function("sum_list")!.invoke([list]), [.i32(5050)])
    XCTAssertEqual(try instance.function("sum_external_list")!.invoke([external]), [.i32(55)])
    XCTAssertEqual(try instance.function("sum_external_list")!.invoke([.externref(nil)]), [.i32(0)])
    XCTAssertThrowsError(try instance.function("sum_list")!.invoke([.anyref(store.i31Reference(1))])) {
      XCTAssertTrue($0 is EmbeddingError, "\($0)")  // an i31 is no $node
    }
    XCTAssertEqual(try instance.function("i31_value")!.invoke([.anyref(store.i31Reference(-7))]), [.i32(UInt32(bitPattern: -7))])
  }

  /// 4 GB allocated in all, in arrays of 4 KB dropped at once: the heap never holds more than a few tens of MB.
  func testGigabytesOfShortLivedObjectsInABoundedHeap() throws {
    let (store, instance) = try instantiate()
    XCTAssertEqual(try i32(instance, "churn", 1_000_000, 4_096), 4_096)
    print("4 GB of 4 KB arrays: heap peak \(store.gcPeakBytes >> 20) MiB, \(store.gcCollections) collections")
    XCTAssertLessThan(store.gcPeakBytes, 256 << 20)
    XCTAssertGreaterThan(store.gcCollections, 100)
  }
}

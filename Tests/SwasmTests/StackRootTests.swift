import Foundation
import Swasm
import SwasmTestSupport
import XCTest

/// Roots on the value stack are found precisely, by the stack maps of the frames: a reference left behind in a
/// temporary that nothing reads again does not keep its object, a reference live across a call or held in a
/// host function's arguments does. Each runs with both interpreter loops, with fuel metering, from the
/// translation cache, and with a collection before every allocation.
final class StackRootTests: XCTestCase {
  static let text = """
    (module
      (type $bytes (array (mut i8)))
      (type $box (struct (field (mut anyref))))
      (type $pair (struct (field anyref) (field i32)))
      (import "host" "live_bytes" (func $live_bytes (result i32)))
      (import "host" "churn_and_return" (func $churn_and_return (param anyref) (result anyref)))
      ;; 64 MB of 4 KB arrays, each dropped at once: several collections.
      (func $churn (export "churn") (result i32) (local $i i32)
        (loop $again
          (drop (array.new_default $bytes (i32.const 4096)))
          (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 16384))))
        (i32.const 0))
      ;; A 16 MB array whose reference stays in a temporary that nothing reads again (ref.eq consumed it and wrote
      ;; its result below it): the collections $churn causes free it. The heap's live bytes after them, in MB.
      (func (export "stale_temporary") (result i32)
        (drop (ref.eq (struct.new_default $box) (array.new_default $bytes (i32.const 16777216))))
        (drop (call $churn))
        (i32.shr_u (call $live_bytes) (i32.const 20)))
      ;; The same array kept in a local instead: the collections keep it (live bytes at least 16 MB).
      (func (export "array_in_local") (result i32) (local $keep anyref)
        (local.set $keep (array.new_default $bytes (i32.const 16777216)))
        (drop (call $churn))
        (i32.shr_u (call $live_bytes) (i32.const 20)))
      ;; A new array waits in a temporary under the call that makes garbage: it survives, whole.
      (func (export "live_across_call") (result i32)
        (array.len (ref.cast (ref $bytes) (struct.get $pair 0
          (struct.new $pair (array.new_default $bytes (i32.const 1000)) (call $churn))))))
      ;; A new pair waits in a temporary while a 64 KB array is allocated (the collections run there), then goes
      ;; into another pair: 2,000 of each, in one chain, summed.
      (func (export "temporaries_across_allocations") (result i32) (local $i i32) (local $chain anyref) (local $n i32)
        (loop $again
          (local.set $chain
            (struct.new $pair
              (struct.new $pair (local.get $chain) (i32.const 1))
              (array.len (array.new_default $bytes (i32.const 65536)))))
          (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 2000))))
        (block $end
          (loop $walk
            (br_if $end (ref.is_null (local.get $chain)))
            (local.set $n (i32.add (local.get $n) (struct.get $pair 1 (ref.cast (ref $pair) (local.get $chain)))))
            (local.set $chain (struct.get $pair 0 (ref.cast (ref $pair) (local.get $chain))))
            (br $walk)))
        (local.get $n))
      ;; A host function holds the array (its argument) while it calls back into $churn.
      (func (export "held_by_host") (result i32)
        (array.len (ref.cast (ref $bytes) (call $churn_and_return (array.new_default $bytes (i32.const 777))))))
    )
    """

  func instantiate(_ engine: Engine) throws -> (Store, Instance) {
    let store = engine.makeStore()
    var linker = Linker(store: store)
    linker.define("host", "live_bytes") { (_: Caller) -> Int32 in Int32(clamping: store.gcLiveBytes) }
    let anyref = ValueType.ref(RefType(nullable: true, .any))
    let churnAndReturn = store.rawHostFunction(type: FuncType(params: [anyref], results: [anyref])) { caller, slots in
      guard case .function(let churn)? = caller.export("churn") else { throw EmbeddingError("no churn") }
      _ = try churn.invoke([])
      _ = slots  // the argument stays in slots[0], the result
    }
    linker.define("host", "churn_and_return", .function(churnAndReturn))
    let instance = try linker.instantiate(engine.loadModule(bytes: Array(Self.text.utf8)))
    return (store, instance)
  }

  func check(_ engine: Engine, collectingAtEveryAllocation: Bool = false) throws {
    let (store, instance) = try instantiate(engine)
    store.gcCollectsOnEveryAllocation = collectingAtEveryAllocation
    func i32(_ name: String) throws -> Int32 {
      guard case .i32(let v)? = try instance.function(name)!.invoke([]).first else { throw EmbeddingError(name) }
      return Int32(bitPattern: v)
    }
    XCTAssertLessThan(try i32("stale_temporary"), 16, "a stale temporary kept its array")
    XCTAssertGreaterThanOrEqual(try i32("array_in_local"), 16, "a local's array was freed")
    XCTAssertEqual(try i32("live_across_call"), 1000)
    XCTAssertEqual(try i32("temporaries_across_allocations"), 2000 * (65536 + 1))
    XCTAssertEqual(try i32("held_by_host"), 777)
    XCTAssertGreaterThan(store.gcCollections, 10)
  }

  func testStackRootsWithThreadedDispatch() throws { try check(Engine()) }
  /// A root the stack maps missed would be freed at the very next allocation.
  func testStackRootsWithACollectionAtEveryAllocation() throws { try check(Engine(), collectingAtEveryAllocation: true) }
  func testStackRootsWithTheSwitchLoop() throws {
    try check(Engine(configuration: EngineConfiguration(dispatch: .switchLoop)))
  }
  func testStackRootsWithFuelMetering() throws {
    try check(Engine(configuration: EngineConfiguration(limits: StoreLimits(meterFuel: true))))
  }
  /// A function whose frame exceeds 65,536 slots (33,000 v128 locals: wide mode, where locals past the staging
  /// block sit 16 slots above their numbers; twenty i32 locals first, so that its slot is not the staging slot a
  /// copy passes through) keeps an externref local's object across calls that collect.
  func testWideFrameKeepsItsReferenceLocals() throws {
    let padding = String(repeating: " v128", count: 33_000)
    let text = """
      (module
        (type $box (struct (field i32)))
        (func $make (result externref) (extern.convert_any (struct.new $box (i32.const 42))))
        (func $churn (local $i i32)
          (loop $again
            (drop (struct.new $box (local.get $i)))
            (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1000)))))
        (func $read (param externref) (result i32)
          (struct.get $box 0 (ref.cast (ref $box) (any.convert_extern (local.get 0)))))
        (func (export "wide") (result i32)
          (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
          (local $kept externref) (local\(padding))
          (local.set $kept (call $make))
          (call $churn)
          (call $read (local.get $kept))))
      """
    let engine = Engine()
    let store = engine.makeStore()
    store.gcCollectsOnEveryAllocation = true
    let instance = try Linker(store: store).instantiate(engine.loadModule(bytes: Array(text.utf8)))
    XCTAssertEqual(try instance.function("wide")!.invoke([]), [.i32(42)])
    XCTAssertGreaterThan(store.gcCollections, 1_000)
  }

  func testStackRootsFromTheTranslationCache() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-roots-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try instantiate(Engine(configuration: EngineConfiguration(cacheFolder: folder)))
    let engine = Engine(configuration: EngineConfiguration(cacheFolder: folder))
    XCTAssertEqual(try engine.loadModuleReportingCache(bytes: Array(Self.text.utf8)).cache, .hit)
    try check(engine)
  }
}

import Foundation
import Swasm
import SwasmTestSupport
import XCTest

/// Interruption from another thread without fuel metering (modules/interruption.wat): every way a guest can run
/// forever stops, in both dispatch loops, from a cached module too; the store runs again afterwards and can be
/// interrupted again; an interruption while nothing runs stops nothing.
final class InterruptionTests: XCTestCase {
  static let module = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("modules/interruption.wasm")

  func instantiate(_ engine: Engine, pause: TimeInterval = 0.001) throws -> (Store, Instance) {
    let store = engine.makeStore()
    var linker = Linker(store: store)
    linker.define("env", "pause") { (_: Caller) -> Void in _ = usleep(useconds_t(pause * 1_000_000)) }
    return (store, try linker.instantiate(try engine.loadModule(contentsOf: Self.module)))
  }

  /// Runs `name` (which never ends by itself) with an interruption after 30 ms: it must stop with
  /// `TrapCode.interrupted`.
  func assertStops(_ instance: Instance, _ store: Store, _ name: String, _ args: [Value] = [], _ context: String) {
    store.interruptHandle.interrupt(after: .milliseconds(30))
    XCTAssertThrowsError(try instance.function(name)!.invoke(args), "\(name) \(context)") { error in
      XCTAssertEqual((error as? Trap)?.code, .interrupted, "\(name) \(context): \(error)")
    }
  }

  func testEveryKindOfEndlessGuestStopsWithoutFuel() throws {
    for (dispatch, fuel) in [(DispatchMode.threaded, false), (.switchLoop, false), (.threaded, true)] {
      let engine = Engine(configuration: EngineConfiguration(dispatch: dispatch, limits: StoreLimits(meterFuel: fuel)))
      let (store, instance) = try instantiate(engine)
      let context = "(\(dispatch), fuel \(fuel))"
      for name in ["spin", "call_loop", "throw_loop", "pause_loop"] { assertStops(instance, store, name, [], context) }
      assertStops(instance, store, "count", [.i32(1)], context)
      assertStops(instance, store, "ping", [.i32(0)], context)
      // Put back: the store runs as before.
      XCTAssertEqual(try instance.function("add")!.invoke([.i32(2), .i32(3)]), [.i32(5)], context)
    }
  }

  /// A cached module's functions are loaded on their first call: those loaded after the store was armed stop
  /// too, and those loaded before have their loops patched.
  func testFunctionsOfACachedModuleStop() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-interrupt-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var configuration = EngineConfiguration()
    configuration.cacheFolderPath = folder.path
    _ = try Engine(configuration: configuration).loadModule(contentsOf: Self.module)  // writes the entry
    let engine = Engine(configuration: configuration)
    let (store, instance) = try instantiate(engine)
    assertStops(instance, store, "call_loop", [], "(cached, first call)")
    assertStops(instance, store, "call_loop", [], "(cached, loaded)")
  }

  /// A guest in a host function stops once the function returns to it.
  func testAGuestInAHostFunctionStopsWhenItReturns() throws {
    let (store, instance) = try instantiate(Engine(), pause: 0.2)
    let started = ContinuousClock.now
    assertStops(instance, store, "pause_loop", [], "(in a host call)")
    XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(190), "the host function finished")
  }

  func testAnInterruptionWhileNothingRunsStopsNothing() throws {
    let (store, instance) = try instantiate(Engine())
    store.interruptHandle.interrupt()
    XCTAssertEqual(try instance.function("add")!.invoke([.i32(1), .i32(1)]), [.i32(2)])
    store.interruptHandle.interrupt(after: .milliseconds(1))
    usleep(20_000)
    XCTAssertEqual(try instance.function("add")!.invoke([.i32(2), .i32(2)]), [.i32(4)])
    // Counting to 2^32 takes seconds: it is the interruption that ends it.
    assertStops(instance, store, "count", [.i32(1)], "(after interruptions that stopped nothing)")
  }

  /// A handle kept after its store is gone interrupts nothing, and does not touch the store's freed code.
  func testAHandleOutlivesItsStore() throws {
    var handle: InterruptHandle?
    do {
      let (store, instance) = try instantiate(Engine())
      handle = store.interruptHandle
      assertStops(instance, store, "spin", [], "(before the store goes)")
    }
    handle?.interrupt()
    handle?.interrupt(after: .milliseconds(1))
    usleep(20_000)
  }

  /// Interrupting over and over while a guest runs, from several threads at once, stops it once and leaves the
  /// store as it was.
  func testManyInterruptionsAtOnce() throws {
    final class Flag: @unchecked Sendable {
      private let lock = NSLock()
      private var value = false
      var isSet: Bool { lock.withLock { value } }
      func set() { lock.withLock { value = true } }
    }
    let (store, instance) = try instantiate(Engine())
    let handle = store.interruptHandle
    for round in 0..<20 {
      let group = DispatchGroup()
      let stopped = Flag()
      for _ in 0..<4 {
        DispatchQueue.global().async(group: group) {
          while !stopped.isSet {
            handle.interrupt()
            usleep(100)
          }
        }
      }
      XCTAssertThrowsError(try instance.function("call_loop")!.invoke([]), "round \(round)") { error in
        XCTAssertEqual((error as? Trap)?.code, .interrupted)
      }
      stopped.set()
      group.wait()
      XCTAssertEqual(try instance.function("add")!.invoke([.i32(UInt32(round)), .i32(1)]), [.i32(UInt32(round + 1))])
    }
  }
}

import Foundation
import Swasm
import SwasmTestSupport
import XCTest

/// Tail calls (modules/tail-calls.wat): constant stack, frames that grow and shrink, calls through tables, into
/// host functions and into another instance, with both interpreter loops and with fuel metering.
final class TailCallTests: XCTestCase {
  /// Stores with a deliberately small stack: a tail call that pushed a frame, or left its frame's slots behind,
  /// would exhaust it within a few thousand calls.
  func instantiate(dispatch: DispatchMode = .threaded, meterFuel: Bool = false) throws -> Instance {
    let limits = StoreLimits(stackSlots: 4096, maxCallDepth: 16, meterFuel: meterFuel)
    let engine = Engine(configuration: EngineConfiguration(dispatch: dispatch, limits: limits))
    var linker = Linker(store: engine.makeStore())
    linker.define("env", "host_add") { (_: Caller, a: Int64, b: Int64) -> Int64 in a &+ b }
    let other = try linker.instantiate(
      engine.loadModule(contentsOf: EmbeddingTests.modules.appendingPathComponent("tail-calls-other.wasm")))
    linker.define(instance: other, as: "other")
    return try linker.instantiate(engine.loadModule(contentsOf: EmbeddingTests.modules.appendingPathComponent("tail-calls.wasm")))
  }

  func checkEverything(_ instance: Instance) throws {
    let even = try instance.function("even")!.typed(Int64.self, returning: Int32.self)
    XCTAssertEqual(try even(100_001), 0)
    XCTAssertEqual(try even(100_000), 1)
    let evenIndirect = try instance.function("even_indirect")!.typed(Int64.self, returning: Int32.self)
    XCTAssertEqual(try evenIndirect(100_001), 0)
    XCTAssertEqual(try evenIndirect(100_000), 1)
    let slot = try instance.function("call_slot")!.typed(Int32.self, returning: Int32.self)
    XCTAssertEqual(try slot(0), 1)  // even(4)
    XCTAssertThrowsError(try slot(1)) { XCTAssertEqual(($0 as? Trap)?.code, .indirectCallTypeMismatch) }
    XCTAssertThrowsError(try slot(4)) { XCTAssertEqual(($0 as? Trap)?.code, .uninitializedElement) }
    XCTAssertThrowsError(try slot(5)) { XCTAssertEqual(($0 as? Trap)?.code, .undefinedElement) }
    // big(n) tail-calls small(n - 1), which tail-calls big(n - 1) adding 0.5 to the f64 and 1 to the vector's last
    // lane: 2,000 rounds.
    let big = try instance.function("big")!.typed(Int32.self, V128.self, Double.self, returning: Double.self)
    XCTAssertEqual(try big(2_000, V128(low: 0, high: 5 << 32), 0.25), 0.25 + 2_000 * 0.5 + Double(5 + 2_000))
    let toHost = try instance.function("to_host")!.typed(Int64.self, Int64.self, returning: Int64.self)
    XCTAssertEqual(try toHost(40, 2), 42)
    XCTAssertEqual(try instance.function("via_host")!.typed(returning: Int64.self)(), 42)
    XCTAssertEqual(try instance.function("cross_instance")!.typed(returning: Int32.self)(), 21)
    let divide = try instance.function("divide_tail")!.typed(Int32.self, Int32.self, returning: Int32.self)
    XCTAssertEqual(try divide(7, 2), 3)
    XCTAssertThrowsError(try divide(1, 0)) { XCTAssertEqual(($0 as? Trap)?.code, .integerDivideByZero) }
    XCTAssertEqual(try even(10), 1, "the store works after traps")
  }

  func testTailCallsWithThreadedDispatch() throws { try checkEverything(try instantiate()) }
  func testTailCallsWithTheSwitchLoop() throws { try checkEverything(try instantiate(dispatch: .switchLoop)) }
  func testTailCallsWithFuelMetering() throws { try checkEverything(try instantiate(meterFuel: true)) }

  /// A hundred million mutual tail calls in a store whose stack holds 4,096 slots and 16 frames.
  func testHundredMillionTailCallsRunInConstantStack() throws {
    let even = try instantiate().function("even")!.typed(Int64.self, returning: Int32.self)
    XCTAssertEqual(try even(100_000_000), 1)
  }

  /// A tail call whose callee's frame does not fit what is left of the stack traps, as a call does.
  func testTailCallIntoAFrameTooLargeForTheStack() throws {
    let engine = Engine(configuration: EngineConfiguration(limits: StoreLimits(stackSlots: 1024)))
    // small: return_call large; large has 2,000 i64 locals and returns 1.
    var builder = ModuleBuilder()
    let type = builder.type([], [.i32])
    builder.function(type, export: "small", body: [0x12, 1, 0x0B])
    builder.function(type, locals: [(2_000, .i64)], body: [0x41, 1, 0x0B])
    let bytes = builder.bytes
    let instance = try Linker(store: engine.makeStore()).instantiate(engine.loadModule(bytes: bytes))
    XCTAssertThrowsError(try instance.function("small")!.typed(returning: Int32.self)()) {
      XCTAssertEqual(($0 as? Trap)?.code, .callStackExhausted)
    }
  }
}

import Foundation
import Swasm
import XCTest

/// Loads and stores do not compare addresses with the memory's size: an access past the end faults in the
/// memory's guard region and the guarded run turns the fault into a trap. These tests check that such traps are
/// exact (the right accesses trap, nothing is written), judged against the memory in use when one instance calls
/// another, unwound cleanly from deep recursion and from Wasm code re-entered by a host function, and independent
/// on separate threads; in both dispatch modes.
final class MemoryGuardTests: XCTestCase {
  static let module = EmbeddingTests.modules.appendingPathComponent("guard.wasm")

  /// Two instances of guard.wasm, each with its own memory; each one's `other_load` loads from the other's.
  func pair(_ dispatch: DispatchMode) throws -> (Instance, Instance) {
    let engine = Engine(configuration: EngineConfiguration(dispatch: dispatch))
    let module = try engine.loadModule(contentsOf: Self.module)
    let store = engine.makeStore()
    final class Box: @unchecked Sendable { var instance: Instance? }
    let (boxA, boxB) = (Box(), Box())
    func instantiate(otherIn box: Box) throws -> Instance {
      var linker = Linker(store: store)
      linker.define("env", "other_load") { (_: Caller, address: Int32) -> Int32 in
        try box.instance!.function("load")!.typed(Int32.self, returning: Int32.self)(address)
      }
      return try linker.instantiate(module)
    }
    boxA.instance = try instantiate(otherIn: boxB)
    boxB.instance = try instantiate(otherIn: boxA)
    return (boxA.instance!, boxB.instance!)
  }

  func assertOutOfBounds(_ body: @autoclosure () throws -> some Any, line: UInt = #line) {
    XCTAssertThrowsError(try body(), line: line) { error in
      XCTAssertEqual((error as? Trap)?.code, .outOfBoundsMemoryAccess, "\(error)", line: line)
    }
  }

  func testAccessesPastTheEndTrapExactly() throws {
    for dispatch in [DispatchMode.threaded, .switchLoop] {
      let (a, _) = try pair(dispatch)
      let load = try a.function("load")!.typed(Int32.self, returning: Int32.self)
      let loadFar = try a.function("load_far")!.typed(Int32.self, returning: Int32.self)
      let store64 = try a.function("store64")!.typed(Int32.self)
      guard case .memory(let memory) = a.export("memory") else { return XCTFail("no memory") }

      XCTAssertEqual(try load(65532), 0)
      assertOutOfBounds(try load(65533))
      assertOutOfBounds(try load(-1))  // 4 GiB - 1: the highest address
      assertOutOfBounds(try loadFar(0))  // static offset 2^32 - 1
      assertOutOfBounds(try loadFar(-1))  // address + offset near 2^33: still inside the reservation

      // A store that would straddle the end writes nothing.
      XCTAssertTrue(memory.write([1, 2, 3, 4, 5, 6], at: 65530))
      assertOutOfBounds(try store64(65530))
      XCTAssertEqual(memory.read(at: 65530, count: 6), [1, 2, 3, 4, 5, 6])
      try store64(65528)
      XCTAssertEqual(memory.read(at: 65528, count: 8), [UInt8](repeating: 255, count: 8))

      // Growth moves the end; the new page reads as zero.
      XCTAssertEqual(try a.function("grow")!.typed(returning: Int32.self)(), 1)
      XCTAssertEqual(try load(131068), 0)
      assertOutOfBounds(try load(131069))
    }
  }

  func testFaultsAreJudgedAgainstTheMemoryInUse() throws {
    for dispatch in [DispatchMode.threaded, .switchLoop] {
      let (a, b) = try pair(dispatch)
      XCTAssertEqual(try a.function("grow")!.typed(returning: Int32.self)(), 1)  // a: 2 pages, b: 1 page
      guard case .memory(let memoryA) = a.export("memory"), case .memory(let memoryB) = b.export("memory") else {
        return XCTFail("no memory")
      }
      XCTAssertTrue(memoryA.write([1, 0, 0, 0], at: 70000))
      XCTAssertTrue(memoryB.write([20, 0, 0, 0], at: 8))
      let loadBoth = try a.function("load_both")!.typed(Int32.self, Int32.self, returning: Int32.self)
      XCTAssertEqual(try loadBoth(70000, 8), 22)
      // 70000 is inside a's memory but past the end of b's: b's load traps, through the host, into a's call.
      assertOutOfBounds(try loadBoth(70000, 70000))
      assertOutOfBounds(try b.function("load_both")!.typed(Int32.self, Int32.self, returning: Int32.self)(70000, 8))
      XCTAssertEqual(try loadBoth(70000, 8), 22)  // both stores' state survived the traps
      XCTAssertEqual(try b.function("load_both")!.typed(Int32.self, Int32.self, returning: Int32.self)(8, 70000), 41)
    }
  }

  func testTrapsUnwindDeepRecursion() throws {
    for dispatch in [DispatchMode.threaded, .switchLoop] {
      let (a, _) = try pair(dispatch)
      let deep = try a.function("deep")!.typed(Int32.self, Int32.self, returning: Int32.self)
      XCTAssertThrowsError(try deep(5000, 65536)) { error in
        XCTAssertEqual((error as? Trap)?.code, .outOfBoundsMemoryAccess)
        XCTAssertEqual((error as? Trap)?.backtrace.count, 5001)
      }
      XCTAssertEqual(try deep(5000, 0), 5000)
      assertOutOfBounds(try deep(0, 65536))
    }
  }

  func testThreadsTrapIndependently() throws {
    final class Failures: @unchecked Sendable {
      let lock = NSLock()
      var messages: [String] = []
    }
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: 4) { i in
      do {
        let (a, _) = try pair(i % 2 == 0 ? .threaded : .switchLoop)
        let load = try a.function("load")!.typed(Int32.self, returning: Int32.self)
        for round in 0..<2000 {
          if round % 2 == 0 {
            guard try load(Int32(round % 60000)) == 0 else { throw Trap(.hostTrap, message: "wrong value") }
          } else {
            do {
              _ = try load(65533 + Int32(round % 1000))
              throw Trap(.hostTrap, message: "no trap at round \(round)")
            } catch let trap as Trap where trap.code == .outOfBoundsMemoryAccess {}
          }
        }
      } catch {
        failures.lock.withLock { failures.messages.append("thread \(i): \(error)") }
      }
    }
    XCTAssertEqual(failures.messages, [])
  }
}

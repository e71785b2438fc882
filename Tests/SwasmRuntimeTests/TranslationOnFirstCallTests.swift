import Foundation
@testable import SwasmRuntime
import SwasmTestSupport
import WasmBinary
import XCTest

/// Modules translated on first call (`PreparedModule.translatingOnFirstCall`, what the engine does without a
/// cache): only called functions are translated, each store keeps its own translation, the first call checks the
/// stack for the real frame, and stores on several threads translate the same module at once.
final class TranslationOnFirstCallTests: XCTestCase {
  /// Functions of `store` (instantiated from one module) still waiting for their code.
  func pending(_ store: Store) -> Int { store.functionInfos.filter(\.codePending).count }

  func call(_ instance: Instance, _ name: String) throws -> [Value] { try instance.function(name)!.invoke([]) }

  func testOnlyCalledFunctionsAreTranslated() throws {
    // _start calls f3 and f7 of ten.
    let module = try Module(bytes: manyFunctionsModule(count: 10, steps: 5, startCalls: [3, 7]))
    let prepared = try PreparedModule.translatingOnFirstCall(module)
    let store = Store()
    let instance = try store.instantiate(prepared)
    XCTAssertEqual(pending(store), 11, "nothing is translated by instantiation")
    XCTAssertEqual(try call(instance, "f2"), [.i32(2 + 15)])
    XCTAssertEqual(pending(store), 10)
    _ = try call(instance, "_start")
    XCTAssertEqual(pending(store), 7, "_start, f3 and f7 were translated too")
    XCTAssertEqual(try call(instance, "f3"), [.i32(3 + 15)], "later calls go straight to the code")
    // Another store translates for itself.
    let other = Store()
    XCTAssertEqual(try call(try other.instantiate(prepared), "f9"), [.i32(9 + 15)])
    XCTAssertEqual(pending(other), 10)
    XCTAssertEqual(pending(store), 7)
  }

  /// The call checks the stack for the smallest frame (the real size is not known yet); the first call checks it
  /// for the translated frame, which here is larger than what is left.
  func testTheFirstCallChecksTheStackForTheRealFrame() throws {
    var builder = ModuleBuilder()
    let type = builder.type([], [.i32])
    builder.function(type, export: "small", body: [0x10, 1, 0x0B])  // call large
    builder.function(type, locals: [(2_000, .i64)], body: [0x41, 1, 0x0B])
    let prepared = try PreparedModule.translatingOnFirstCall(try Module(bytes: builder.bytes))
    let small = Store(limits: StoreLimits(stackSlots: 1024))
    XCTAssertThrowsError(try call(try small.instantiate(prepared), "small")) {
      XCTAssertEqual(($0 as? Trap)?.code, .callStackExhausted)
    }
    XCTAssertEqual(try call(try Store().instantiate(prepared), "small"), [.i32(1)])
  }

  /// Four stores on four threads call every function of one prepared module at once.
  func testStoresOnSeveralThreadsTranslateOneModule() throws {
    let count = 200
    let prepared = try PreparedModule.translatingOnFirstCall(try Module(bytes: manyFunctionsModule(count: count, steps: 20)))
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: 4) { thread in
      do {
        let instance = try Store().instantiate(prepared)
        for i in 0..<count where try call(instance, "f\((i * 7 + thread) % count)") != [.i32(UInt32((i * 7 + thread) % count + 210))] {
          failures.add("store \(thread): f\((i * 7 + thread) % count) gave another result")
        }
      } catch {
        failures.add("store \(thread): \(error)")
      }
    }
    XCTAssertEqual(failures.messages, [])
  }

  final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
  }
}

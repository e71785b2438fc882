import SwasmTestSupport
@testable import WasmBinary
import XCTest

/// A module with more than a few megabytes of code is validated by several threads, each over a run of functions
/// (Validator.swift): the answers must be those of one thread.
final class ParallelValidationTests: XCTestCase {
  /// 1,000 functions of 5,000 `nop`s each (5 MB of code), `invalid` ones made to add with an empty stack.
  func module(invalid: [Int]) throws -> Module {
    var m = ModuleBuilder()
    let t = m.type([], [.i32])
    let valid = [UInt8](repeating: 0x01, count: 5_000) + [0x41, 0x07, 0x0B]  // nop..., i32.const 7, end
    let broken = [UInt8](repeating: 0x01, count: 5_000) + [0x6A, 0x0B]       // nop..., i32.add, end
    for i in 0..<1_000 { m.function(t, body: invalid.contains(i) ? broken : valid) }
    return try Module(bytes: m.bytes)
  }

  func testALargeModuleIsValidatedOnSeveralThreads() throws {
    let module = try module(invalid: [])
    XCTAssertGreaterThan(module.bodyThreads, 1, "on this machine's cores")
    let info = try module.validate()
    XCTAssertEqual(info.maxStackHeights.count, 1_000)
    XCTAssertTrue(info.maxStackHeights.allSatisfy { $0 == 1 })
  }

  /// Invalid functions in two threads' runs: the first one is reported, as one thread would.
  func testTheFirstInvalidFunctionIsReported() throws {
    for invalid in [[999], [10, 990], [600, 400], [0]] {
      XCTAssertThrowsError(try module(invalid: invalid).validate(), "\(invalid)") { error in
        let location = (error as? ValidationError)?.location ?? "\(error)"
        XCTAssertTrue(location.hasPrefix("function \(invalid.min()!) "), "\(invalid): \(location)")
      }
    }
  }
}

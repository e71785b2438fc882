import Foundation
import Swasm
import XCTest

/// v128 values through the embedding API (modules/simd.wat): typed and untyped calls, globals, host functions,
/// and results mixed with scalars.
final class SIMDEmbeddingTests: XCTestCase {
  func lanes(_ v: V128) -> [UInt32] { (0..<4).map { UInt32(truncatingIfNeeded: (($0 < 2 ? v.low : v.high) >> (32 * UInt64($0 % 2)))) } }
  func vector(_ lanes: UInt32...) -> V128 {
    V128(low: UInt64(lanes[0]) | UInt64(lanes[1]) << 32, high: UInt64(lanes[2]) | UInt64(lanes[3]) << 32)
  }

  func instantiate() throws -> Instance {
    let engine = Engine()
    let module = try engine.loadModule(contentsOf: EmbeddingTests.modules.appendingPathComponent("simd.wasm"))
    var linker = Linker(store: engine.makeStore())
    // The host gets the first vector, the scalar and the second vector, and returns a vector of its own.
    linker.define("env", "mix") { (_: Caller, a: V128, n: Int32, b: V128) -> V128 in
      V128(low: a.low &+ UInt64(n), high: b.high)
    }
    return try linker.instantiate(module)
  }

  func testTypedAndUntypedCalls() throws {
    let instance = try instantiate()
    let add = try instance.function("add")!.typed(V128.self, V128.self, returning: V128.self)
    XCTAssertEqual(lanes(try add(vector(1, 2, 3, 4), vector(10, 20, 30, 0xFFFF_FFFF))), [11, 22, 33, 3])
    let sum = try instance.function("sum")!.typed(V128.self, returning: Int32.self)
    XCTAssertEqual(try sum(vector(1, 2, 3, 4)), 10)
    XCTAssertEqual(try instance.function("add")!.invoke([.v128(vector(1, 1, 1, 1)), .v128(vector(2, 2, 2, 2))]),
                   [.v128(vector(3, 3, 3, 3))])
    XCTAssertThrowsError(try instance.function("add")!.invoke([.v128(vector(1, 1, 1, 1)), .i64(2)]))
    // Several results, v128 among scalars: each in its own slots.
    let swapped = try instance.function("swap")!.invoke([.i32(7), .v128(vector(5, 6, 7, 8)), .i64(9)])
    XCTAssertEqual(swapped, [.i64(9), .v128(vector(5, 6, 7, 8)), .i32(7)])
    let choose = try instance.function("choose")!.typed(V128.self, V128.self, Int32.self, returning: V128.self)
    XCTAssertEqual(try choose(vector(1, 1, 1, 1), vector(2, 2, 2, 2), 1), vector(1, 1, 1, 1))
    XCTAssertEqual(try choose(vector(1, 1, 1, 1), vector(2, 2, 2, 2), 0), vector(2, 2, 2, 2))
    let loop = try instance.function("loop")!.typed(V128.self, Int32.self, returning: V128.self)
    // Each byte times four (the value, then three additions of it), wrapping: 0xFF * 4 = 0x3FC.
    XCTAssertEqual(try loop(V128(low: 0x0102, high: 0xFF), 3), V128(low: 0x0408, high: 0xFC))
  }

  func testGlobalsAndHostFunctions() throws {
    let instance = try instantiate()
    guard case .global(let vec) = instance.export("vec"), case .global(let fixed) = instance.export("fixed") else {
      return XCTFail("missing globals")
    }
    XCTAssertEqual(vec.value, .v128(vector(1, 2, 3, 4)))
    XCTAssertEqual(fixed.value, .v128(V128(low: UInt64.max, high: 7)))
    try instance.function("bump")!.typed()()
    XCTAssertEqual(vec.value, .v128(vector(2, 3, 4, 5)))
    try vec.set(.v128(vector(9, 9, 9, 9)))
    XCTAssertThrowsError(try vec.set(.i32(1)))
    XCTAssertThrowsError(try fixed.set(.v128(vector(0, 0, 0, 0))))
    // The host adds the scalar to the first vector's low half and takes the second one's high half: the global's.
    let through = try instance.function("through_host")!.typed(V128.self, Int32.self, returning: V128.self)
    XCTAssertEqual(try through(V128(low: 100, high: 1), 5), V128(low: 105, high: vector(9, 9, 9, 9).high))
  }
}

import SwasmBytecode
import SwasmRuntime
import XCTest

/// A store whose address `p + k` was computed before its value (`a[i + k] = e`) computes it itself
/// (`i32_store_add`): the translator removes the earlier add when nothing between could change its result.
/// Checked on the translation and on results in both dispatch modes.
final class StoreAddressTests: XCTestCase {
  func opcodes(_ index: Int) throws -> [Opcode] { try translatedOpcodes("address", index) }

  func testTheAddMovesIntoTheStore() throws {
    XCTAssertEqual(try opcodes(1), [.i32_xor_ri, .i32_store_add_acc_rv, .i32_load, .ret])
    let wrapping = try opcodes(5)
    XCTAssertFalse(wrapping.contains(.i32_add_ri), "\(wrapping)")
    for store in [Opcode.i64_store_add, .i32_store8_add, .f64_store_add] {
      XCTAssertTrue(wrapping.contains { $0 == store || $0.baseForm == store }, "\(store) in \(wrapping)")
    }
  }

  func testTheAddStaysWhenSomethingBetweenCouldChangeIt() throws {
    for (index, between) in [(2, "a write to its operand"), (3, "a call"), (4, "a branch")] {
      let ops = try opcodes(index)
      XCTAssertTrue(ops.contains(.i32_add_ri), "\(between): \(ops)")
      XCTAssertFalse(ops.contains { ($0.baseForm ?? $0) == .i32_store_add }, "\(between): \(ops)")
    }
  }

  /// `x += e` on an integer in memory (a load, an add of its value, a store of the sum to the same place) is one
  /// `i32_add_to_mem`/`i64_add_to_mem`, which also leaves the sum in a local when the code keeps it.
  func testIntegerAddToMemory() throws {
    let (total, wide) = (try opcodes(8), try opcodes(9))
    XCTAssertTrue(total.contains { ($0.baseForm ?? $0) == .i32_add_to_mem }, "\(total)")
    XCTAssertTrue(wide.contains { ($0.baseForm ?? $0) == .i64_add_to_mem }, "\(wide)")
    XCTAssertFalse(try opcodes(10).contains { ($0.baseForm ?? $0) == .i32_add_to_mem }, "another place")
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("address"))
      func call(_ name: String, _ args: [Value]) throws -> [Value] { try instance.function(name)!.invoke(args) }
      // Memory is zero: add_elsewhere writes mem[p + 4] = mem[p] + e, so these leave 1, 3, 6, 10 at 1000...1012.
      for i in 0..<4 { _ = try call("add_elsewhere", [.i32(UInt32(1000 + 4 * i) - 4), .i32(UInt32(i + 1))]) }
      XCTAssertEqual(try call("peek", [.i32(1004)]), [.i32(3)], "\(mode)")
      // Summed in place: prefix sums 1, 4, 10, 20.
      XCTAssertEqual(try call("running_total", [.i32(1000), .i32(4)]), [.i32(20)], "\(mode)")
      XCTAssertEqual(try call("peek", [.i32(1000)]), [.i32(1)], "\(mode)")
      XCTAssertEqual(try call("peek", [.i32(1004)]), [.i32(4)], "\(mode): prefix sums written back")
      XCTAssertEqual(try call("peek", [.i32(1012)]), [.i32(20)], "\(mode)")
      XCTAssertEqual(try call("add_to_i64", [.i32(2000), .i64(0xFFFF_FFFF_FFFF_FFFF)]), [.i64(0xFFFF_FFFF_FFFF_FFFF)], "\(mode)")
      XCTAssertEqual(try call("add_to_i64", [.i32(2000), .i64(2)]), [.i64(1)], "\(mode): wraps")
      XCTAssertThrowsError(try call("add_to_i64", [.i32(65_530), .i64(1)]), "\(mode)") {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
    }
  }

  /// Consecutive 8-byte moves between the same address registers, offsets 8 apart, are one `mem_move64_run` that
  /// makes the same moves in the same order: overlapping places and a trap part-way end as the separate moves do.
  func testRunsOfEightByteMoves() throws {
    for (index, step) in [(11, -8), (12, 8)] {
      let ops = try opcodes(index)
      XCTAssertEqual(ops.filter { ($0.baseForm ?? $0) == .mem_move64_run }.count, 1, "\(ops)")
      XCTAssertFalse(ops.contains(.mem_move64), "\(step): \(ops)")
    }
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("address"))
      func call(_ name: String, _ args: [Value]) throws -> [Value] { try instance.function(name)!.invoke(args) }
      for i in 0..<4 { _ = try call("poke64", [.i32(UInt32(3000 + 8 * i)), .i64(UInt64(i + 1) * 0x0101_0101_0101_0101)]) }
      _ = try call("copy24_down", [.i32(4000), .i32(3000)])
      for i in 0..<3 { XCTAssertEqual(try call("peek64", [.i32(UInt32(4000 + 8 * i))]), [.i64(UInt64(i + 1) * 0x0101_0101_0101_0101)], "\(mode)") }
      // Up by 8 onto itself: every word becomes the first one, as three separate moves in this order make it.
      _ = try call("copy24_up", [.i32(3008), .i32(3000)])
      for i in 0..<4 { XCTAssertEqual(try call("peek64", [.i32(UInt32(3000 + 8 * i))]), [.i64(0x0101_0101_0101_0101)], "\(mode)") }
      // The third move goes past the end: the first two are done, then the trap.
      XCTAssertThrowsError(try call("copy24_up", [.i32(65_520), .i32(4000)]), "\(mode)") {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
      XCTAssertEqual(try call("peek64", [.i32(65_520)]), [.i64(0x0101_0101_0101_0101)], "\(mode)")
      XCTAssertEqual(try call("peek64", [.i32(65_528)]), [.i64(0x0202_0202_0202_0202)], "\(mode)")
    }
  }

  func testResults() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("address"))
      func call(_ name: String, _ args: [Value]) throws -> [Value] { try instance.function(name)!.invoke(args) }
      XCTAssertEqual(try call("computed", [.i32(100), .i32(0x1234)]), [.i32(0x1234 ^ 255)], "\(mode)")
      // $p becomes v + 1 while the value is computed; the store still goes to the old p + 8.
      XCTAssertEqual(try call("base_rewritten", [.i32(200), .i32(41), .i32(200)]), [.i32(42)], "\(mode)")
      XCTAssertEqual(try call("call_between", [.i32(300), .i32(12)]), [.i32(144)], "\(mode)")
      XCTAssertEqual(try call("branch_between", [.i32(400), .i32(1)]), [.i32(7)], "\(mode)")
      XCTAssertEqual(try call("branch_between", [.i32(400), .i32(0)]), [.i32(9)], "\(mode)")
      // p = 2^32 - 16: p + 32 wraps to 16 (plus offset 8), p + 48 to 32, p + 56 to 40.
      let v: UInt64 = 0x1_0000_0A00
      let expected = (v &* v) &+ ((v >> 8) & 0xFF) &+ UInt64(Double(v).squareRoot())
      XCTAssertEqual(try call("wrapping", [.i32(0xFFFF_FFF0), .i64(v)]), [.i64(expected)], "\(mode)")
      XCTAssertEqual(try call("peek", [.i32(24)]), [.i32(UInt32(truncatingIfNeeded: v &* v))], "\(mode)")
      XCTAssertThrowsError(try call("trap_between", [.i32(500), .i32(70_000)]), "\(mode)") {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
      XCTAssertEqual(try call("peek", [.i32(524)]), [.i32(0)], "\(mode): nothing stored before the trap")
    }
  }
}

private extension Opcode {
  /// The instruction this one is an accumulator form of, nil for base instructions.
  var baseForm: Opcode? { Opcode.allCases.first { $0.accumulatorForms.contains { $0.form == self } } }
}

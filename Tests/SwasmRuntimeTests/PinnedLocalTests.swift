import SwasmBytecode
import SwasmRuntime
import WasmBinary
import XCTest

/// The pinned local (tools/isa/pinned.py, SwasmTranslator/PinnedLocalPass.swift): in an innermost loop without
/// calls, the local the loop reads most and writes is kept in the register `l0`. Checked on the translation (which
/// loops are pinned, with what) and on results in both dispatch modes (the switch loop keeps `l0` too).
final class PinnedLocalTests: XCTestCase {
  func opcodes(_ index: Int) throws -> [Opcode] { try translatedOpcodes("pinned", index) }

  func testLoopsWithoutCallsPinTheirLocal() throws {
    // Collatz: n is read by the multiply and the shift and written by the select, all through l0.
    let collatz = try opcodes(0)
    XCTAssertEqual(collatz.filter { $0 == .l0_load }.count, 1)
    XCTAssertTrue(collatz.contains(.i32_mul_add_ri_l0_ra), "\(collatz)")
    XCTAssertTrue(collatz.contains(.i32_shr_u_ri_l0_ra), "\(collatz)")
    XCTAssertTrue(collatz.contains(.select_and_ri_l0_ra_l0d), "\(collatz)")
    // The loop entered by a branch from before it too; the nested loops' inner one; an i64 counter in a loop with
    // a branch table.
    for index in [1, 3, 4] {
      let ops = try opcodes(index)
      XCTAssertEqual(ops.filter { $0 == .l0_load }.count, 1, "function \(index): \(ops)")
      XCTAssertTrue(ops.contains { Opcode.writesPinned[Int($0.rawValue)] }, "function \(index): \(ops)")
    }
    // A call in the loop: not pinned.
    XCTAssertFalse(try opcodes(2).contains(.l0_load))
  }

  func testResultsAreThoseOfTheLoops() throws {
    func collatz(_ start: UInt32) -> UInt32 {
      var (n, steps) = (start, UInt32(0))
      while n != 1 { n = n & 1 != 0 ? n &* 3 &+ 1 : n >> 1; steps += 1 }
      return steps
    }
    for mode in [DispatchMode.threaded, .switchLoop] {
      let store = Store(dispatch: mode)
      var imports = Imports()
      imports.define(module: "host", name: "id", .function(store.hostFunction(type: FuncType(params: [.i32], results: [.i32])) { $0 }))
      let instance = try store.instantiate(try loadTestModule("pinned"), imports: imports)
      func call(_ name: String, _ args: [Value]) throws -> [Value] { try instance.function(name)!.invoke(args) }
      for n: UInt32 in [1, 2, 3, 7, 27, 97, 871] {
        XCTAssertEqual(try call("collatz", [.i32(n)]), [.i32(collatz(n))], "\(mode) \(n)")
      }
      for n: UInt32 in [0, 1, 2, 10, 1000] {
        // The loop runs at least once.
        let sum = n == 0 ? 1 : n &* (n &+ 1) / 2
        XCTAssertEqual(try call("sum", [.i32(n)]), [.i32(sum)], "\(mode) \(n)")
        XCTAssertEqual(try call("sum_calls", [.i32(n)]), [.i32(sum)], "\(mode) \(n)")
      }
      for n: UInt64 in [1, 2, 5, 30] {
        var s: UInt64 = 0
        for i in 0..<n { for j in 0..<max(i, 1) { s &+= i &* j } }
        XCTAssertEqual(try call("nested", [.i32(UInt32(n))]), [.i64(s)], "\(mode) \(n)")
        XCTAssertEqual(try call("countdown", [.i64(n)]), [.i64((n + 1) / 2)], "\(mode) \(n)")
      }
    }
  }
}

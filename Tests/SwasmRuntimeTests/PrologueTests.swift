import SwasmBytecode
import SwasmRuntime
import WasmBinary
import XCTest

/// The prologue zeroes only the declared locals that the body may read before writing (`localsToZero`).
final class PrologueTests: XCTestCase {
  func opcodes(_ index: Int) throws -> [Opcode] { try translatedOpcodes("prologue", index) }

  func testOnlyLocalsReadBeforeWrittenAreZeroed() throws {
    XCTAssertEqual(try opcodes(0), [.const32, .i32_add_ret], "written first: no zeroing")
    XCTAssertEqual(try opcodes(1).first, .zero_slots, "read first")
    XCTAssertEqual(try opcodes(2).first, .zero_slots, "written only after a branch")
    XCTAssertEqual(try opcodes(6).first, .init_consts, "constants and a zeroed local")
  }

  func testLocalsStartAtZeroInDirtySlots() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("prologue"))
      func call(_ name: String, _ args: [Value] = []) throws -> [Value] { try instance.function(name)!.invoke(args) }
      XCTAssertEqual(try call("read_after_dirty"), [.i32(1)], "\(mode)")
      XCTAssertEqual(try call("branch_after_dirty"), [.i32(0)], "\(mode)")
      XCTAssertEqual(try call("written_first", [.i32(3)]), [.i32(8)], "\(mode)")
      XCTAssertEqual(try call("branch_first", [.i32(1)]), [.i32(7)], "\(mode)")
      let x: UInt64 = 0xDEAD_BEEF
      let expected = x &* 0x1_2345_6789 &+ 0x7000_0000_0000_0001 &+ 0x1_0000_0000
      XCTAssertEqual(try call("constants", [.i64(x)]), [.i64(expected)], "\(mode): entered from the host")
      XCTAssertEqual(try call("constants_after_dirty", [.i64(x)]), [.i64(expected)], "\(mode): entered by a call")
    }
  }
}

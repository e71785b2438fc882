import SwasmBytecode
import SwasmRuntime
import XCTest

/// The shadow-stack pointer's prologue (`global.get; i32.sub k; local.tee; global.set`) and epilogue
/// (`i32.add k; global.set`) each become one instruction; checked on the translation and on results in both
/// dispatch modes (modules/shadowstack.wat).
final class ShadowStackTests: XCTestCase {
  func opcodes(_ index: Int) throws -> [Opcode] { try translatedOpcodes("shadowstack", index) }

  func testPrologueAndEpilogueAreOneInstructionEach() throws {
    let framed = try opcodes(0)
    XCTAssertEqual(framed.first, .global_add_ri, "\(framed)")
    XCTAssertEqual(framed.last, .global_set_add_ri_ret_value, "the epilogue and the return: \(framed)")
    XCTAssertFalse(framed.contains(.global_set), "\(framed)")
    XCTAssertEqual(try opcodes(2).first, .global_add_ri)
  }

  func testUpdatesThatMustStaySeparate() throws {
    // The old value is kept in a local and read again: its global.get stays (the second update fuses).
    let kept = try opcodes(1)
    XCTAssertEqual(kept.prefix(3), [.global_get, .i32_sub_ri, .global_set], "\(kept)")
    XCTAssertTrue(kept.contains(.global_add_ri), "\(kept)")
    XCTAssertEqual(try opcodes(5).prefix(3), [.global_get, .i32_eqz, .global_set])
    // i64 arithmetic is not an i32 update.
    let wide = try opcodes(3)
    XCTAssertFalse(wide.contains(.global_add_ri) || wide.contains(.global_set_add_ri), "\(wide)")
    // A branch lands on the return: it cannot make the epilogue's update.
    XCTAssertEqual(try opcodes(6).suffix(2), [.global_set_add_ri, .ret_value])
  }

  func testResults() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("shadowstack"))
      func call(_ name: String, _ args: [Value] = []) throws -> [Value] { try instance.function(name)!.invoke(args) }
      XCTAssertEqual(try call("framed", [.i32(0xABCD)]), [.i32(0xABCD)], "\(mode)")
      XCTAssertEqual(try call("kept", [.i32(0)]), [.i32(0)], "\(mode)")
      XCTAssertEqual(try call("framed", [.i32(7)]), [.i32(7)], "\(mode): the pointer came back")
      // 4096 - 2^31 - 2^31 wraps to 4096; from 8, subtracting 16 wraps below zero.
      XCTAssertEqual(try call("extreme"), [.i32(4096 &+ 0x8000_0000)], "\(mode)")
      XCTAssertEqual(try call("extreme"), [.i32(4096)], "\(mode)")
      _ = try call("set_sp", [.i32(8)])
      XCTAssertThrowsError(try call("framed", [.i32(1)]), "\(mode): the frame wrapped to 2^32 - 8") {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
      XCTAssertEqual(try call("wide"), [.i64(101)], "\(mode)")
      _ = try call("set_sp", [.i32(0)])
      XCTAssertEqual(try call("toggle"), [.i32(1)], "\(mode)")
      XCTAssertEqual(try call("toggle"), [.i32(0)], "\(mode)")
      _ = try call("set_sp", [.i32(4096)])
      XCTAssertEqual(try call("joined", [.i32(0)]), [.i32(0)], "\(mode)")
      XCTAssertEqual(try call("framed", [.i32(9)]), [.i32(9)], "\(mode): the pointer came back")
      XCTAssertEqual(try call("joined", [.i32(5)]), [.i32(10)], "\(mode)")
      _ = try call("set_sp", [.i32(4096)])
    }
  }
}

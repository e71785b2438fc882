import SwasmBytecode
import SwasmTestSupport
import SwasmTranslator
import WasmBinary
import XCTest

/// A module with more than a few megabytes of code is translated whole by several threads (ParallelTranslation.swift),
/// each over a run of functions: the translations must be those of one thread, in function order.
final class ParallelTranslationTests: XCTestCase {
  func testALargeModuleTranslatesOnSeveralThreadsAsOnOne() throws {
    // 1,000 functions of 5,000 `nop`s, then a constant of their own and a call of the next (5 MB of code).
    var m = ModuleBuilder()
    let t = m.type([], [.i32])
    for i in 0..<1_000 {
      let constant: [UInt8] = [0x41] + sleb(Int64(i * 1_000))
      let call: [UInt8] = i < 999 ? [0x10] + uleb(i + 1) + [0x6A] : []  // call i+1, i32.add
      m.function(t, body: [UInt8](repeating: 0x01, count: 5_000) + constant + call + [0x0B])
    }
    let module = try Module(bytes: m.bytes)
    XCTAssertGreaterThan(module.bodyThreads, 1, "on this machine's cores")
    let translator = ModuleTranslator(module: module, validation: try module.validate())
    let whole = try translator.translateAll()
    XCTAssertEqual(whole.count, 1_000)
    for i in [0, 1, 499, 500, 998, 999] {
      let one = try translator.translate(definedFunction: i)
      XCTAssertEqual(whole[i].code, one.code, "function \(i)")
      XCTAssertEqual(whole[i].frameSize, one.frameSize)
    }
    XCTAssertEqual(Set(whole.map(\.code)).count, 1_000, "each function its own translation")
  }
}

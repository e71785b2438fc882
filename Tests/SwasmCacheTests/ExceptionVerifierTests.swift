import Foundation
import SwasmBytecode
import SwasmCache
import SwasmTestSupport
import WasmBinary
import XCTest

/// The verifier on forged exception handling: handler tables and throws of a cache entry are untrusted like the
/// rest of its code. Each forgery edits a real translation of Tests/SwasmTests/modules/exceptions.wasm.
final class ExceptionVerifierTests: XCTestCase {
  var module: Module!
  var functions: [CompiledFunction] = []
  var verifier: BytecodeVerifier!

  override func setUpWithError() throws {
    let url = packageRoot.appendingPathComponent("Tests/SwasmTests/modules/exceptions.wasm")
    (module, functions) = try translate(Array(try Data(contentsOf: url)))
    verifier = BytecodeVerifier(module: module)
  }

  /// The defined function exported as `name`.
  func defined(_ name: String) -> Int {
    Int(module.exports.first { $0.name == name }!.index) - module.importedFunctionTypes.count
  }

  /// Verifies `name`'s translation after `forge` edited its code.
  func verify(_ name: String, _ forge: (inout [UInt64], HandlerTable) -> Void = { _, _ in }) throws {
    let index = defined(name)
    var function = functions[index]
    XCTAssertEqual(function.code[0], UInt64(Opcode.handler_table.rawValue), "\(name) has handlers")
    let table = function.code.withUnsafeBufferPointer { HandlerTable(header: $0.baseAddress!) }
    var code = function.code
    forge(&code, table)
    function.code = code
    try verifier.verify(function, definedFunction: index)
  }

  /// Word `k` (0, 1, 2) of handler node `node`.
  func nodeWord(_ table: HandlerTable, _ node: Int, _ k: Int) -> Int { 3 + table.segmentCount + 3 * node + k }

  func assertRejected(_ name: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line,
                      _ forge: (inout [UInt64], HandlerTable) -> Void) {
    XCTAssertThrowsError(try verify(name, forge), file: file, line: line) {
      XCTAssertTrue("\($0)".contains(expected), "\($0)", file: file, line: line)
    }
  }

  func testEveryTranslatedFunctionPasses() throws {
    for (i, f) in functions.enumerated() { try verifier.verify(f, definedFunction: i) }
  }

  func testForgedHandlerNodes() {
    assertRejected("catch_other", "tag 9 does not exist") { code, t in
      code[self.nodeWord(t, 0, 1)] = code[self.nodeWord(t, 0, 1)] & ~0xFFFF_FFFF | 9
    }
    assertRejected("catch_other", "payload outside the frame") { code, t in
      code[self.nodeWord(t, 0, 2)] = code[self.nodeWord(t, 0, 2)] & ~0xFFFF_FFFF | 60_000
    }
    assertRejected("keep", "exception outside the frame") { code, t in
      code[self.nodeWord(t, 0, 2)] = code[self.nodeWord(t, 0, 2)] & 0xFFFF_FFFF | 60_000 << 32
    }
    assertRejected("catch_other", "is not an instruction") { code, t in
      code[self.nodeWord(t, 0, 1)] += 1 << 32  // the target one slot further, inside an instruction
    }
    assertRejected("first_match", "chains to handler") { code, t in
      code[self.nodeWord(t, 1, 0)] = 1  // node 1's next is node 0: a cycle
    }
    assertRejected("catch_other", "counts disagree") { code, t in
      code[2] += 1 << 32  // one node more than the slots hold
    }
  }

  func testForgedSegments() {
    assertRejected("catch_other", "does not start at an instruction") { code, _ in
      code[3] += 1
    }
    assertRejected("first_match", "names handler") { code, _ in
      code[3] = code[3] & 0xFFFF_FFFF | 7 << 32
    }
  }

  /// A handler that writes its exception where the handler's code then reads a number: the data flow sees an
  /// exnref reach arithmetic.
  func testExceptionNeverReachesArithmetic() {
    assertRejected("catch_other", "may hold a value of another type") { code, t in
      let destination = code[self.nodeWord(t, 0, 2)] & 0xFFFF_FFFF
      code[self.nodeWord(t, 0, 2)] = destination | destination << 32
    }
  }

  /// Hand-made code as the function `throw_null` (() -> (), a frame of 4 slots). The module's tags: 0 `e` (i32,
  /// imported), 1 the host's (i64, imported), 2 `local` (i32), 3 `pair` (i64 f64), 4 `vec` (v128 i32).
  func verifyHandMade(_ build: (inout CodeBuilder) -> Void) throws {
    var b = CodeBuilder()
    build(&b)
    try b.code.withUnsafeBufferPointer { try verifier.verify(code: $0, frameSize: 4, definedFunction: defined("throw_null")) }
  }

  func testThrowsOnHandMadeCode() throws {
    try verifyHandMade { b in
      b.emitRU(.const32, 2, 7)
      b.emitRU(.throw_tag, 2, 2)
    }
    XCTAssertThrowsError(try verifyHandMade { b in b.emitRU(.throw_tag, 0, 5) }) {
      XCTAssertTrue("\($0)".contains("tag 5 does not exist"), "\($0)")
    }
    XCTAssertThrowsError(try verifyHandMade { b in b.emitRU(.throw_tag, 3, 3) }) {  // two slots from slot 3
      XCTAssertTrue("\($0)".contains("payload outside the frame"), "\($0)")
    }
    XCTAssertThrowsError(try verifyHandMade { b in  // a funcref as an i32 payload
      b.emitRU(.ref_func, 1, 3)
      b.emitRU(.throw_tag, 1, 2)
    }) { XCTAssertTrue("\($0)".contains("payload 0"), "\($0)") }
    XCTAssertThrowsError(try verifyHandMade { b in  // a number as an exception: a forged pointer
      b.emitRU(.const32, 1, 0x1000)
      b.emitR(.throw_ref, 1)
    }) { XCTAssertTrue("\($0)".contains("throw_ref operand"), "\($0)") }
    XCTAssertThrowsError(try verifyHandMade { b in
      b.emitRU(.const32, 1, 0)
      b.code += HandlerTable.encode(segments: [], nodes: [])
      b.emitNone(.ret)
    }) { XCTAssertTrue("\($0)".contains("after the start"), "\($0)") }
  }
}

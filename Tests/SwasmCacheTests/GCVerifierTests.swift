import Foundation
import SwasmBytecode
import SwasmCache
import SwasmTestSupport
import WasmBinary
import WasmText
import XCTest

/// The verifier on forged GC and typed-reference bytecode: a cache entry's code must not make a number (or a
/// reference of another hierarchy) into an object reference, name types, fields or segments that do not exist or
/// are of another kind, or reach past the frame. Hand-made code is checked as the module's function `f`.
final class GCVerifierTests: XCTestCase {
  // Types: 0 struct {i32, mut anyref}, 1 array (mut i8), 2 array (mut anyref), 3 func [] -> [], 4 struct {v128}.
  static let text = """
    (module
      (type $s (struct (field i32) (field (mut anyref))))
      (type $bytes (array (mut i8)))
      (type $refs (array (mut anyref)))
      (type $f (func))
      (type $v (struct (field v128)))
      (global (mut externref) (ref.null extern))
      (elem $e funcref (ref.func $f))
      (elem $a anyref (ref.i31 (i32.const 1)))
      (data $d "abcd")
      (func $f (type $f)))
    """
  var module: Module!
  var verifier: BytecodeVerifier!

  override func setUpWithError() throws {
    module = try Module(bytes: try WAT.parse(Self.text))
    _ = try module.validate()
    verifier = BytecodeVerifier(module: module)
  }

  /// Verifies hand-made code as function `f` (() -> ()), with a frame of 8 slots.
  func verify(_ build: (inout CodeBuilder) -> Void) throws {
    var b = CodeBuilder()
    build(&b)
    b.emitNone(.ret)
    try b.code.withUnsafeBufferPointer { try verifier.verify(code: $0, frameSize: 8, definedFunction: 0) }
  }

  func assertRejected(_ expected: String, file: StaticString = #filePath, line: UInt = #line,
                      _ build: (inout CodeBuilder) -> Void) {
    XCTAssertThrowsError(try verify(build), file: file, line: line) {
      XCTAssertTrue("\($0)".contains(expected), "\($0)", file: file, line: line)
    }
  }

  /// Verifies hand-made code after a `stack_maps` instruction: `build` returns, for each safepoint that has an
  /// entry, where the code resumes after it and the slots the entry lists.
  func verify(always: [Int], _ build: (inout CodeBuilder) -> [(resume: Int, slots: [Int])]) throws {
    var b = CodeBuilder()
    let entries = build(&b)
    b.emitNone(.ret)
    let code = StackMaps.encode(always: always, entries: entries) + b.code
    try code.withUnsafeBufferPointer { try verifier.verify(code: $0, frameSize: 8, definedFunction: 0) }
  }

  func assertRejected(_ expected: String, always: [Int], file: StaticString = #filePath, line: UInt = #line,
                      _ build: (inout CodeBuilder) -> [(resume: Int, slots: [Int])]) {
    XCTAssertThrowsError(try verify(always: always, build), file: file, line: line) {
      XCTAssertTrue("\($0)".contains(expected), "\($0)", file: file, line: line)
    }
  }

  func testWellFormedCodePasses() throws {
    try verify(always: []) { b in
      b.emit(.struct_new_default, [1, 0])  // slot 1: a struct of type 0
      b.emit(.struct_get, [2, 1, 0, 0])  // slot 2: its i32
      b.emit(.struct_get, [3, 1, 0, 1])  // slot 3: its anyref
      b.emit(.struct_set, [1, 3, 0, 1])
      b.emit(.ref_i31, [4, 2])
      b.emit(.array_new_elem, [5, 2, 2, 2, 1])  // refs from the anyref segment; slots 1 and 4 live across
      let first = b.code.count
      b.emit(.array_new_data, [6, 2, 2, 1, 0])
      let second = b.code.count
      b.emit(.ref_cast, [7, 4, UInt64(CastTarget.encode(nullable: true, typeIndex: 0))])
      return [(first, [1, 4]), (second, [4])]
    }
  }

  /// A collection may free what a slot left out of the stack map refers to: after the safepoint, the slot is not
  /// a reference. A listed slot must hold one.
  func testStackMapsDecideWhatStaysAReference() throws {
    func keepAcrossAllocation(_ listed: [Int]) -> (inout CodeBuilder) -> [(resume: Int, slots: [Int])] {
      { b in
        b.emit(.struct_new_default, [1, 0])
        b.emit(.struct_new_default, [2, 0])  // a safepoint: slot 1 is live across it
        let resume = b.code.count
        b.emit(.struct_get, [3, 1, 0, 0])
        return [(resume, listed)]
      }
    }
    try verify(always: [], keepAcrossAllocation([1]))
    assertRejected("struct operand may hold a value of another type", always: [], keepAcrossAllocation([]))
    assertRejected("stack map slot 3 may hold a value of another type", always: [], keepAcrossAllocation([1, 3]))
    // Across a call, below its arguments (the callee's frame starts at its base); `always` slots count everywhere
    // (the prologue zeroes them: a slot the maps list always holds a reference or null).
    func keepAcrossCall(always: [Int]) throws {
      try verify(always: always) { b in
        b.emit(.zero_slots, [1, 1])
        b.emit(.struct_new_default, [1, 0])
        b.emit(.call, [2, 0])
        b.emit(.struct_get, [3, 1, 0, 0])
        return []
      }
    }
    try keepAcrossCall(always: [1])
    XCTAssertThrowsError(try keepAcrossCall(always: []))
    // Without a stack_maps instruction, every reference is lost at a safepoint.
    assertRejected("struct operand") { b in
      b.emit(.struct_new_default, [1, 0])
      b.emit(.struct_new_default, [2, 0])
      b.emit(.struct_get, [3, 1, 0, 0])
    }
  }

  func testForgedStackMaps() {
    assertRejected("does not follow a safepoint", always: []) { b in
      b.emit(.struct_new_default, [1, 0])
      b.emit(.ref_i31, [2, 2])
      return [(b.code.count, [1])]  // after ref_i31, which allocates nothing
    }
    assertRejected("does not follow a safepoint", always: []) { b in
      b.emit(.struct_new_default, [1, 0])
      let resume = b.code.count
      b.emit(.struct_new_default, [2, 0])
      return [(b.code.count, [1]), (resume, [])]  // out of order
    }
    assertRejected("outside the frame of 8", always: [8]) { _ in [] }
    // Only at the start of the function.
    XCTAssertThrowsError(try verify { b in
      b.emitRU(.const32, 1, 0)
      b.code += StackMaps.encode(always: [], entries: [])
    }) {
      XCTAssertTrue("\($0)".contains("stack_maps not at the start"), "\($0)")
    }
    // Counts that disagree with the size.
    XCTAssertThrowsError(try {
      var code = StackMaps.encode(always: [1, 2, 3], entries: [])
      code[3] = 9  // the pool's count
      var b = CodeBuilder()
      b.emitNone(.ret)
      code += b.code
      try code.withUnsafeBufferPointer { try verifier.verify(code: $0, frameSize: 8, definedFunction: 0) }
    }()) { XCTAssertTrue("\($0)".contains("stack_maps counts disagree"), "\($0)") }
  }

  func testNumbersNeverBecomeObjects() {
    assertRejected("struct operand") { b in  // struct.get of a number: a forged address
      b.emitRU(.const32, 1, 0x1000)
      b.emit(.struct_get, [2, 1, 0, 0])
    }
    assertRejected("field value") { b in  // a number stored into an anyref field
      b.emit(.struct_new_default, [1, 0])
      b.emitRU(.const32, 2, 0x1000)
      b.emit(.struct_set, [1, 2, 0, 1])
    }
    assertRejected("extern.convert_any operand") { b in
      b.emitRU(.const32, 1, 0x1000)
      b.emit(.extern_convert_any, [2, 1])
    }
    assertRejected("call_ref callee") { b in
      b.emitRU(.const32, 1, 0x1000)
      b.emit(.call_ref, [2, 1, 3])
    }
    assertRejected("ref_cast operand") { b in  // an externref cast as an object of type 0
      b.emit(.global_get, [1, 0])
      b.emit(.ref_cast, [2, 1, UInt64(CastTarget.encode(nullable: true, typeIndex: 0))])
    }
  }

  func testForgedIndicesAndKinds() {
    assertRejected("not a struct type") { b in b.emit(.struct_new_default, [1, 1]) }
    assertRejected("field 2, which does not exist") { b in
      b.emit(.struct_new_default, [1, 0])
      b.emit(.struct_get, [2, 1, 0, 2])
    }
    assertRejected("into an array of references") { b in  // bytes of a data segment as references
      b.emitRU(.const32, 2, 0)
      b.emit(.array_new_data, [1, 2, 2, 2, 0])
    }
    assertRejected("from a segment of another kind") { b in  // funcrefs as anyrefs
      b.emitRU(.const32, 2, 0)
      b.emit(.array_new_elem, [1, 2, 2, 2, 0])
    }
    assertRejected("array.copy between kinds") { b in b.emit(.array_copy, [0, 2, 1]) }
    assertRejected("operands outside the frame") { b in b.emit(.array_copy, [5, 1, 1]) }
    assertRejected("operands outside the frame") { b in b.emit(.struct_get, [7, 1, 4, 0]) }  // a v128 in slot 7 and 8
    assertRejected("type 9, which does not exist") { b in
      b.emit(.ref_test, [1, 0, UInt64(CastTarget.encode(nullable: false, typeIndex: 9))])
    }
  }
}

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

  func testWellFormedCodePasses() throws {
    try verify { b in
      b.emit(.struct_new_default, [1, 0])  // slot 1: a struct of type 0
      b.emit(.struct_get, [2, 1, 0, 0])  // slot 2: its i32
      b.emit(.struct_get, [3, 1, 0, 1])  // slot 3: its anyref
      b.emit(.struct_set, [1, 3, 0, 1])
      b.emit(.ref_i31, [4, 2])
      b.emit(.array_new_elem, [5, 2, 2, 2, 1])  // refs from the anyref segment
      b.emit(.array_new_data, [6, 2, 2, 1, 0])
      b.emit(.ref_cast, [7, 4, UInt64(CastTarget.encode(nullable: true, typeIndex: 0))])
    }
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

@testable import WasmBinary
import SwasmTestSupport
import XCTest

final class DecoderTests: XCTestCase {
  func leb(_ bytes: [UInt8], bits: Int, signed: Bool) throws -> UInt64 {
    var r = ByteReader(bytes: bytes)
    let v = try r.leb(bits: bits, signed: signed)
    XCTAssertTrue(r.isAtEnd)
    return v
  }

  func testLEB128() throws {
    XCTAssertEqual(try leb([0x00], bits: 32, signed: false), 0)
    XCTAssertEqual(try leb([0xE5, 0x8E, 0x26], bits: 32, signed: false), 624_485)
    XCTAssertEqual(try leb([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], bits: 32, signed: false), 0xFFFF_FFFF)
    XCTAssertEqual(try leb([0x80, 0x80, 0x80, 0x80, 0x00], bits: 32, signed: false), 0)  // padded: allowed
    XCTAssertEqual(Int64(bitPattern: try leb([0x7F], bits: 32, signed: true)), -1)
    XCTAssertEqual(Int64(bitPattern: try leb([0x80, 0x80, 0x80, 0x80, 0x78], bits: 32, signed: true)), -2_147_483_648)
    XCTAssertEqual(Int64(bitPattern: try leb([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F],
                                             bits: 64, signed: true)), Int64.min)
  }

  func testLEB128Errors() {
    // Too long: a sixth byte for 32 bits.
    XCTAssertThrowsError(try leb([0x80, 0x80, 0x80, 0x80, 0x80, 0x00], bits: 32, signed: false)) {
      XCTAssertTrue(($0 as! DecodeError).message.contains("integer representation too long"))
    }
    // Unused bits set in the last byte.
    XCTAssertThrowsError(try leb([0xFF, 0xFF, 0xFF, 0xFF, 0x1F], bits: 32, signed: false)) {
      XCTAssertTrue(($0 as! DecodeError).message.contains("integer too large"))
    }
    XCTAssertThrowsError(try leb([0xFF, 0xFF, 0xFF, 0xFF, 0x4F], bits: 32, signed: true))
    XCTAssertThrowsError(try leb([0x80], bits: 32, signed: false))  // unexpected end
  }

  func testMinimalModuleAndNames() throws {
    // (module (func $f) (export "f" (func 0))) with a name section naming function 0 "first".
    let bytes: [UInt8] = [
      0, 0x61, 0x73, 0x6D, 1, 0, 0, 0,
      1, 4, 1, 0x60, 0, 0,  // type section: [] -> []
      3, 2, 1, 0,  // function section
      7, 5, 1, 1, 0x66, 0, 0,  // export "f" func 0
      10, 4, 1, 2, 0, 0x0B,  // code: no locals, end
      0, 15, 4, 0x6E, 0x61, 0x6D, 0x65, 1, 8, 1, 0, 5, 0x66, 0x69, 0x72, 0x73, 0x74,  // name section
    ]
    let module = try Module(bytes: bytes)
    XCTAssertEqual(module.types, [SubType(.function(FuncType(params: [], results: [])))])
    XCTAssertEqual(module.exports, [Export(name: "f", kind: .function, index: 0)])
    XCTAssertEqual(module.functionName(0), "first")
    XCTAssertEqual(try module.validate().maxStackHeights, [0])
  }

  /// `NameSection.moduleName` gives what the decoded map gives, without keeping the function names: the module name
  /// of the last `name` section that decodes, its function names checked (malformed UTF-8 refuses the section).
  func testModuleNameWithoutDecodingTheFunctionNames() throws {
    func nameSection(_ subsections: [[UInt8]]) -> [UInt8] {
      let payload: [UInt8] = [4, 0x6E, 0x61, 0x6D, 0x65] + subsections.flatMap { $0 }
      return [0, UInt8(payload.count)] + payload
    }
    func moduleSubsection(_ name: [UInt8]) -> [UInt8] { [0, UInt8(name.count + 1), UInt8(name.count)] + name }
    func functionSubsection(_ name: [UInt8]) -> [UInt8] { [1, UInt8(name.count + 3), 1, 0, UInt8(name.count)] + name }
    let header: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]
    let cases: [(sections: [[UInt8]], expected: String?)] = [
      ([nameSection([moduleSubsection([0x6D]), functionSubsection([0x66])])], "m"),
      ([nameSection([functionSubsection([0x66])])], nil),
      ([nameSection([moduleSubsection([0xC3, 0xA9]), functionSubsection([0xC3, 0xA9])])], "\u{E9}"),
      // The function name is not UTF-8: the section is refused, and the one before it counts.
      ([nameSection([moduleSubsection([0x61])]), nameSection([moduleSubsection([0x62]), functionSubsection([0xC3])])], "a"),
      ([nameSection([moduleSubsection([0x61])]), nameSection([moduleSubsection([0x62])])], "b"),
      ([nameSection([moduleSubsection([0xFF])])], nil),
    ]
    for (sections, expected) in cases {
      let module = try Module(bytes: header + sections.flatMap { $0 })
      XCTAssertEqual(module.nameSection.moduleName, expected, "\(sections)")
      XCTAssertEqual(module.names.moduleName, expected, "\(sections)")
      XCTAssertEqual(module.nameSection.moduleName, expected, "after the map is decoded")
    }
  }

  func testValidationErrorsNameTheFunction() throws {
    // (func (result i32) i64.const 0) : type mismatch
    let bytes: [UInt8] = [
      0, 0x61, 0x73, 0x6D, 1, 0, 0, 0,
      1, 5, 1, 0x60, 0, 1, 0x7F,
      3, 2, 1, 0,
      10, 6, 1, 4, 0, 0x42, 0, 0x0B,
    ]
    let module = try Module(bytes: bytes)
    XCTAssertThrowsError(try module.validate()) { error in
      let e = error as! ValidationError
      XCTAssertTrue(e.message.contains("type mismatch"), e.message)
      XCTAssertEqual(e.location, "function 0 (func[0])")
    }
  }
}

/// The implementation limits other engines share (ImplementationLimits): a module past one is invalid, with a
/// message naming the limit, before anything is built for it.
final class ImplementationLimitTests: XCTestCase {
  /// A module whose only type is [] -> [i32 x results].
  func moduleWithResults(_ results: Int) -> [UInt8] {
    let type: [UInt8] = [0x60, 0] + uleb(results) + [UInt8](repeating: 0x7F, count: results)
    let section = uleb(1) + type
    return [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1] + uleb(section.count) + section
  }

  func testFunctionResultsAreLimitedToAThousand() throws {
    XCTAssertNoThrow(try Module(bytes: moduleWithResults(1000)).validate())
    XCTAssertThrowsError(try Module(bytes: moduleWithResults(1001)).validate()) { error in
      XCTAssertTrue("\(error)".contains("1001 results, more than 1000 (implementation limit)"), "\(error)")
    }
    XCTAssertThrowsError(try Module(bytes: moduleWithResults(100_000)).validate())
  }
}

import SwasmTestSupport
import WasmBinary
import XCTest

@testable import WasmText

final class ParserTests: XCTestCase {
  func testAModuleEncodesAsWasmToolsEncodesIt() throws {
    let bytes = try WAT.parse(#"(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"#)
    XCTAssertEqual(bytes, [
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60,
      0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01,
      0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20,
      0x00, 0x20, 0x01, 0x6a, 0x0b,
    ])
  }

  /// Each abbreviation of the text format gives the bytes of the form it abbreviates.
  func testAbbreviationsMeanTheirLongForms() throws {
    let pairs: [(String, String)] = [
      // Folded and flat instructions, with names and with indices.
      ("(func $f (param $a i32) (result i32) (i32.add (local.get $a) (i32.const 2)))",
       "(type (func (param i32) (result i32))) (func (type 0) local.get 0 i32.const 2 i32.add)"),
      ("(func (if (i32.const 1) (then nop) (else unreachable)))",
       "(func i32.const 1 if nop else unreachable end)"),
      ("(func (block $out (loop $in (br_if $out (i32.const 0)) (br $in))))",
       "(func block loop i32.const 0 br_if 1 br 0 end end)"),
      // Inline exports and imports.
      (#"(func (export "a") (export "b"))"#, #"(func) (export "a" (func 0)) (export "b" (func 0))"#),
      (#"(func (import "m" "f") (param i32))"#, #"(import "m" "f" (func (param i32)))"#),
      (#"(memory (export "m") 1 2)"#, #"(memory 1 2) (export "m" (memory 0))"#),
      // A memory or table written with its contents.
      (#"(memory (data "hi"))"#, #"(memory 1 1) (data (i32.const 0) "hi")"#),
      ("(table funcref (elem $f $f)) (func $f)", "(table 2 2 funcref) (elem (i32.const 0) func 0 0) (func)"),
      // Segment offsets and reference types.
      (#"(memory 1) (data (i32.const 8) "x")"#, #"(memory 1) (data (memory 0) (offset (i32.const 8)) "x")"#),
      ("(global (mut (ref null func)) (ref.null func))", "(global (mut funcref) (ref.null func))"),
      // Block types: one result inline, several through a type.
      ("(func (result i32 i32) (block (result i32 i32) (i32.const 1) (i32.const 2)))",
       "(type (func (result i32 i32))) (func (type 0) block (type 0) i32.const 1 i32.const 2 end)"),
      // Strings are concatenated; escapes.
      (#"(memory 1) (data (i32.const 0) "a" "\62\u{63}\t")"#, #"(memory 1) (data (i32.const 0) "abc\09")"#),
      // Memory accesses: the natural alignment is the default; multi-memory indices.
      ("(memory 1) (func (drop (i32.load offset=4 align=4 (i32.const 0))))",
       "(memory 1) (func i32.const 0 i32.load offset=4 drop)"),
      ("(memory 1) (memory $b 1) (func (drop (i32.load $b (i32.const 0))))",
       "(memory 1) (memory 1) (func i32.const 0 i32.load 1 drop)"),
    ]
    for (short, long) in pairs {
      XCTAssertEqual(try WAT.parse(short).withoutNames, try WAT.parse(long).withoutNames, short)
    }
  }

  func testNumbers() throws {
    XCTAssertEqual(TextNumbers.integer("-1", bits: 32), 0xFFFF_FFFF)
    XCTAssertEqual(TextNumbers.integer("4294967295", bits: 32), 0xFFFF_FFFF)
    XCTAssertEqual(TextNumbers.integer("0x1_0000", bits: 32), 0x10000)
    XCTAssertEqual(TextNumbers.integer("-2147483648", bits: 32), 0x8000_0000)
    XCTAssertNil(TextNumbers.integer("4294967296", bits: 32))
    XCTAssertNil(TextNumbers.integer("+2147483648", bits: 32), "a sign means the signed range")
    XCTAssertNil(TextNumbers.integer("1__0", bits: 32))
    XCTAssertNil(TextNumbers.integer("_1", bits: 32))
    XCTAssertNil(TextNumbers.integer("1_", bits: 32))
    XCTAssertNil(TextNumbers.integer("0x", bits: 32))
    XCTAssertEqual(TextNumbers.f32("1.5"), Float(1.5).bitPattern)
    XCTAssertEqual(TextNumbers.f32("-0"), (-Float(0)).bitPattern)
    XCTAssertEqual(TextNumbers.f32("0x1.8p1"), Float(3).bitPattern)
    XCTAssertEqual(TextNumbers.f32("0x1p-149"), 1, "the smallest subnormal")
    XCTAssertEqual(TextNumbers.f32("nan:0x200000"), 0x7FA0_0000)
    XCTAssertEqual(TextNumbers.f32("-nan"), 0xFFC0_0000)
    XCTAssertEqual(TextNumbers.f32("inf"), Float.infinity.bitPattern)
    XCTAssertEqual(TextNumbers.f64("1_000.000_1e-3"), (1000.0001e-3).bitPattern)
    XCTAssertEqual(TextNumbers.f64("0x1.fffffffffffffp1023"), Double.greatestFiniteMagnitude.bitPattern)
    // Rounding to nearest even on the last bit, from a long hexadecimal significand.
    XCTAssertEqual(TextNumbers.f32("0x1.000001p0"), Float(1).bitPattern)
    XCTAssertEqual(TextNumbers.f32("0x1.000003p0"), Float(1).bitPattern + 2)
    XCTAssertNil(TextNumbers.f32("1e39"), "too large for f32")
    XCTAssertNil(TextNumbers.f32("nan:0x0"))
    XCTAssertNil(TextNumbers.f32("nan:0x800000"), "payload wider than f32's")
    XCTAssertNil(TextNumbers.f64("1.e"))
    XCTAssertNil(TextNumbers.f64("0x.8"))
  }

  func testErrorsGiveLineColumnAndWhatWasExpected() {
    let cases: [(String, String)] = [
      ("(module\n  (func (result i32)\n    (i32.add (i32.const 1) (i32.const 0x1_0000_0000))))",
       "3:39: i32 constant out of range or malformed: 0x1_0000_0000"),
      ("(module (func (local.get $x)))", "1:26: unknown local $x"),
      ("(module (func $f) (func $f))", "1:25: duplicate func $f"),
      ("(module (func (br $nowhere)))", "1:19: unknown label $nowhere"),
      ("(module (func block $a end $b))", "1:28: mismatching label"),
      ("(module (func) (import \"m\" \"f\" (func)))", "1:16: import after func"),
      ("(module (memory 1) (func (i32.load align=3 (i32.const 0))))", "1:36: alignment must be a power of two: align=3"),
      ("(module (func \"unterminated))", "1:15: unterminated string"),
      ("(module (func (nop)) (; open", "1:22: unterminated block comment"),
      ("(module (export \"\\ff\" (func 0)))", "1:17: malformed UTF-8 encoding"),
      ("(module (func (i32.const 1)(i32.const 2)) x)", "1:43: expected `)`, found `x`"),
    ]
    for (text, message) in cases {
      XCTAssertThrowsError(try WAT.parse(text), text) { error in
        XCTAssertEqual((error as? TextError)?.description, message, text)
      }
    }
  }

  func testTextIsRecognisedByItsFirstCharacter() {
    XCTAssertTrue(WAT.isText(Array("  \n(module)".utf8)))
    XCTAssertTrue(WAT.isText(Array(";; a comment\n(module)".utf8)))
    XCTAssertFalse(WAT.isText([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))
    XCTAssertFalse(WAT.isText([]))
  }

  /// A file of bare fields is a module; annotations and comments are ignored.
  func testBareFieldsAnnotationsAndComments() throws {
    let bare = try WAT.parse("(@custom \"x\" \"y\") (func (; inline ;) (export \"f\")) ;; done")
    let full = try WAT.parse("(module (func (export \"f\")))")
    XCTAssertEqual(bare.withoutNames, full.withoutNames)
    XCTAssertNoThrow(try Module(bytes: bare).validate())
  }

  /// `(module binary ...)` and `(module quote ...)` in scripts; the quote is kept for the driver to parse.
  func testScriptModules() throws {
    let commands = try WastScript.commands(#"""
      (module $m binary "\00asm" "\01\00\00\00")
      (assert_malformed (module quote "(func (i32.const 0x))") "malformed")
      (register "m" $m)
      (assert_return (invoke $m "f" (f32.const nan:0x1) (v128.const i8x16 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 255))
                     (f64.const nan:canonical))
      """#)
    XCTAssertEqual(commands.count, 4)
    XCTAssertEqual(commands[0]["module_bytes"] as? [UInt8], [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0])
    XCTAssertEqual(commands[0]["name"] as? String, "m")
    XCTAssertEqual(commands[1]["module_quote"] as? [UInt8], Array("(func (i32.const 0x))".utf8))
    XCTAssertEqual(commands[2]["as"] as? String, "m")
    let action = commands[3]["action"] as? [String: Any]
    let args = action?["args"] as? [[String: Any]]
    XCTAssertEqual(args?[0]["value"] as? String, "\(0x7F80_0001)")
    XCTAssertEqual(args?[1]["value"] as? [String], ["255"] + Array(repeating: "0", count: 14) + ["255"])
    XCTAssertEqual((commands[3]["expected"] as? [[String: Any]])?[0]["value"] as? String, "nan:canonical")
  }
}

extension [UInt8] {
  /// The module without its `name` section, which only `$names` add (the parser writes no other custom section).
  var withoutNames: [UInt8] { withoutCustomSections(self) }
}

/// Cases from the review of the first version.
final class ParserEdgeCaseTests: XCTestCase {
  /// A table written with its elements defines a segment, whatever its reference type: later segments' indices
  /// count it.
  func testATablesOwnSegmentCountsBeforeLaterOnes() throws {
    let withRef = try WAT.parse("(table (ref null func) (elem $f)) (elem $e func $f) (func $f elem.drop $e)")
    let plain = try WAT.parse("(table 1 1 funcref) (elem (i32.const 0) func 0) (elem func 0) (func elem.drop 1)")
    XCTAssertEqual(withRef.withoutNames, plain.withoutNames)
  }

  func testAPassiveSegmentMayHaveATypedReferenceType() throws {
    XCTAssertNoThrow(try WAT.parse("(elem (ref null func) (ref.null func))"))
  }

  func testAQuotedModuleInAFileIsParsed() throws {
    XCTAssertEqual(try WAT.parse(#"(module quote "(func" " (export \"f\"))")"#), try WAT.parse(#"(module (func (export "f")))"#))
  }

  func testTextThatIsNotUTF8IsRefusedWhereItStopsBeingUTF8() {
    XCTAssertThrowsError(try WAT.parse(bytes: Array("(module\n  ;; caf".utf8) + [0xE9] + Array("\n)".utf8))) { error in
      XCTAssertEqual("\(error)", "2:9: malformed UTF-8 encoding")
    }
    XCTAssertThrowsError(try WAT.parse(bytes: Array("(module\r\n\r".utf8) + [0xFF])) { error in
      XCTAssertEqual("\(error)", "3:1: malformed UTF-8 encoding", "CR LF is one line end, a lone CR another")
    }
    let commands = try? WastScript.commands(#"(assert_malformed (module quote "(data \"\80\")") "malformed UTF-8")"#)
    XCTAssertThrowsError(try WAT.parse(bytes: commands?[0]["module_quote"] as? [UInt8] ?? [])) { error in
      XCTAssertTrue("\(error)".contains("malformed UTF-8"), "\(error)")
    }
  }

  func testDelegateEndsOnlyATryWithoutCatchClauses() {
    XCTAssertNoThrow(try WAT.parse("(module (func try delegate 0))"))
    XCTAssertThrowsError(try WAT.parse("(module (tag $e) (func try catch $e delegate 0))"))
  }

  func testErrorsPointAtWhatIsWrong() {
    let cases: [(String, String)] = [
      ("(module\r  (func (i32.const $x)))", "2:20: expected an i32 constant, found `$x`"),
      ("(module (func $f) (func $f (export \"a\")))", "1:25: duplicate func $f"),
      // Columns count characters: `é` and `→` are two and three bytes.
      ("(module ;; é →\n  (data \"é\" x))", "2:13: expected `)`, found `x`"),
      ("(module (func)) ;; é\n(; é\n", "2:1: unterminated block comment"),
      // A lone CR ends a line, in a block comment as anywhere.
      ("(module\r(; a\r;) (func (i32.const $x)))", "3:21: expected an i32 constant, found `$x`"),
      ("(module (func (param $a i32) (param $a i32)))", "1:37: duplicate local $a"),
      ("(module (func (local $a i32) (local $a i32)))", "1:37: duplicate local $a"),
      ("(module\n  (func (result i32)\n    (i32.const 1)\n", "2:3: this `(` is never closed"),
      ("(module (type $s (struct)) (func (type $s) (param i32)))",
       "1:55: not a function type: type 0 cannot be checked against the inline parameters and results"),
    ]
    for (text, message) in cases {
      XCTAssertThrowsError(try WAT.parse(text), text) { XCTAssertEqual("\($0)", message, text) }
    }
  }

  /// GC's text (issue 26 runs it): types with field names, `rec` and `sub`, struct and array instructions, casts.
  /// The bytes are `wasm-tools parse`'s (custom sections stripped).
  func testGCTextEncodesAsWasmToolsEncodesIt() throws {
    let text = """
      (module
        (type $point (struct (field $x i32) (field $y (mut f64))))
        (type $bytes (array (mut i8)))
        (rec (type $a (sub (struct (field (ref null $b))))) (type $b (sub final $a (struct (field (ref null $b))))))
        (data $d "abc")
        (func $f (param $p (ref null $point)) (result i32)
          (drop (struct.new $point (i32.const 1) (f64.const 2)))
          (struct.set $point $y (local.get $p) (f64.const 3))
          (drop (array.new_data $bytes $d (i32.const 0) (i32.const 3)))
          (drop (ref.test (ref $point) (local.get $p)))
          (drop (ref.cast (ref null $point) (local.get $p)))
          (drop (block $l (result anyref) (br_on_cast $l anyref (ref $point) (ref.null any)) ))
          (drop (ref.i31 (i32.const 5)))
          (struct.get $point $x (local.get $p))))
      """
    XCTAssertEqual(try WAT.parse(text).withoutNames, [
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x21, 0x04, 0x5f, 0x02, 0x7f, 0x00, 0x7c, 0x01, 0x5e, 0x78,
      0x01, 0x4e, 0x02, 0x50, 0x00, 0x5f, 0x01, 0x63, 0x03, 0x00, 0x4f, 0x01, 0x02, 0x5f, 0x01, 0x63, 0x03, 0x00, 0x60,
      0x01, 0x63, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x04, 0x0c, 0x01, 0x01, 0x0a, 0x4e, 0x01, 0x4c, 0x00, 0x41, 0x01,
      0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0xfb, 0x00, 0x00, 0x1a, 0x20, 0x00, 0x44, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x08, 0x40, 0xfb, 0x05, 0x00, 0x01, 0x41, 0x00, 0x41, 0x03, 0xfb, 0x09, 0x01, 0x00, 0x1a, 0x20,
      0x00, 0xfb, 0x14, 0x00, 0x1a, 0x20, 0x00, 0xfb, 0x17, 0x00, 0x1a, 0x02, 0x6e, 0xd0, 0x6e, 0xfb, 0x18, 0x01, 0x00,
      0x6e, 0x00, 0x0b, 0x1a, 0x41, 0x05, 0xfb, 0x1c, 0x1a, 0x20, 0x00, 0xfb, 0x02, 0x00, 0x00, 0x0b, 0x0b, 0x06, 0x01,
      0x01, 0x03, 0x61, 0x62, 0x63,
    ])
  }

  func testFloatExponentsFarOutOfRange() {
    XCTAssertEqual(TextNumbers.f64("0.000001e-99999999999999999999"), 0)
    XCTAssertNil(TextNumbers.f64("1e99999999999999999999"))
    XCTAssertEqual(TextNumbers.f64("0x1.8p+99999999999999999999"), nil)
    XCTAssertEqual(TextNumbers.f32("1_000.5e-1_0"), Float("1000.5e-10")!.bitPattern)
  }
}

import Foundation
import SwasmTestSupport
import XCTest

/// The text format from the command line: `.wat` files wherever a module is accepted, errors with line and
/// column, and `swasm wast`.
final class TextFormatCLITests: XCTestCase {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-text-\(getpid())")

  override func setUpWithError() throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  func write(_ name: String, _ text: String) throws -> String {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  static let factorial = """
    ;; factorial, recursive
    (module
      (func $fac (export "fac") (param $n i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (i64.const 1))
          (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1))))))))
    """

  /// Text is recognised by its content (its first non-blank character is `(`), whatever the file's name.
  func testRunCompileAndInspectAcceptText() throws {
    let wat = try write("fac.wat", Self.factorial)
    let unnamed = try write("fac.module", Self.factorial)
    for path in [wat, unnamed] {
      let r = try runSwasm(["run", "--invoke", "fac", path, "20"])
      XCTAssertEqual(r.status, 0, r.stderr)
      XCTAssertEqual(r.stdout, "2432902008176640000\n")
    }
    let bundle = folder.appendingPathComponent("fac.swasm").path
    XCTAssertEqual(try runSwasm(["compile", "-o", bundle, wat]).status, 0)
    XCTAssertEqual(try runSwasm(["run", "--invoke", "fac", bundle, "5"]).stdout, "120\n")
    let inspect = try runSwasm(["inspect", wat])
    XCTAssertTrue(inspect.stdout.contains("func 0 fac [i64] -> [i64]"), "function names come from the text: \(inspect.stdout)")
  }

  /// Traps name the functions by their `$names`.
  func testTrapBacktraceNamesTextFunctions() throws {
    let path = try write("boom.wat", #"(module (func $boom unreachable) (func $outer (export "o") call $boom))"#)
    let r = try runSwasm(["run", "--invoke", "o", path])
    XCTAssertEqual(r.status, 134)
    XCTAssertEqual(r.stderr, "error: trap: unreachable\n  at boom\n  at outer\n")
  }

  func testMalformedTextIsOneLineWithLineAndColumn() throws {
    let cases: [(String, String)] = [
      ("(module\n  (func (result i32)\n    (i32.const 0x1_0000_0000)))", ":3:16: i32 constant out of range or malformed: 0x1_0000_0000"),
      ("(module\n  (func (call $nowhere)))", ":2:15: unknown func $nowhere"),
      ("(module (func)", ":1:15: expected `)`, found the end of the text"),
      ("(module (func i32.bogus))", ":1:15: unknown operator `i32.bogus`"),
    ]
    for (text, message) in cases {
      let path = try write("bad.wat", text)
      let r = try runSwasm(["run", path])
      XCTAssertEqual(r.status, 1, text)
      XCTAssertEqual(r.stderr, "error: \(path)\(message)\n", text)
    }
    // Text that parses into an invalid module is reported by the validator, like a binary.
    let invalid = try write("invalid.wat", "(module (func (result i32) (i64.const 1)))")
    let r = try runSwasm(["run", invalid])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.stderr.contains("type mismatch"), r.stderr)
  }

  /// `swasm wast` runs scripts from text, with the spec driver's report; a failing assertion fails the run.
  func testWastRunsScripts() throws {
    let good = try write("good.wast", """
      (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
      (assert_return (invoke "add" (i32.const 1) (i32.const -1)) (i32.const 0))
      (assert_malformed (module quote "(func (i32.const 0x1_0000_0000))") "i32 constant out of range")
      (assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
      (assert_trap (module (func $f unreachable) (start $f)) "unreachable")
      """)
    let ok = try runSwasm(["wast", good])
    XCTAssertEqual(ok.status, 0, ok.stdout)
    XCTAssertEqual(ok.stdout, "5 passed, 0 failed, 0 skipped\n")
    let bad = try write("bad.wast", """
      (module (func (export "one") (result i32) (i32.const 1)))
      (assert_return (invoke "one") (i32.const 2))
      (assert_malformed (module quote "(func (i32.const 1))") "not malformed")
      """)
    let failed = try runSwasm(["wast", bad])
    XCTAssertEqual(failed.status, 1)
    XCTAssertEqual(failed.stdout, """
      bad.wast:2: assert_return: expected [i32:2], got [i32:1]
      bad.wast:3: assert_malformed: expected malformed text (not malformed), got the text parsed
      1 passed, 2 failed, 0 skipped

      """)
  }
}

import Swasm
import XCTest

/// The embedding API takes modules in the text format wherever it takes binaries.
final class TextModuleTests: XCTestCase {
  let text = """
    (module
      (memory (export "memory") 1)
      (func $square (export "square") (param $x i32) (result i32) (i32.mul (local.get $x) (local.get $x))))
    """

  func testAnEngineLoadsTextAsItLoadsBinaries() throws {
    let engine = Engine()
    let module = try engine.loadModule(bytes: Array(text.utf8))
    let instance = try engine.makeStore().instantiate(module)
    XCTAssertEqual(try instance.function("square")!.typed(Int32.self, returning: Int32.self)(12), 144)
    XCTAssertEqual(try engine.binaryModule(Array(text.utf8)), try WAT.parse(text))
    XCTAssertNoThrow(try engine.compileBundle([("square", Array(text.utf8))]))
  }

  func testMalformedTextIsATextErrorWithItsPosition() {
    XCTAssertThrowsError(try Engine().loadModule(bytes: Array("(module\n  (func (i32.const nope)))".utf8))) { error in
      guard let error = error as? TextError else { return XCTFail("\(error)") }
      XCTAssertEqual(error.line, 2)
      XCTAssertEqual(error.column, 20)
    }
  }

  /// Features choose the text rules where Wasm versions differ: Wasm 2.0's limits are 32-bit numbers in text.
  func testTheEnginesFeaturesChooseTheTextRules() {
    let big = Array("(module (memory 0x1_0000_0000))".utf8)
    XCTAssertThrowsError(try Engine(configuration: EngineConfiguration(features: .wasm2)).loadModule(bytes: big)) {
      XCTAssertTrue($0 is TextError, "\($0)")
    }
    XCTAssertThrowsError(try Engine().loadModule(bytes: big)) { XCTAssertFalse($0 is TextError, "the validator's: \($0)") }
  }

  func testPrintedModulesLoadBack() throws {
    let binary = try WAT.parse(text)
    let printed = try TextPrinter.text(of: try Module(bytes: binary))
    let module = try Engine().loadModule(bytes: Array(printed.utf8))
    let instance = try Engine().makeStore().instantiate(module)
    XCTAssertEqual(try instance.function("square")!.invoke([.i32(7)]), [.i32(49)])
  }
}

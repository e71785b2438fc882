import WasmText
import XCTest

final class TextErrorTests: XCTestCase {
  func testDescriptionNamesLineAndColumn() {
    XCTAssertEqual(TextError("expected `)`", line: 3, column: 14).description, "3:14: expected `)`")
  }
}

import Foundation
import SwasmTestSupport
import WasmBinary
import WasmText
import XCTest

/// Printer and parser agree: every binary module of the spec suite that swasm decodes and validates, printed and
/// parsed back, is the same module (it prints to the same text), and most come back byte for byte.
final class RoundTripTests: XCTestCase {
  func testSpecModulesPrintAndParseBackToTheSameModule() throws {
    let spec = sharedFolder.appendingPathComponent("spectest")
    guard FileManager.default.fileExists(atPath: spec.path) else {
      print("SKIPPED: spec suite not found at \(spec.path) (set SWASM_SHARED)")
      throw XCTSkip("spec suite not found")
    }
    var seen = Set<[UInt8]>()
    var (printed, sameBytes, skipped) = (0, 0, 0)
    for group in ["wasm-2.0", "core", "legacy", "proposals/threads"] {
      let folder = spec.appendingPathComponent(group)
      for path in try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".wasm") }).sorted() {
        let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(path)))
        guard seen.insert(bytes).inserted else { continue }
        guard let module = try? Module(bytes: bytes), (try? module.validate()) != nil else {
          skipped += 1
          continue
        }
        let text = try TextPrinter.text(of: module)
        let back: [UInt8]
        do {
          back = try WAT.parse(text)
        } catch {
          XCTFail("\(group)/\(path): the printed text does not parse: \(error)")
          continue
        }
        printed += 1
        XCTAssertEqual(try TextPrinter.text(of: try Module(bytes: back)), text, "\(group)/\(path)")
        if back == withoutCustomSections(bytes) { sameBytes += 1 }
      }
    }
    print("round trip: \(printed) modules printed and parsed back to the same module, \(sameBytes) of them to the "
          + "same bytes (custom sections aside); \(skipped) that swasm does not decode and validate were not printed")
    XCTAssertGreaterThan(printed, 1500)
  }
}

import Foundation
import SwasmRuntime
import SwasmSpecTest
import SwasmTestSupport
import XCTest

/// Runs the whole wasm-2.0 spec suite with both interpreter loops and prints honest totals.
final class SpecSuiteTests: XCTestCase {
  func suiteFolder() throws -> URL {
    let folder = sharedFolder.appendingPathComponent("spectest/wasm-2.0")
    guard FileManager.default.fileExists(atPath: folder.path) else {
      print("SKIPPED: spec suite not found at \(folder.path) (set SWASM_SHARED to the folder holding spectest/)")
      throw XCTSkip("spec suite not found at \(folder.path)")
    }
    return folder
  }

  /// `file.json:LINE` entries of expected-failures.txt.
  func expectedFailures() throws -> Set<String> {
    let url = packageRoot.appendingPathComponent("Tests/SpecSuiteTests/expected-failures.txt")
    let text = try String(contentsOf: url, encoding: .utf8)
    var entries = Set<String>()
    for line in text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let key = String(trimmed.split(separator: " ", maxSplits: 1)[0])
      let reason = trimmed.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
      XCTAssertFalse(reason.isEmpty, "expected failure \(key) has no reason")
      entries.insert(key)
    }
    return entries
  }

  func runSuite(_ dispatch: DispatchMode, meterFuel: Bool = false, throughCache: Bool = false) throws {
    let folder = try suiteFolder()
    let expected = try expectedFailures()
    let report = try SpecRunner(dispatch: dispatch, meterFuel: meterFuel, throughCache: throughCache)
      .run(paths: [folder.path])
    let title = "wasm-2.0 spec suite, \(dispatch) dispatch" + (meterFuel ? ", fuel metering" : "")
      + (throughCache ? ", every module through the cache format" : "")
    print("\(title):")
    for file in report.files { print("  " + file.summary) }
    print("\(title): \(report.totals)")
    let failed = Set(report.failures.map { "\($0.file):\($0.line)" })
    for failure in report.failures where !expected.contains("\(failure.file):\(failure.line)") {
      XCTFail("unexpected failure: \(failure.description)")
    }
    for entry in expected.subtracting(failed) {
      XCTFail("\(entry) is listed in expected-failures.txt but passes now: remove it")
    }
    XCTAssertGreaterThan(report.passed, 0)
  }

  func testWasm20SuiteThreadedDispatch() throws { try runSuite(.threaded) }
  func testWasm20SuiteSwitchDispatch() throws { try runSuite(.switchLoop) }
  /// Fuel checks change the translated code; with unlimited fuel every result must stay the same.
  func testWasm20SuiteWithFuelMetering() throws { try runSuite(.threaded, meterFuel: true) }
  /// The cache round trip: every module translated, written as a cache file, read back, verified function by
  /// function and run from the code read back must give the same results as the uncached path.
  func testWasm20SuiteThroughTheCacheFormat() throws { try runSuite(.threaded, throughCache: true) }
}

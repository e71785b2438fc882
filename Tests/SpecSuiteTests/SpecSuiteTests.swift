import CSwasmSIMD
import Foundation
import SwasmRuntime
import SwasmSpecTest
import SwasmTestSupport
import XCTest

/// Runs the spec suite's wasm-2.0 group (SIMD included), its core group (Wasm 3.0) and its legacy group (the old
/// exception instructions) with both interpreter loops, through the cache format and with fuel metering, and
/// prints honest totals. Known failures (the Wasm 3.0
/// features of open issues) are counted per file in expected-failures.txt.
final class SpecSuiteTests: XCTestCase {
  func groupFolder(_ group: String) throws -> URL {
    let folder = sharedFolder.appendingPathComponent("spectest/\(group)")
    guard FileManager.default.fileExists(atPath: folder.path) else {
      print("SKIPPED: spec suite not found at \(folder.path) (set SWASM_SHARED to the folder holding spectest/)")
      throw XCTSkip("spec suite not found at \(folder.path)")
    }
    return folder
  }

  /// `GROUP/FILE.json COUNT reason` entries of expected-failures.txt: how many commands of a file fail.
  func expectedFailures() throws -> [String: Int] {
    let url = packageRoot.appendingPathComponent("Tests/SpecSuiteTests/expected-failures.txt")
    let text = try String(contentsOf: url, encoding: .utf8)
    var entries: [String: Int] = [:]
    for line in text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let parts = trimmed.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
      guard parts.count == 3, let count = Int(parts[1]) else {
        XCTFail("malformed line in expected-failures.txt: \(line)")
        continue
      }
      XCTAssertFalse(parts[2].trimmingCharacters(in: .whitespaces).isEmpty, "expected failure \(parts[0]) has no reason")
      entries[String(parts[0])] = count
    }
    return entries
  }

  /// Runs a group's JSON command files, or with `scripts` its `.wast` scripts straight from text (the group
  /// `wast/GROUP`, whose expected failures are listed as `wast/GROUP/FILE.wast`).
  func runSuite(_ group: String, _ dispatch: DispatchMode, meterFuel: Bool = false, throughCache: Bool = false,
                scripts: Bool = false) throws {
    let folder = try groupFolder(group)
    let expected = try expectedFailures().filter { $0.key.hasPrefix(group + "/") }
    // The wasm-2.0 group tests Wasm 2.0's rules (one memory: a second one is invalid there; 32-bit limits in text).
    let report = try SpecRunner(dispatch: dispatch, meterFuel: meterFuel, throughCache: throughCache,
                                features: group.hasSuffix("wasm-2.0") ? .wasm2 : .all)
      .run(paths: [folder.path], ending: scripts ? ".wast" : ".json")
    let title = "\(group) spec suite, \(dispatch) dispatch" + (meterFuel ? ", fuel metering" : "")
      + (throughCache ? ", every module through the cache format" : "")
    print("\(title):")
    for file in report.files { print("  " + file.summary) }
    print("\(title): \(report.totals)")
    var failedPerFile: [String: Int] = [:]
    for failure in report.failures { failedPerFile["\(group)/\(failure.file)", default: 0] += 1 }
    for failure in report.failures where expected["\(group)/\(failure.file)"] == nil {
      XCTFail("unexpected failure: \(failure.description)")
    }
    for (file, count) in expected where failedPerFile[file, default: 0] != count {
      XCTFail("\(file): \(failedPerFile[file, default: 0]) commands failed, expected-failures.txt says \(count): update it")
    }
    XCTAssertGreaterThan(report.passed, 0)
  }

  func testWasm20SuiteThreadedDispatch() throws { try runSuite("wasm-2.0", .threaded) }
  func testWasm20SuiteSwitchDispatch() throws { try runSuite("wasm-2.0", .switchLoop) }
  /// Fuel checks change the translated code; with unlimited fuel every result must stay the same.
  func testWasm20SuiteWithFuelMetering() throws { try runSuite("wasm-2.0", .threaded, meterFuel: true) }
  /// The cache round trip: every module translated, written as a cache file, read back, verified function by
  /// function and run from the code read back must give the same results as the uncached path.
  func testWasm20SuiteThroughTheCacheFormat() throws { try runSuite("wasm-2.0", .threaded, throughCache: true) }

  /// Byte shuffles and swizzles have a path for x86-64 without SSSE3 (and for other machines without a byte table
  /// instruction), chosen at run time: the SIMD files pass on it too.
  func testSIMDFilesWithoutSSSE3() throws {
    let folder = try groupFolder("wasm-2.0")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("simd_") }
      .map { folder.appendingPathComponent($0).path }
    let saved = swasm_simd_has_ssse3
    swasm_simd_has_ssse3 = false
    defer { swasm_simd_has_ssse3 = saved }
    let report = try SpecRunner(dispatch: .threaded, meterFuel: false, throughCache: false, features: .wasm2)
      .run(paths: files)
    print("wasm-2.0 SIMD files without SSSE3: \(report.totals)")
    for failure in report.failures { XCTFail("unexpected failure: \(failure.description)") }
    XCTAssertGreaterThan(report.passed, 20_000)
  }

  func testCoreSuiteThreadedDispatch() throws { try runSuite("core", .threaded) }
  func testCoreSuiteSwitchDispatch() throws { try runSuite("core", .switchLoop) }
  func testCoreSuiteWithFuelMetering() throws { try runSuite("core", .threaded, meterFuel: true) }
  func testCoreSuiteThroughTheCacheFormat() throws { try runSuite("core", .threaded, throughCache: true) }

  /// The threads proposal (shared memories, atomics, wait and notify), in every configuration in one test. It
  /// predates multiple memories: 8 of its commands expect a second memory or table to be invalid.
  func testThreadsProposalSuite() throws {
    try runSuite("proposals/threads", .threaded)
    try runSuite("proposals/threads", .switchLoop)
    try runSuite("proposals/threads", .threaded, meterFuel: true)
    try runSuite("proposals/threads", .threaded, throughCache: true)
  }

  /// The `.wast` scripts themselves, parsed by the text format parser (WasmText): every module, action and
  /// assertion as in the JSON runs, plus the text-only malformed modules (`module quote`), which the parser must
  /// refuse. One configuration: the JSON runs above cover the others with the same binaries.
  func testWasm20ScriptsFromText() throws { try runSuite("wast/wasm-2.0", .threaded, scripts: true) }
  func testCoreScriptsFromText() throws { try runSuite("wast/core", .threaded, scripts: true) }
  func testLegacyAndThreadsScriptsFromText() throws {
    try runSuite("wast/legacy", .threaded, scripts: true)
    try runSuite("wast/proposals/threads", .threaded, scripts: true)
  }

  /// The legacy exception instructions (`try`, `catch`, `catch_all`, `delegate`, `rethrow`), which LLVM still emits
  /// by default: a small group, run in every configuration in one test.
  func testLegacyExceptionsSuite() throws {
    try runSuite("legacy", .threaded)
    try runSuite("legacy", .switchLoop)
    try runSuite("legacy", .threaded, meterFuel: true)
    try runSuite("legacy", .threaded, throughCache: true)
  }
}

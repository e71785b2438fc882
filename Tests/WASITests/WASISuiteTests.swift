import Foundation
import SwasmTestSupport
import XCTest

/// Runs the 72 WASI preview 1 conformance programs through the real `swasm` binary, each in a scratch copy of
/// its test folder, and compares exit code, stdout and stderr with the test's JSON.
final class WASISuiteTests: XCTestCase {
  struct Spec: Decodable {
    var args: [String]?
    var env: [String: String]?
    var root: String?
    var exit_code: Int32?
    var stdout: String?
    var stderr: String?
  }

  func suiteFolder() throws -> URL {
    let folder = sharedFolder.appendingPathComponent("wasi-testsuite")
    guard FileManager.default.fileExists(atPath: folder.path) else {
      print("SKIPPED: WASI test suite not found at \(folder.path) (set SWASM_SHARED)")
      throw XCTSkip("WASI test suite not found at \(folder.path)")
    }
    return folder
  }

  func expectedFailures() throws -> Set<String> {
    let text = try String(contentsOf: packageRoot.appendingPathComponent("Tests/WASITests/expected-failures.txt"),
                          encoding: .utf8)
    return Set(text.split(separator: "\n").compactMap { line -> String? in
      let t = line.trimmingCharacters(in: .whitespaces)
      return t.isEmpty || t.hasPrefix("#") ? nil : String(t.split(separator: " ")[0])
    })
  }

  /// Runs one test; returns nil when it passed, or what went wrong.
  func run(_ wasm: URL) throws -> String? {
    let folder = wasm.deletingLastPathComponent()
    let specURL = wasm.deletingPathExtension().appendingPathExtension("json")
    let spec = FileManager.default.fileExists(atPath: specURL.path)
      ? try JSONDecoder().decode(Spec.self, from: Data(contentsOf: specURL)) : Spec()
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-wasi-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    var arguments = ["run"]
    if let root = spec.root {
      let copy = scratch.appendingPathComponent(root)
      try FileManager.default.copyItem(at: folder.appendingPathComponent(root), to: copy)
      // Leftovers of an earlier crashed run.
      for name in (try? FileManager.default.contentsOfDirectory(atPath: copy.path)) ?? [] where name.hasSuffix(".cleanup") {
        try? FileManager.default.removeItem(at: copy.appendingPathComponent(name))
      }
      arguments += ["--dir", "\(copy.path)::/"]
    }
    for (name, value) in (spec.env ?? [:]).sorted(by: { $0.key < $1.key }) { arguments += ["--env", "\(name)=\(value)"] }
    arguments += [wasm.path] + (spec.args ?? [])

    let process = Process()
    process.executableURL = builtProduct("swasm")
    process.arguments = arguments
    process.currentDirectoryURL = scratch
    process.environment = [:]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    var stdoutData = Data(), stderrData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      stdoutData = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    stderrData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    let stdout = String(decoding: stdoutData, as: UTF8.self)
    let stderr = String(decoding: stderrData, as: UTF8.self)
    var problems: [String] = []
    if process.terminationStatus != (spec.exit_code ?? 0) {
      problems.append("exit code \(process.terminationStatus), expected \(spec.exit_code ?? 0)")
    }
    if let expected = spec.stdout, expected != stdout { problems.append("stdout \(stdout.debugDescription), expected \(expected.debugDescription)") }
    if let expected = spec.stderr, expected != stderr { problems.append("stderr \(stderr.debugDescription), expected \(expected.debugDescription)") }
    if !problems.isEmpty && spec.stderr == nil && !stderr.isEmpty { problems.append("stderr: \(stderr.prefix(300))") }
    return problems.isEmpty ? nil : problems.joined(separator: "; ")
  }

  func testWASISuite() throws {
    let suite = try suiteFolder()
    let expected = try expectedFailures()
    var passed = 0
    var failures: [String: String] = [:]
    for group in ["assemblyscript", "c", "rust"] {
      let folder = suite.appendingPathComponent(group)
      let tests = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".wasm") }.sorted()
      for test in tests {
        let name = "\(group)/\(test.dropLast(5))"
        if let problem = try run(folder.appendingPathComponent(test)) {
          failures[name] = problem
          print("FAIL \(name): \(problem)")
        } else {
          passed += 1
        }
      }
    }
    print("WASI test suite: \(passed) passed, \(failures.count) failed")
    for (name, problem) in failures.sorted(by: { $0.key < $1.key }) where !expected.contains(name) {
      XCTFail("\(name): \(problem)")
    }
    for name in expected.subtracting(failures.keys) { XCTFail("\(name) is in expected-failures.txt but passes now") }
  }
}

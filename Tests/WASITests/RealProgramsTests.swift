import Foundation
import SwasmTestSupport
import XCTest

/// Real programs built from a registry's sources (tools/build-real-programs.sh: the Lua and QuickJS interpreters,
/// and Lua again with setjmp/longjmp as Wasm exceptions)
/// run under `swasm run` with files in a preopened folder; their output, exit code and the files they leave must
/// match what the same program does under wasmtime (tools/run-wasmtime.py).
final class RealProgramsTests: XCTestCase {
  /// Scripts and data for each interpreter: Tests/WASITests/programs/NAME.
  static func scripts(_ name: String) -> URL { packageRoot.appendingPathComponent("Tests/WASITests/programs/\(name)") }

  struct Outcome: Equatable {
    var status: Int32
    var stdout: String
    var files: [String: String]
  }

  func program(_ name: String) throws -> URL {
    let program = packageRoot.appendingPathComponent(".build-programs/\(name).wasm")
    guard FileManager.default.fileExists(atPath: program.path) else {
      print("SKIPPED: \(program.path) not built (run tools/build-real-programs.sh)")
      throw XCTSkip("real programs not built")
    }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = ["python3", "-c", "import wasmtime"]
    try probe.run()
    probe.waitUntilExit()
    guard probe.terminationStatus == 0 else {
      print("SKIPPED: python3 with the wasmtime package is needed to compare outputs")
      throw XCTSkip("wasmtime (PyPI) not installed")
    }
    return program
  }

  /// Runs `command` with a fresh copy of the data folder given to the guest as /data.
  func run(_ command: [String], data source: URL) throws -> Outcome {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-real-\(UUID().uuidString)")
    let data = scratch.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    try FileManager.default.copyItem(at: source, to: data)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = command.dropFirst().map { $0.replacingOccurrences(of: "$DATA", with: data.path) }
    process.currentDirectoryURL = packageRoot
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: data.path) {
      files[name] = try String(contentsOf: data.appendingPathComponent(name), encoding: .utf8)
    }
    return Outcome(status: process.terminationStatus, stdout: stdout, files: files)
  }

  /// Runs `script` of Tests/WASITests/programs/`scripts` with program `name` under swasm, and with program
  /// `reference` (the same source built otherwise; default: the same program) under wasmtime.
  func compare(_ name: String, _ script: String, _ args: [String], scripts folder: String? = nil,
               reference: String? = nil) throws {
    let program = try program(name)
    let referenceProgram = try reference.map { try self.program($0) } ?? program
    let scripts = Self.scripts(folder ?? name)
    let data = scripts.appendingPathComponent("data")
    let options = ["--dir", "$DATA::/data", "--dir", "\(scripts.path)::/scripts", "--env", "GREETING=hello"]
    let swasm = builtProduct("swasm").path
    let ours = try run([swasm, "run"] + options + [program.path, "/scripts/\(script)"] + args, data: data)
    let reference = try run(["/usr/bin/env", "python3", packageRoot.appendingPathComponent("tools/run-wasmtime.py").path]
                            + options + [referenceProgram.path, "/scripts/\(script)"] + args, data: data)
    XCTAssertEqual(ours, reference)
    XCTAssertEqual(ours.status, 0)
    XCTAssertFalse(ours.stdout.isEmpty)
  }

  func testLuaFileProcessingMatchesWasmtime() throws { try compare("lua", "files.lua", ["one", "two"]) }
  func testLuaComputationMatchesWasmtime() throws { try compare("lua", "compute.lua", ["2"]) }
  func testQuickJSFileProcessingMatchesWasmtime() throws { try compare("qjs", "files.js", ["one", "two"]) }
  func testQuickJSComputationMatchesWasmtime() throws { try compare("qjs", "compute.js", ["2"]) }

  /// Lua built with its errors unwinding (setjmp/longjmp lowered to Wasm exceptions): pcall, error objects,
  /// coroutines, xpcall and a stack overflow, 10,000 errors caught in a loop. The legacy-encoding build runs
  /// under swasm only (wasmtime has no legacy exceptions); it must print what the standard build prints under
  /// wasmtime.
  func testLuaErrorsThroughWasmExceptionsMatchWasmtime() throws {
    try compare("lua-eh", "errors.lua", [], scripts: "lua")
    try compare("lua-eh-legacy", "errors.lua", [], scripts: "lua", reference: "lua-eh")
    try compare("lua-eh", "compute.lua", ["2"], scripts: "lua")
  }
}

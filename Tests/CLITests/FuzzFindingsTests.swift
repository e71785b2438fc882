import Foundation
import SwasmTestSupport
import XCTest

/// What an outside fuzzing campaign found (issue 23), each as a user meets it.
final class FuzzFindingsTests: XCTestCase {
  func swasm(_ args: String...) throws -> ProcessResult { try runSwasm(args) }
  let modules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("modules")
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-findings-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  /// fd_renumber(fd, fd) is a no-op (POSIX dup2, wasmtime), not a close.
  func testRenumberingADescriptorOntoItselfKeepsItOpen() throws {
    let r = try swasm("run", modules.appendingPathComponent("renumber-self.wasm").path)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdout, "still open\n")
  }

  /// A FIFO where a cache entry or a source record goes is a cache miss at once, not a wait for a writer (the
  /// source record leads a run straight to the entry's path).
  func testAFIFOInTheCacheIsAMiss() throws {
    for replaced in ["swasmc", "swasmsrc"] {
      let cache = folder.appendingPathComponent("cache-\(replaced)")
      let first = try swasm("run", "--cache-dir", cache.path, "--invoke", "fib", "examples/fib.wasm", "10")
      XCTAssertEqual(first.stdout, "55\n", first.stderr)
      let files = try FileManager.default.contentsOfDirectory(atPath: cache.path)
      let file = try XCTUnwrap(files.first { $0.hasSuffix("." + replaced) }, "\(files)")
      let path = cache.appendingPathComponent(file).path
      try FileManager.default.removeItem(atPath: path)
      XCTAssertEqual(mkfifo(path, 0o600), 0, "mkfifo \(path)")
      let started = Date()
      let r = try swasm("run", "--cache-dir", cache.path, "--verbose", "--invoke", "fib", "examples/fib.wasm", "10")
      XCTAssertEqual(r.stdout, "55\n", r.stderr)
      // A damaged entry is a miss; without its record, the entry is found the long way (reading the module).
      XCTAssertTrue(r.stderr.contains(replaced == "swasmc" ? "cache miss" : "cache hit"), r.stderr)
      XCTAssertLessThan(Date().timeIntervalSince(started), 30, "blocked on the FIFO")
    }
  }

  /// A module read from a pipe or a character device, as other runtimes read one.
  func testModuleFromAPipe() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "cat examples/fib.wasm | \"$0\" run --invoke fib /dev/stdin 10", builtProduct("swasm").path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    process.waitUntilExit()
    XCTAssertEqual(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "55\n")
    XCTAssertEqual(process.terminationStatus, 0)
    // A directory is still named as one.
    let r = try swasm("run", folder.path)
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.stderr.contains("Is a directory"), r.stderr)
  }

  /// --invoke's name: empty (`--invoke=`, an export named ""), starting with a combining mark (it joins the `=`
  /// in one Character), or starting with `-` (only after `=`, as in wasmtime).
  func testInvokeNames() throws {
    let module = modules.appendingPathComponent("odd-names.wasm").path
    XCTAssertEqual(try swasm("run", "--invoke=", module).stdout, "3\n")
    XCTAssertEqual(try swasm("run", "--invoke=\u{301}x", module).stdout, "7\n")
    XCTAssertEqual(try swasm("run", "--invoke=-dash", module).stdout, "2\n")
    let spaced = try swasm("run", "--invoke", "-dash", module)
    XCTAssertEqual(spaced.status, 1)
    XCTAssertTrue(spaced.stderr.contains("--invoke"), spaced.stderr)
  }

  /// ArgumentParser's usage errors exit with the documented status 1, not its 64.
  func testUsageErrorsExitWithOne() throws {
    for args in [["run", "--bogus", "m.wasm"], ["run", "--invoke"], ["compile"], ["frobnicate"], ["run", "--dir=", "m.wasm"]] {
      let r = try runSwasm(args)
      XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
      XCTAssertFalse(r.stderr.isEmpty)
    }
    XCTAssertEqual(try swasm("--help").status, 0)
    XCTAssertEqual(try swasm("--version").status, 0)
  }
}

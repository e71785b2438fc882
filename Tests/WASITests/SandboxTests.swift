import Foundation
import SwasmTestSupport
import XCTest

/// A guest tries to leave its preopened folder by every route: `..`, absolute and relative symlinks, symlinked
/// directories, creating/removing/renaming through them, and a race that swaps a folder for a symlink while the
/// guest walks the path. Every attempt must fail and the host's files outside must stay untouched.
final class SandboxTests: XCTestCase {
  static let guest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("guests/escape.wasm")

  var root: URL!
  var sandbox: URL { root.appendingPathComponent("sandbox") }

  override func setUpWithError() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-sandbox-\(UUID().uuidString)")
    let fm = FileManager.default
    try fm.createDirectory(at: sandbox.appendingPathComponent("d_real"), withIntermediateDirectories: true)
    try fm.createDirectory(at: root.appendingPathComponent("outside"), withIntermediateDirectories: true)
    try "SECRET".write(to: root.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
    try "SECRET".write(to: root.appendingPathComponent("outside/f"), atomically: true, encoding: .utf8)
    try "inside".write(to: sandbox.appendingPathComponent("inside.txt"), atomically: true, encoding: .utf8)
    try "inside".write(to: sandbox.appendingPathComponent("d_real/f"), atomically: true, encoding: .utf8)
    try fm.createSymbolicLink(atPath: sandbox.appendingPathComponent("link_rel").path, withDestinationPath: "../secret.txt")
    try fm.createSymbolicLink(atPath: sandbox.appendingPathComponent("link_abs").path,
                              withDestinationPath: root.appendingPathComponent("secret.txt").path)
    try fm.createSymbolicLink(atPath: sandbox.appendingPathComponent("up").path, withDestinationPath: "..")
    try fm.createSymbolicLink(atPath: sandbox.appendingPathComponent("d_link").path, withDestinationPath: "../outside")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  func runGuest(_ args: [String]) throws -> [String] {
    let process = Process()
    process.executableURL = builtProduct("swasm")
    process.arguments = ["run", "--dir", "\(sandbox.path)::/sandbox", Self.guest.path] + args
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0)
    return text.split(separator: "\n").map(String.init)
  }

  func outsideIsUntouched() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    XCTAssertEqual(names, ["outside", "sandbox", "secret.txt"])
    XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("secret.txt"), encoding: .utf8), "SECRET")
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("outside").path), ["f"])
  }

  func testEveryEscapeRouteFails() throws {
    let attempts = [
      "read:/sandbox/../secret.txt", "read:/sandbox/link_rel", "read:/sandbox/link_abs", "read:/sandbox/up/secret.txt",
      "read:/sandbox/d_link/f", "read:/secret.txt", "stat:/sandbox/up/secret.txt",
      "create:/sandbox/up/new.txt", "create:/sandbox/link_rel", "create:/sandbox/link_abs", "create:/sandbox/d_link/new",
      "unlink:/sandbox/up/secret.txt", "unlink:/sandbox/d_link/f", "mkdir:/sandbox/up/x", "mkdir:/sandbox/../x",
      "rmdir:/sandbox/up/outside", "rename:/sandbox/inside.txt>/sandbox/up/moved.txt",
      "rename:/sandbox/up/secret.txt>/sandbox/stolen.txt", "link:/sandbox/up/secret.txt>/sandbox/hard",
      "symlink:/sandbox/../secret.txt>/sandbox/new_abs_link",
    ]
    let lines = try runGuest(["read:/sandbox/inside.txt"] + attempts)
    XCTAssertEqual(lines.first, "read:/sandbox/inside.txt -> ok:inside")
    for (attempt, line) in zip(attempts, lines.dropFirst()) {
      XCTAssertEqual(line, "\(attempt) -> error", "escape attempt succeeded: \(line)")
    }
    XCTAssertEqual(lines.count, attempts.count + 1)
    try outsideIsUntouched()
  }

  /// While the guest opens d/f again and again, the host swaps `d` between a real folder and a symlink to a
  /// folder outside. Resolution walks with O_NOFOLLOW on descriptors, so the guest never reads the outside file.
  func testSwappingAFolderForASymlinkDuringResolutionNeverEscapes() throws {
    let fm = FileManager.default
    let d = sandbox.appendingPathComponent("d").path
    let real = sandbox.appendingPathComponent("d_real").path
    let link = sandbox.appendingPathComponent("d_link").path
    final class Flag: @unchecked Sendable { var stop = false }
    let flag = Flag()
    let swapper = Thread {
      while !flag.stop {
        _ = rename(real, d)
        _ = rename(d, real)
        _ = rename(link, d)
        _ = rename(d, link)
      }
    }
    swapper.start()
    let lines = try runGuest(["race:/sandbox/d/f:20000"])
    flag.stop = true
    while !swapper.isFinished { usleep(1000) }
    XCTAssertEqual(lines.count, 1)
    XCTAssertTrue(lines[0].hasSuffix(", secret 0"), lines[0])
    print("race: \(lines[0])")
    XCTAssertTrue(fm.fileExists(atPath: real) || fm.fileExists(atPath: d))
    try outsideIsUntouched()
  }
}

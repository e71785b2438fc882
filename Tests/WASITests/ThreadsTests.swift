import Foundation
import SwasmTestSupport
import XCTest

/// A wasi-threads program (guests/threads.c: four threads made with `thread-spawn`, atomics, a lock and a barrier
/// on memory.atomic.wait32/notify) under `swasm run`, as users run one: same output as wasmtime's
/// (guests/threads.expected) on every run, and a trap or `proc_exit` in one thread ends them all.
final class ThreadsTests: XCTestCase {
  static let guests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("guests")
  static let program = guests.appendingPathComponent("threads.wasm").path

  var expected: String { (try? String(contentsOf: Self.guests.appendingPathComponent("threads.expected"), encoding: .utf8)) ?? "" }

  func testCountersAreTheSameAsWasmtimesOnEveryOneOf100Runs() throws {
    XCTAssertTrue(expected.contains("atomic sum"))
    for run in 1...100 {
      let result = try runSwasm(["run", Self.program])
      XCTAssertEqual(result.status, 0, "run \(run): \(result.stderr)")
      XCTAssertEqual(result.stdout, expected, "run \(run)")
      if result.stdout != expected { break }
    }
  }

  func testCountersWithTheSwitchLoopFuelAndThroughTheCache() throws {
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-threads-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: cache) }
    for options in [["--dispatch", "switch"], ["--fuel", "1000000000"], ["--cache-dir", cache.path],
                    ["--cache-dir", cache.path]] {
      let result = try runSwasm(["run"] + options + [Self.program])
      XCTAssertEqual(result.status, 0, "\(options): \(result.stderr)")
      XCTAssertEqual(result.stdout, expected, "\(options)")
    }
  }

  func testWaitTimeoutsAndNotifyCounts() throws {
    let result = try runSwasm(["run", Self.program, "waits"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, """
      wait on another value: 1
      wait 1 ms: 2
      wait64 1 ms: 2
      notify with nobody waiting: 0
      notified threads: at most 4: yes
      all threads finished: 4

      """)
  }

  /// The other threads wait forever: only the trap can end the program.
  func testATrapInOneThreadEndsTheProgram() throws {
    let result = try runSwasm(["run", Self.program, "trap"])
    XCTAssertEqual(result.status, 134)
    XCTAssertEqual(result.stdout, "trap\n")
    XCTAssertTrue(result.stderr.contains("unreachable"), result.stderr)
    XCTAssertTrue(result.stderr.contains("wasi_thread_start"), result.stderr)
  }

  func testProcExitInOneThreadEndsTheProgramWithItsStatus() throws {
    let result = try runSwasm(["run", Self.program, "exit"])
    XCTAssertEqual(result.status, 7)
    XCTAssertEqual(result.stdout, "exit\n")
  }

  /// Every thread, the main one included, waits forever (memory.atomic.wait): the timeout still ends it.
  func testATimeoutStopsAProgramWhoseThreadsAllWait() throws {
    let result = try runSwasm(["run", "--timeout", "300ms", Self.program, "hang"])
    XCTAssertEqual(result.status, 134)
    XCTAssertEqual(result.stdout, "hang\n")
    XCTAssertTrue(result.stderr.hasPrefix("error: trap: interrupted (--timeout 300ms expired)"), result.stderr)
  }

  func testThreadsTurnedOffAreNamed() throws {
    let result = try runSwasm(["run", "-S", "threads=n", Self.program])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("is a wasi-threads program"), result.stderr)
  }
}

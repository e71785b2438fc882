import Foundation
import SwasmTestSupport
import XCTest

/// `swasm run --cache`, `swasm compile`, `swasm cache`: as a user types them.
final class CacheCLITests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-cli-cache-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  func swasm(_ args: String...) throws -> ProcessResult { try runSwasm(args) }
  func swasm(_ args: [String]) throws -> ProcessResult { try runSwasm(args) }

  /// The cache's files other than source records (entries, and temporary files if any were left).
  func entries(_ cache: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).filter { !$0.hasSuffix(".swasmsrc") }.sorted()
  }

  func testRunWithCacheHitsTheSecondTime() throws {
    let cache = folder.appendingPathComponent("cache").path
    let first = try swasm("run", "--cache-dir", cache, "--verbose", "--invoke", "fib", "examples/fib.wasm", "20")
    XCTAssertEqual(first.stdout, "6765\n")
    XCTAssertTrue(first.stderr.contains("cache miss"), first.stderr)
    let second = try swasm("run", "--cache-dir", cache, "--verbose", "--invoke", "fib", "examples/fib.wasm", "20")
    XCTAssertEqual(second.stdout, "6765\n")
    XCTAssertTrue(second.stderr.contains("cache hit"), second.stderr)

    let stats = try swasm("cache", "stats", "--cache-dir", cache)
    XCTAssertTrue(stats.stdout.contains("entries: 1"), stats.stdout)
    XCTAssertEqual(try swasm("cache", "prune", "--cache-dir", cache, "--max-size", "1G").stdout, "removed 0 entries\n")
    XCTAssertEqual(try swasm("cache", "prune", "--cache-dir", cache, "--max-size", "0").stdout, "removed 1 entries\n")
    _ = try swasm("run", "--cache-dir", cache, "--invoke", "fib", "examples/fib.wasm", "3")
    XCTAssertEqual(try swasm("cache", "clear", "--cache-dir", cache).stdout, "removed 1 entries\n")
    XCTAssertEqual(try swasm("cache", "prune", "--cache-dir", cache, "--max-size", "lots").status, 1)
  }

  /// The first run writes the entry with nothing translated, translates what it calls and adds that to the entry
  /// (in first-call order); a run that calls nothing new leaves the entry alone; one that does adds its functions.
  func testRunsAddWhatTheyTranslateToTheEntry() throws {
    let cache = folder.appendingPathComponent("cache").path
    let module = folder.appendingPathComponent("spread.wasm")
    try Data(manyFunctionsModule(count: 60, steps: 400, startCalls: [57, 3, 31])).write(to: module)
    let run = { (arguments: [String]) in try self.swasm(["run", "--cache-dir", cache, "--verbose"] + arguments + [module.path]) }
    let miss = try run([])
    XCTAssertEqual(miss.status, 0, miss.stderr)
    XCTAssertTrue(miss.stderr.contains("cache miss"), miss.stderr)
    XCTAssertTrue(miss.stderr.contains("rewritten"), miss.stderr)
    let entry = try XCTUnwrap(entries(URL(fileURLWithPath: cache)).first)
    let entryURL = URL(fileURLWithPath: cache).appendingPathComponent(entry)
    let written = try Data(contentsOf: entryURL)
    // The same run again: every function it calls is in the entry, translated and together.
    let hit = try run([])
    XCTAssertEqual(hit.status, 0, hit.stderr)
    XCTAssertTrue(hit.stderr.contains("cache hit"), hit.stderr)
    XCTAssertFalse(hit.stderr.contains("rewritten"), hit.stderr)
    XCTAssertEqual(try Data(contentsOf: entryURL), written)
    // Another export: translated on its first call, then added.
    let other = try run(["--invoke", "f10"])
    XCTAssertEqual(other.stdout, "\(10 + 400 * 401 / 2)\n", other.stderr)
    XCTAssertTrue(other.stderr.contains("rewritten"), other.stderr)
    XCTAssertNotEqual(try Data(contentsOf: entryURL), written)
    let again = try run(["--invoke", "f10"])
    XCTAssertFalse(again.stderr.contains("rewritten"), again.stderr)
    XCTAssertEqual(entries(URL(fileURLWithPath: cache)), [entry])
  }

  /// A cache folder that cannot be made (a file is in the way): the run goes on uncached, and --verbose says the
  /// entry was not written.
  func testAFailedCacheWriteIsReportedAsFailed() throws {
    let blocker = folder.appendingPathComponent("a-file")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("x".utf8).write(to: blocker)
    let r = try swasm("run", "--cache-dir", blocker.appendingPathComponent("cache").path, "--verbose", "--invoke", "fib",
                      "examples/fib.wasm", "20")
    XCTAssertEqual(r.stdout, "6765\n", r.stderr)
    XCTAssertTrue(r.stderr.contains("the entry could NOT be written"), r.stderr)
    XCTAssertFalse(r.stderr.contains("entry written"), r.stderr)
  }

  func testCorruptedEntryIsAMissNotACrash() throws {
    let cache = folder.appendingPathComponent("cache")
    _ = try swasm("run", "--cache-dir", cache.path, "--invoke", "fib", "examples/fib.wasm", "20")
    let entry = cache.appendingPathComponent(entries(cache)[0])
    var bytes = Array(try Data(contentsOf: entry))
    for i in stride(from: 0, to: bytes.count, by: 7) { bytes[i] = ~bytes[i] }
    try Data(bytes).write(to: entry)
    let run = try swasm("run", "--cache-dir", cache.path, "--verbose", "--invoke", "fib", "examples/fib.wasm", "20")
    XCTAssertEqual(run.status, 0)
    XCTAssertEqual(run.stdout, "6765\n")
    XCTAssertTrue(run.stderr.contains("cache miss"), run.stderr)
  }

  func testCompiledBundleRunsWithoutTheWasmFiles() throws {
    let modules = folder.appendingPathComponent("modules")
    try FileManager.default.createDirectory(at: modules, withIntermediateDirectories: true)
    for name in ["preload-lib.wasm", "preload-app.wasm"] {
      try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Tests/CLITests/modules/\(name)"),
                                       to: modules.appendingPathComponent(name))
    }
    let bundle = folder.appendingPathComponent("app.swasm").path
    let compile = try swasm("compile", "lib=\(modules.path)/preload-lib.wasm", "\(modules.path)/preload-app.wasm", "-o", bundle)
    XCTAssertEqual(compile.status, 0, compile.stderr)
    try FileManager.default.removeItem(at: modules)
    let run = try swasm("run", "--invoke", "run", bundle)
    XCTAssertEqual(run.stdout, "77\n", run.stderr)

    // A damaged bundle is a one-line error, whatever the damage.
    let original = Array(try Data(contentsOf: URL(fileURLWithPath: bundle)))
    for position in stride(from: 0, to: original.count, by: max(1, original.count / 12)) {
      var damaged = original
      damaged[position] ^= 0x10
      try Data(damaged).write(to: URL(fileURLWithPath: bundle))
      let r = try swasm("run", "--invoke", "run", bundle)
      XCTAssertEqual(r.status, 1, "byte \(position): \(r.stderr)")
      XCTAssertTrue(r.stderr.hasPrefix("error: "), r.stderr)
    }
    try Data(original.prefix(original.count / 2)).write(to: URL(fileURLWithPath: bundle))
    XCTAssertEqual(try swasm("run", "--invoke", "run", bundle).status, 1)
  }

  func testWASIProgramFromABundle() throws {
    let wasm = sharedFolder.appendingPathComponent("wasi-testsuite/assemblyscript/fd_write-to-stdout.wasm")
    guard FileManager.default.fileExists(atPath: wasm.path) else { throw XCTSkip("WASI suite not found at \(sharedFolder.path)") }
    let bundle = folder.appendingPathComponent("prog.swasm").path
    XCTAssertEqual(try swasm("compile", wasm.path, "-o", bundle).status, 0)
    let direct = try swasm("run", wasm.path)
    let fromBundle = try swasm("run", "--verbose", bundle)
    XCTAssertEqual(fromBundle.status, direct.status)
    XCTAssertEqual(fromBundle.stdout, direct.stdout)
    XCTAssertFalse(direct.stdout.isEmpty)
    // --verbose times the load, and the whole start-up to the end of _start (lazy decoding included).
    XCTAssertTrue(fromBundle.stderr.contains("swasm: loaded and instantiated in "), fromBundle.stderr)
    XCTAssertTrue(fromBundle.stderr.contains("swasm: loaded, instantiated and ran _start in "), fromBundle.stderr)
  }

  /// SIMD code runs the same from a precompiled bundle and from a cache entry as translated.
  func testSIMDModuleFromABundleAndTheCache() throws {
    let wasm = "Tests/CLITests/modules/simd.wasm"
    let bundle = folder.appendingPathComponent("simd.swasm").path
    let cache = folder.appendingPathComponent("cache").path
    XCTAssertEqual(try swasm("compile", wasm, "-o", bundle).status, 0)
    for run in [["run", "--invoke", "dot", bundle], ["run", "--cache-dir", cache, "--invoke", "dot", wasm],
                ["run", "--cache-dir", cache, "--verbose", "--invoke", "dot", wasm]] {
      let r = try swasm(run)
      XCTAssertEqual(r.stdout, "120\n", "\(run): \(r.stderr)")
    }
    XCTAssertTrue(try swasm("run", "--cache-dir", cache, "--verbose", "--invoke", "dot", wasm).stderr.contains("cache hit"))
  }

  /// Several processes launching the same uncached module at once all succeed and leave one valid entry.
  func testConcurrentLaunchesLeaveOneValidEntry() throws {
    let cache = folder.appendingPathComponent("cache").path
    let group = DispatchGroup()
    final class Results: @unchecked Sendable { var items: [ProcessResult] = []; let lock = NSLock() }
    let results = Results()
    for _ in 0..<6 {
      DispatchQueue.global().async(group: group) {
        let r = try? runSwasm(["run", "--cache-dir", cache, "--invoke", "fib", "examples/fib.wasm", "25"])
        results.lock.lock()
        if let r { results.items.append(r) }
        results.lock.unlock()
      }
    }
    group.wait()
    XCTAssertEqual(results.items.count, 6)
    for r in results.items {
      XCTAssertEqual(r.status, 0, r.stderr)
      XCTAssertEqual(r.stdout, "75025\n")
    }
    XCTAssertEqual(entries(URL(fileURLWithPath: cache)).count, 1, "one entry, no temporary files left")
    let again = try swasm("run", "--cache-dir", cache, "--verbose", "--invoke", "fib", "examples/fib.wasm", "25")
    XCTAssertTrue(again.stderr.contains("cache hit"), again.stderr)
  }
}

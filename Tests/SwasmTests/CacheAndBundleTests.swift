import Foundation
import Swasm
import SwasmCache
import SwasmTestSupport
import XCTest

/// The translation cache and precompiled bundles through the embedding API.
final class CacheAndBundleTests: XCTestCase {
  let sample = packageRoot.appendingPathComponent("cache-format/vectors/sample.wasm")
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-cache-test-\(UUID())")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  /// Loads the sample through `engine`, instantiates it and checks what it computes.
  func runSample(_ engine: Engine) throws -> CacheOutcome {
    let (module, outcome) = try engine.loadModuleReportingCache(bytes: Array(try Data(contentsOf: sample)))
    let store = engine.makeStore()
    var linker = Linker(store: store)
    var logged: [Int32] = []
    linker.define("env", "log") { (_: Caller, value: Int32) in logged.append(value) }
    let instance = try linker.instantiate(module)
    let fac = try instance.function("fac")!.typed(Int64.self, returning: Int64.self)
    XCTAssertEqual(try fac(20), 2_432_902_008_176_640_000)
    let sumOfSwasm: Int32 = 115 + 119 + 97 + 115 + 109  // the data segment "swasm" at 16
    let sumBytes = try instance.function("sum_bytes")!.typed(Int32.self, returning: Int32.self)
    XCTAssertEqual(try sumBytes(21), sumOfSwasm)
    XCTAssertEqual(logged, [sumOfSwasm])
    let apply = try instance.function("apply")!.typed(Int32.self, Int64.self, returning: Int64.self)
    XCTAssertEqual(try apply(1, 12), 144)  // table slot 1 is $square
    return outcome
  }

  func entries() throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
  }

  func testSecondLoadComesFromTheCache() throws {
    let engine = Engine(configuration: EngineConfiguration(cacheFolder: folder))
    XCTAssertEqual(try runSample(engine), .miss(reason: "no entry"))
    XCTAssertEqual(try runSample(engine), .hit)
    XCTAssertEqual(try entries().count, 1)
    let mode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int
    XCTAssertEqual(mode, 0o700, "the cache folder is private to the user")
  }

  /// Code that copies a reference in a fused copy-and-branch runs from the cache too (the verifier once took the
  /// copied slot for a number and refused the entry).
  func testCachedReferenceCopyBeforeABranch() throws {
    let bytes = Array(try Data(contentsOf: packageRoot.appendingPathComponent("Tests/SwasmTests/modules/reference_copy_branch.wasm")))
    let engine = Engine(configuration: EngineConfiguration(cacheFolder: folder))
    for expected in [CacheOutcome.miss(reason: "no entry"), .hit] {
      let (module, outcome) = try engine.loadModuleReportingCache(bytes: bytes)
      XCTAssertEqual(outcome, expected)
      let instance = try Linker(store: engine.makeStore()).instantiate(module)
      XCTAssertEqual(try instance.function("main")!.invoke([]), [.i32(1)])
    }
  }

  func testOtherSettingsDoNotUseTheEntry() throws {
    _ = try runSample(Engine(configuration: EngineConfiguration(cacheFolder: folder)))
    var limits = StoreLimits()
    limits.meterFuel = true
    let metered = Engine(configuration: EngineConfiguration(limits: limits, cacheFolder: folder))
    guard case .miss = try runSample(metered) else { return XCTFail("an entry written without fuel checks was used") }
    XCTAssertEqual(try runSample(metered), .hit)
    XCTAssertEqual(try entries().count, 2, "one entry per module and settings")
  }

  func testDamagedEntryIsAMissAndIsRewritten() throws {
    let engine = Engine(configuration: EngineConfiguration(cacheFolder: folder))
    _ = try runSample(engine)
    let entry = try entries()[0]
    var bytes = Array(try Data(contentsOf: entry))
    bytes[bytes.count / 2] ^= 0x40
    try Data(bytes).write(to: entry)
    guard case .miss(let reason) = try runSample(engine) else { return XCTFail("a damaged entry was used") }
    XCTAssertTrue(reason.contains("checksum"), reason)
    XCTAssertEqual(try runSample(engine), .hit)
    try Data(bytes.prefix(100)).write(to: entry)  // truncated
    guard case .miss = try runSample(engine) else { return XCTFail("a truncated entry was used") }
  }

  /// A file loaded by path gets a source record once it is old enough; an unchanged file is then found through
  /// the record, and a changed one never is.
  func testSourceRecordsFindUnchangedFilesOnly() throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("module.wasm")
    let api = packageRoot.appendingPathComponent("Tests/SwasmTests/modules/api.wasm")
    try FileManager.default.copyItem(at: sample, to: file)
    let engine = Engine(configuration: EngineConfiguration(cacheFolder: folder.appendingPathComponent("cache")))
    let cache = TranslationCache(folder: folder.appendingPathComponent("cache"))
    func load() throws -> (exports: [String], outcome: CacheOutcome) {
      let (module, outcome) = try engine.loadModuleReportingCache(contentsOf: file.path)
      return (module.module.exports.map(\.name), outcome)
    }
    let sampleExports = try load().exports
    XCTAssertTrue(sampleExports.contains("fac"))
    XCTAssertEqual(cache.sourceRecords().count, 0, "a file changed less than 2 s ago gets no record")

    Thread.sleep(forTimeInterval: 2.1)
    XCTAssertEqual(try load().outcome, .hit)
    XCTAssertEqual(cache.sourceRecords().count, 1)
    XCTAssertEqual(try load().exports, sampleExports)

    // Another module in the same file: the record no longer matches; the new module is translated and used.
    try Data(try Data(contentsOf: api)).write(to: file)
    let (apiExports, outcome) = try load()
    XCTAssertEqual(outcome, .miss(reason: "no entry"))
    XCTAssertTrue(apiExports.contains("greet") && !apiExports.contains("fac"), "\(apiExports)")

    // A damaged record is ignored.
    Thread.sleep(forTimeInterval: 2.1)
    XCTAssertEqual(try load().outcome, .hit)  // rewrites the record for the new contents
    let record = cache.sourceRecords()[0]
    var bytes = Array(try Data(contentsOf: record))
    bytes[70] ^= 1  // a bit of the key
    try Data(bytes).write(to: record)
    let afterDamage = try load()
    XCTAssertEqual(afterDamage.exports, apiExports)
    XCTAssertEqual(afterDamage.outcome, .hit)
    XCTAssertEqual(Array(try Data(contentsOf: cache.sourceRecords()[0])).count, bytes.count)
    XCTAssertEqual(cache.clear(), 2)
    XCTAssertEqual(cache.sourceRecords().count, 0)
    // Loading from a file URL goes the same way: it writes the record (the file is old enough by now).
    XCTAssertEqual(try engine.loadModule(contentsOf: file).module.exports.map(\.name), apiExports)
    XCTAssertEqual(cache.sourceRecords().count, 1)
  }

  /// A precompiled module's names are decompressed only when a trap names its functions: not to load,
  /// instantiate and run it, nor when a host function ends the run with an error of its own (as WASI's exit does).
  func testNamesAreReadOnlyForTraps() throws {
    struct Exit: Error {}
    let sample = Array(try Data(contentsOf: packageRoot.appendingPathComponent("cache-format/vectors/sample.wasm")))
    let engine = Engine()
    let module = try engine.loadBundle(bytes: try engine.compileBundle([("sample", sample)])).members[0].module
    XCTAssertFalse(module.module.nameSection.wasRead)
    final class Failure: @unchecked Sendable { var error: Error? }
    let failure = Failure()
    var linker = Linker(store: engine.makeStore())
    linker.define("env", "log") { (_: Caller, _: Int32) in if let error = failure.error { throw error } }
    let instance = try linker.instantiate(module)
    let sumBytes = try instance.function("sum_bytes")!.typed(Int32.self, returning: Int32.self)
    XCTAssertEqual(try sumBytes(5), 0)
    failure.error = Exit()
    XCTAssertThrowsError(try sumBytes(5)) { XCTAssertTrue($0 is Exit, "\($0)") }
    XCTAssertFalse(module.module.nameSection.wasRead, "names read without a trap")
    failure.error = Trap(.hostTrap, message: "stop")
    XCTAssertThrowsError(try sumBytes(5)) { error in
      XCTAssertEqual((error as? Trap)?.backtrace.first, "sum_bytes", "\(error)")
    }
    XCTAssertTrue(module.module.nameSection.wasRead)
  }

  /// Translation on first call does not decode the name section to translate a function (CPython's is 14 MB:
  /// decoding it was a twentieth of a cold start).
  func testTranslationOnFirstCallReadsNoNames() throws {
    let sample = Array(try Data(contentsOf: packageRoot.appendingPathComponent("cache-format/vectors/sample.wasm")))
    let engine = Engine()
    let module = try engine.loadModule(bytes: sample)  // no cache: each function translated on its first call
    var linker = Linker(store: engine.makeStore())
    linker.define("env", "log") { (_: Caller, _: Int32) in }
    let instance = try linker.instantiate(module)
    XCTAssertEqual(try instance.function("sum_bytes")!.typed(Int32.self, returning: Int32.self)(5), 0)
    XCTAssertFalse(module.module.nameSection.wasRead, "names read to translate")
  }

  func testBundleRunsWithoutTheWasmFiles() throws {
    let modules = packageRoot.appendingPathComponent("Tests/CLITests/modules")
    let engine = Engine()
    let bundle = try engine.compileBundle([
      ("lib", Array(try Data(contentsOf: modules.appendingPathComponent("preload-lib.wasm")))),
      ("app", Array(try Data(contentsOf: modules.appendingPathComponent("preload-app.wasm")))),
    ])
    XCTAssertTrue(PrecompiledBundle.isPrecompiled(bundle))
    let loaded = try engine.loadBundle(bytes: bundle)
    XCTAssertEqual(loaded.members.map(\.name), ["lib", "app"])
    XCTAssertEqual(loaded.members[1].wiring.map(\.importModule), ["lib"])
    let instances = try Linker(store: engine.makeStore()).instantiate(loaded)
    let run = try instances[1].function("run")!.typed(returning: Int32.self)
    XCTAssertEqual(try run(), 77)

    var limits = StoreLimits()
    limits.meterFuel = true
    XCTAssertThrowsError(try Engine(configuration: EngineConfiguration(limits: limits)).loadBundle(bytes: bundle)) {
      XCTAssertTrue("\($0)".contains("compiled without fuel checks"), "the setting that differs is named: \($0)")
    }
  }
}

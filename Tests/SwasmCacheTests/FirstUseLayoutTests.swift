import Foundation
@testable import SwasmCache
import SwasmBytecode
import SwasmTestSupport
import SwasmTranslator
import WasmBinary
import XCTest

/// A cache entry rewritten after a run so that the functions the run called come first (fewer code groups for
/// the next start to decompress).
final class FirstUseLayoutTests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-layout-test-\(UUID())")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  /// For each function of the entry: (group, start) and its code slots.
  func layout(of bytes: [UInt8], id: TranslationCache.EntryID) throws -> [(group: Int, start: Int, code: [UInt64])] {
    let file = try CacheFile(bytes: bytes, expectedFingerprint: id.fingerprint, expectedKey: id.key)
    let groups = try file.members[0].groups.indices.map { try file.groupSlots(member: 0, group: $0) }
    return file.members[0].functions.map { r in (r.group, r.start, Array(groups[r.group][r.start..<(r.start + r.slots)])) }
  }

  /// A module of 60 functions spanning many code groups, its entry written to the cache folder.
  func storeSpreadModule() throws -> (TranslationCache, TranslationCache.EntryID) {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (module, functions) = try translate(bytes)
    let cache = TranslationCache(folder: folder)
    let id = TranslationCache.EntryID(moduleBytes: bytes, options: TranslationOptions())
    try cache.store(id, module: module, functions: functions)
    return (cache, id)
  }

  func testEntryIsRewrittenWithTheCalledFunctionsFirst() throws {
    let (cache, id) = try storeSpreadModule()
    let url = cache.entryURL(key: id.key)
    let before = try layout(of: Array(try Data(contentsOf: url)), id: id)
    XCTAssertGreaterThan(Set(before.map { $0.group }).count, 8, "the module should span many code groups")

    // A run that calls three functions far apart, then one of them again.
    let called = [57, 3, 31]
    let stored = try cache.load(id)
    for i in called + [3] { _ = try stored.code.function(i) }
    XCTAssertTrue(stored.code.rewriteEntryInFirstUseOrder())

    let after = try layout(of: Array(try Data(contentsOf: url)), id: id)
    XCTAssertEqual(after.count, before.count)
    for i in before.indices { XCTAssertEqual(after[i].code, before[i].code, "function \(i) changed") }
    var start = 0
    for i in called {
      XCTAssertEqual(after[i].group, 0, "function \(i)")
      XCTAssertEqual(after[i].start, start, "function \(i)")
      start += after[i].code.count
    }
    // The rest follow by index.
    let rest: [Int] = (0..<60).filter { !called.contains($0) }.map { after[$0].group * 1_000_000 + after[$0].start }
    XCTAssertEqual(rest, rest.sorted())

    // The same run again finds its functions together: no second rewrite; the code still verifies.
    let again = try cache.load(id)
    for i in called { _ = try again.code.function(i) }
    XCTAssertFalse(again.code.rewriteEntryInFirstUseOrder())
    try again.code.verifyAll()
  }

  /// `leadingLevel` compresses the groups holding the leading functions at their own level (what every start
  /// decompresses); the other groups keep `level`, and the declarations `Zstd.declarationsFrame`. The code reads
  /// back the same either way.
  func testLeadingGroupsTakeTheirOwnLevel() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (module, functions) = try translate(bytes)
    let member = CacheMember(name: "m", moduleBytesWithoutCode: module.bytesWithoutCode, functions: functions,
                             leadingFunctions: [57, 3, 31])
    func encoded(leadingLevel: Int32?) throws -> CacheFile {
      try CacheFile(bytes: CacheFileWriter.encode(members: [member], fingerprint: vectorFingerprint, key: vectorFingerprint,
                                                  bundle: true, level: 1, leadingLevel: leadingLevel),
                    expectedFingerprint: vectorFingerprint)
    }
    let plain = try encoded(leadingLevel: nil), leading = try encoded(leadingLevel: 19)
    let groups = plain.members[0].groups, leadingGroups = leading.members[0].groups
    XCTAssertEqual(groups.map(\.slots), leadingGroups.map(\.slots))
    XCTAssertGreaterThan(groups.count, 8)
    // The three leading functions fit in group 0: only it changes.
    XCTAssertLessThan(leadingGroups[0].blob.size, groups[0].blob.size)
    for g in groups.indices.dropFirst() { XCTAssertEqual(leadingGroups[g].blob.size, groups[g].blob.size, "group \(g)") }
    let declarations = module.bytesWithoutCode.withUnsafeBytes { Zstd.declarationsFrame($0) }
    XCTAssertEqual(leading.members[0].module.size, declarations.count)
    XCTAssertEqual(plain.members[0].module.size, declarations.count)
    XCTAssertEqual(try leading.moduleBytes(of: 0), module.bytesWithoutCode)
    for g in groups.indices { XCTAssertEqual(try leading.groupSlots(member: 0, group: g), try plain.groupSlots(member: 0, group: g)) }
  }

  func testFewFunctionsTogetherLeaveTheEntryAlone() throws {
    let (cache, id) = try storeSpreadModule()
    let original = try Data(contentsOf: cache.entryURL(key: id.key))
    let stored = try cache.load(id)
    for i in 0..<4 { _ = try stored.code.function(i) }  // neighbours, in the first group or two
    XCTAssertFalse(stored.code.rewriteEntryInFirstUseOrder())
    XCTAssertEqual(try Data(contentsOf: cache.entryURL(key: id.key)), original)
  }

  func testAModuleNotFromTheCacheIsNeverRewritten() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (module, functions) = try translate(bytes)
    let file = try CacheFile(
      bytes: CacheFileWriter.encode(members: [CacheMember(name: "m", moduleBytesWithoutCode: module.bytesWithoutCode, functions: functions)],
                                    fingerprint: vectorFingerprint, key: vectorFingerprint, bundle: true),
      expectedFingerprint: vectorFingerprint)
    let stored = try file.storedModule(0)
    for i in [57, 3, 31] { _ = try stored.code.function(i) }
    XCTAssertFalse(stored.code.rewriteEntryInFirstUseOrder())
  }
}

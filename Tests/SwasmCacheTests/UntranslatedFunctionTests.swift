import Foundation
@testable import SwasmCache
import SwasmBytecode
import SwasmTestSupport
import SwasmTranslator
import WasmBinary
import XCTest

/// Cache entries that hold functions untranslated (their module's code section beside the declarations): each is
/// validated and translated on first use, exactly as the translator translates it, and added to the entry when
/// it is rewritten. The code section is as untrusted as the rest of the file.
final class UntranslatedFunctionTests: XCTestCase {
  var folder: URL!
  let options = TranslationOptions()

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-untranslated-test-\(UUID())")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  /// The entry of `bytes` with nothing translated.
  func storeUntranslated(_ bytes: [UInt8]) throws -> (TranslationCache, TranslationCache.EntryID) {
    let cache = TranslationCache(folder: folder)
    let id = TranslationCache.EntryID(moduleBytes: bytes, options: options)
    try cache.storeUntranslated(id, module: try Module(bytes: bytes))
    return (cache, id)
  }

  func testFunctionsAreTranslatedOnFirstUseAsTheTranslatorDoes() throws {
    let bytes = try sampleModuleBytes()
    let (_, translated) = try translate(bytes)
    let (cache, id) = try storeUntranslated(bytes)
    let stored = try cache.load(id, options: options)
    XCTAssertNil(stored.code.frameSize(ofFunction: 0), "unknown until translated")
    for i in translated.indices {
      let function = try stored.code.function(i)
      XCTAssertEqual(function.code, translated[i].code, "function \(i)")
      XCTAssertEqual(function.frameSize, translated[i].frameSize)
    }
    // Without the settings to translate with, such an entry is refused.
    XCTAssertThrowsError(try cache.load(id))
  }

  func testARewriteAddsTheTranslationsAndKeepsTheRest() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (cache, id) = try storeUntranslated(bytes)
    let first = try cache.load(id, options: options)
    XCTAssertFalse(first.code.rewriteEntryInFirstUseOrder(), "nothing translated: nothing to add")
    _ = try first.code.function(42)
    _ = try first.code.function(7)
    XCTAssertTrue(first.code.rewriteEntryInFirstUseOrder())
    let file = try CacheFile(contentsOfFile: cache.entryPath(key: id.key), expectedFingerprint: id.fingerprint)!
    let untranslated = file.members[0].functions.indices.filter { file.members[0].functions[$0].isUntranslated }
    XCTAssertEqual(untranslated.count, 58)
    XCTAssertFalse(untranslated.contains(42) || untranslated.contains(7))
    let second = try cache.load(id, options: options)
    XCTAssertNotNil(second.code.frameSize(ofFunction: 42))
    XCTAssertEqual(try second.code.function(42).code, try translate(bytes).1[42].code)
    XCTAssertFalse(second.code.rewriteEntryInFirstUseOrder(), "nothing new")
  }

  /// A rewrite copies the compressed declarations, names and code section as they are (compressing a large
  /// module's code again cost half a second), and refuses to when the file changed in place since it was loaded.
  func testARewriteCopiesTheCompressedPartsAndChecksThemFirst() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (cache, id) = try storeUntranslated(bytes)
    let path = cache.entryPath(key: id.key)
    let before = try CacheFile(contentsOfFile: path, expectedFingerprint: id.fingerprint)!.reusableParts(of: 0)
    let first = try cache.load(id, options: options)
    _ = try first.code.function(3)
    XCTAssertTrue(first.code.rewriteEntryInFirstUseOrder())
    let after = try CacheFile(contentsOfFile: path, expectedFingerprint: id.fingerprint)!.reusableParts(of: 0)
    XCTAssertEqual(after.declarations.frame, before.declarations.frame)
    XCTAssertEqual(after.codeSection?.frame, before.codeSection?.frame)
    XCTAssertEqual(after.codeSection?.size, before.codeSection?.size)

    // The entry written over in place (not replaced) after loading: its checksum no longer matches.
    let second = try cache.load(id, options: options)
    _ = try second.code.function(5)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seek(toOffset: UInt64(CacheFileLayout.headerSize + 40))
    try handle.write(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
    try handle.close()
    XCTAssertFalse(second.code.rewriteEntryInFirstUseOrder())
  }

  /// A code section that decodes but whose body does not validate, forged into an entry with a correct
  /// checksum: the function is refused when first used, like damaged code; the others still translate.
  func testAForgedBodyIsRefusedNotRun() throws {
    // Two functions () -> i32: the first returns 1; the second is forged to return an i64.
    var builder = ModuleBuilder()
    let type = builder.type([], [.i32])
    builder.function(type, export: "good", body: [0x41, 1, 0x0B])
    builder.function(type, export: "bad", body: [0x41, 2, 0x0B])
    let module = try Module(bytes: builder.bytes)
    var section = try XCTUnwrap(module.codeSection)
    let at = try XCTUnwrap(section.lastIndex(of: 0x41))
    section[at] = 0x42  // i64.const 2: valid bytes, an invalid function
    let id = TranslationCache.EntryID(moduleBytes: builder.bytes, options: options)
    let bytes = CacheFileWriter.encode(
      members: [CacheMember(name: "forged", moduleBytesWithoutCode: module.bytesWithoutCode, functions: [nil, nil],
                            codeSection: section)],
      fingerprint: id.fingerprint, key: id.key, bundle: false)
    let stored = try CacheFile(bytes: bytes, expectedFingerprint: id.fingerprint).storedModule(0, options: options)
    XCTAssertNoThrow(try stored.code.function(0))
    XCTAssertThrowsError(try stored.code.function(1)) { XCTAssertTrue($0 is CacheFileError, "\($0)") }
    // A code section that does not decode at all.
    let garbage = CacheFileWriter.encode(
      members: [CacheMember(name: "garbage", moduleBytesWithoutCode: module.bytesWithoutCode, functions: [nil, nil],
                            codeSection: [10, 3, 9, 9, 9])],
      fingerprint: id.fingerprint, key: id.key, bundle: false)
    let damaged = try CacheFile(bytes: garbage, expectedFingerprint: id.fingerprint).storedModule(0, options: options)
    XCTAssertThrowsError(try damaged.code.function(0))
  }
}

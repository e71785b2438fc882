import Foundation
@testable import SwasmCache
import SwasmBytecode
import SwasmTestSupport
import SwasmTranslator
import WasmBinary
import XCTest

/// Cache entries that hold functions untranslated (their module's code section beside the declarations): each is
/// validated and translated on first use, exactly as the translator translates it, and added to the entry when
/// it is rewritten. The code section, kept in chunks, is as untrusted as the rest of the file.
final class UntranslatedFunctionTests: XCTestCase {
  var folder: URL!
  let options = TranslationOptions()

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-untranslated-test-\(UUID())")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  /// The entry of `bytes` with nothing translated, its code in chunks of about `chunkBytes`.
  func storeUntranslated(_ bytes: [UInt8], chunkBytes: Int = CacheFileLayout.codeChunkBytes) throws -> (TranslationCache, TranslationCache.EntryID) {
    var cache = TranslationCache(folder: folder)
    cache.codeChunkBytes = chunkBytes
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

  /// A rewrite copies the compressed declarations, names and code chunks as they are (compressing a large
  /// module's code again cost half a second); one that only adds translations keeps the entry's code groups as they
  /// are and appends the new ones; neither writes from a file changed in place since it was loaded.
  func testARewriteCopiesWhatItKeepsCompressedAndChecksItFirst() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (cache, id) = try storeUntranslated(bytes)
    let path = cache.entryPath(key: id.key)
    func parts() throws -> (parts: CacheMember.CompressedParts, groups: [CacheMember.CompressedPart]) {
      try CacheFile(contentsOfFile: path, expectedFingerprint: id.fingerprint)!.reusableParts(of: 0, groups: true)
    }
    let untranslated = try parts()
    let first = try cache.load(id, options: options)
    _ = try first.code.function(3)
    XCTAssertTrue(first.code.rewriteEntryInFirstUseOrder())
    let afterFirst = try parts()
    XCTAssertEqual(afterFirst.parts.declarations.frame, untranslated.parts.declarations.frame)
    XCTAssertEqual(afterFirst.parts.codeChunks.map(\.part.frame), untranslated.parts.codeChunks.map(\.part.frame))
    XCTAssertEqual(afterFirst.parts.codeChunks.map(\.part.size), untranslated.parts.codeChunks.map(\.part.size))
    XCTAssertEqual(afterFirst.groups.count, 1)

    // A second run calls function 3 (stored) and translates 5 and 9: they are appended after the kept group.
    let second = try cache.load(id, options: options)
    _ = try second.code.function(3)
    _ = try second.code.function(9)
    _ = try second.code.function(5)
    XCTAssertTrue(second.code.rewriteEntryInFirstUseOrder())
    let afterSecond = try parts()
    XCTAssertGreaterThan(afterSecond.groups.count, 1)
    XCTAssertEqual(afterSecond.groups[0].frame, afterFirst.groups[0].frame)
    let file = try CacheFile(contentsOfFile: path, expectedFingerprint: id.fingerprint)!
    let records = file.members[0].functions
    XCTAssertEqual(records[3].group, 0)
    XCTAssertGreaterThan(records[9].group, 0)
    XCTAssertTrue((records[9].group, records[9].start) < (records[5].group, records[5].start), "in first-call order")
    let third = try cache.load(id, options: options)
    let reference = try translate(bytes).1
    for i in [3, 5, 9] { XCTAssertEqual(try third.code.function(i).code, reference[i].code, "function \(i)") }
    XCTAssertFalse(third.code.rewriteEntryInFirstUseOrder(), "nothing new")

    // The entry written over in place (not replaced) after loading: its checksum no longer matches.
    let fourth = try cache.load(id, options: options)
    _ = try fourth.code.function(7)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seek(toOffset: UInt64(CacheFileLayout.headerSize + 40))
    try handle.write(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
    try handle.close()
    XCTAssertFalse(fourth.code.rewriteEntryInFirstUseOrder())
  }

  /// An append copies the entry's code groups unverified, as they are: a forged function in them (an entry with a
  /// correct checksum) is still refused on the next load, while the functions the run added verify and run.
  func testAForgedFunctionKeptByAnAppendIsStillRefused() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (module, reference) = try translate(bytes)
    let (cache, id) = try storeUntranslated(bytes)
    var forged = reference[3]
    forged.code = forged.code.map { _ in 0xFFFF }  // no such opcode
    let functions: [CompiledFunction?] = reference.indices.map { $0 == 3 ? forged : nil }
    let entry = CacheFileWriter.encode(
      members: [CacheMember(name: "forged", moduleBytesWithoutCode: module.bytesWithoutCode, functions: functions,
                            codeSection: module.codeSection)],
      fingerprint: id.fingerprint, key: id.key, bundle: false, level: 3)
    try TranslationCache.writeAtomically(entry, toPath: cache.entryPath(key: id.key))
    let first = try cache.load(id, options: options)
    XCTAssertThrowsError(try first.code.function(3))
    _ = try first.code.function(8)
    XCTAssertTrue(first.code.rewriteEntryInFirstUseOrder())
    let second = try cache.load(id, options: options)
    XCTAssertThrowsError(try second.code.function(3), "the forged function was kept as it was, and is refused again")
    XCTAssertEqual(try second.code.function(8).code, reference[8].code)
  }

  /// Right after a miss wrote the entry from a module validated in memory, functions are translated from that
  /// module: the entry's code chunks are not decompressed (here: damaged after loading, unnoticed),
  /// and the translations are those of the translator, added to the entry by the rewrite as usual.
  func testAfterAMissFunctionsAreTranslatedFromTheModuleInMemory() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (cache, id) = try storeUntranslated(bytes)
    let stored = try cache.load(id, options: options)
    stored.code.translateFromValidatedModule(try Module(bytes: bytes))
    let path = cache.entryPath(key: id.key)
    let file = try CacheFile(contentsOfFile: path, expectedFingerprint: id.fingerprint)!
    let codeFrame = try XCTUnwrap(file.members[0].codeChunks.first).blob
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seek(toOffset: UInt64(CacheFileLayout.headerSize + codeFrame.offset + codeFrame.size / 2))
    try handle.write(contentsOf: [UInt8](repeating: 0xA5, count: 64))
    try handle.close()
    let reference = try translate(bytes).1
    for i in [0, 17, 59] { XCTAssertEqual(try stored.code.function(i).code, reference[i].code, "function \(i)") }
    XCTAssertFalse(stored.code.rewriteEntryInFirstUseOrder(), "the entry changed in place since it was loaded")
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

  /// Functions are translated from the chunk that holds them: a damaged chunk (in an entry with a correct
  /// checksum) refuses its own functions only.
  /// A cache miss cuts the chunks straight from the module's bytes: the same chunks as from a copy of the section.
  func testChunksCutInPlaceEqualThoseOfTheSection() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let module = try Module(bytes: bytes)
    let range = try XCTUnwrap(module.codeSectionRange)
    let inPlace = CodeChunk.chunks(in: module.bytes, codeSection: range, functionCount: 60, chunkBytes: 16 << 10)
    let fromCopy = CodeChunk.chunks(ofCodeSection: Array(bytes[range]), functionCount: 60, chunkBytes: 16 << 10)
    XCTAssertGreaterThan(inPlace.count, 4)
    XCTAssertEqual(inPlace.map(\.firstFunction), fromCopy.map(\.firstFunction))
    XCTAssertEqual(inPlace.map(\.entries), fromCopy.map(\.entries))
    // A section whose entries cannot be found: one chunk, the section as it is (refused when first used).
    let truncated = range.lowerBound..<(range.upperBound - 1)
    XCTAssertEqual(CodeChunk.chunks(in: module.bytes, codeSection: truncated, functionCount: 60).map(\.entries),
                   [Array(bytes[truncated])])
  }

  func testAFunctionIsReadFromItsOwnChunk() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (module, reference) = try translate(bytes)
    var chunks = CodeChunk.chunks(ofCodeSection: try XCTUnwrap(module.codeSection), functionCount: 60, chunkBytes: 16 << 10)
    XCTAssertGreaterThan(chunks.count, 4)
    XCTAssertEqual(chunks.map(\.functionCount).reduce(0, +), 60)
    XCTAssertTrue(chunks.dropLast().allSatisfy { $0.entries.count >= 16 << 10 })
    let damaged = chunks[2].functions
    chunks[2].entries = Array(chunks[2].entries.reversed())
    let id = TranslationCache.EntryID(moduleBytes: bytes, options: options)
    let entry = CacheFileWriter.encode(
      members: [CacheMember(name: "chunks", moduleBytesWithoutCode: module.bytesWithoutCode,
                            functions: Array(repeating: nil, count: 60), codeChunks: chunks)],
      fingerprint: id.fingerprint, key: id.key, bundle: false)
    let stored = try CacheFile(bytes: entry, expectedFingerprint: id.fingerprint).storedModule(0, options: options)
    for i in [0, damaged.lowerBound - 1, damaged.upperBound, 59] {
      XCTAssertEqual(try stored.code.function(i).code, reference[i].code, "function \(i)")
    }
    for i in damaged { XCTAssertThrowsError(try stored.code.function(i)) { XCTAssertTrue($0 is CacheFileError, "\($0)") } }
  }

  /// A rewrite keeps the chunks that still hold a function not translated, and drops the others; once every
  /// function is translated, the entry holds no code section at all.
  func testARewriteDropsTheChunksOfTranslatedFunctions() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (cache, id) = try storeUntranslated(bytes, chunkBytes: 16 << 10)
    func chunks() throws -> [CacheFile.ChunkRecord] {
      try CacheFile(contentsOfFile: cache.entryPath(key: id.key), expectedFingerprint: id.fingerprint)!.members[0].codeChunks
    }
    let before = try chunks()
    XCTAssertGreaterThan(before.count, 4)
    let first = try cache.load(id, options: options)
    for i in before[0].functions { _ = try first.code.function(i) }
    _ = try first.code.function(before[1].firstFunction)
    XCTAssertTrue(first.code.rewriteEntryInFirstUseOrder())
    XCTAssertEqual(try chunks().map(\.functions), before.dropFirst().map(\.functions))

    let second = try cache.load(id, options: options)
    let reference = try translate(bytes).1
    for i in 0..<60 { XCTAssertEqual(try second.code.function(i).code, reference[i].code, "function \(i)") }
    XCTAssertTrue(second.code.rewriteEntryInFirstUseOrder())
    XCTAssertEqual(try chunks().count, 0)
    let third = try cache.load(id)  // nothing left to translate: no settings needed
    for i in [0, 30, 59] { XCTAssertEqual(try third.code.function(i).code, reference[i].code, "function \(i)") }
  }

  /// The index must give every function not translated yet a chunk, and list chunks in order without overlap:
  /// entries (with correct checksums) whose chunk records leave a gap or overlap are refused when loaded.
  func testChunkRecordsThatLeaveAFunctionWithoutCodeAreRefused() throws {
    let bytes = manyFunctionsModule(count: 60, steps: 400)
    let (cache, id) = try storeUntranslated(bytes, chunkBytes: 16 << 10)
    let path = cache.entryPath(key: id.key)
    let entry = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let file = try CacheFile(bytes: entry, expectedFingerprint: id.fingerprint)
    let chunk1 = file.members[0].codeChunks[1]
    // The second chunk's record: u32 firstFunction, u32 functionCount, ... (cache-format/SPEC.md).
    let recordAt = try XCTUnwrap(recordOffset(of: chunk1, in: entry))
    func forged(firstFunction: Int, functionCount: Int) -> [UInt8] {
      var bytes = entry
      bytes.withUnsafeMutableBytes {
        $0.storeBytes(of: UInt32(firstFunction).littleEndian, toByteOffset: recordAt, as: UInt32.self)
        $0.storeBytes(of: UInt32(functionCount).littleEndian, toByteOffset: recordAt + 4, as: UInt32.self)
      }
      let payload = Array(bytes[CacheFileLayout.headerSize...])
      let sum = checksum(headerPrefix: Array(bytes[0..<(CacheFileLayout.headerSize - 8)]), payload: payload)
      bytes.withUnsafeMutableBytes { $0.storeBytes(of: sum.littleEndian, toByteOffset: CacheFileLayout.headerSize - 8, as: UInt64.self) }
      return bytes
    }
    XCTAssertNoThrow(try CacheFile(bytes: forged(firstFunction: chunk1.firstFunction, functionCount: chunk1.functionCount),
                                   expectedFingerprint: id.fingerprint), "unchanged")
    let gap = forged(firstFunction: chunk1.firstFunction + 1, functionCount: chunk1.functionCount - 1)
    XCTAssertThrowsError(try CacheFile(bytes: gap, expectedFingerprint: id.fingerprint))
    let overlap = forged(firstFunction: chunk1.firstFunction - 1, functionCount: chunk1.functionCount + 1)
    XCTAssertThrowsError(try CacheFile(bytes: overlap, expectedFingerprint: id.fingerprint))
    let beyond = forged(firstFunction: chunk1.firstFunction, functionCount: 61)
    XCTAssertThrowsError(try CacheFile(bytes: beyond, expectedFingerprint: id.fingerprint))
  }

  /// Where `chunk`'s record lies in `entry`: the 24 bytes before its frame's offset field end it.
  private func recordOffset(of chunk: CacheFile.ChunkRecord, in entry: [UInt8]) -> Int? {
    var offset = withUnsafeBytes(of: UInt64(chunk.blob.offset).littleEndian) { Array($0) }
    offset = withUnsafeBytes(of: UInt32(chunk.firstFunction).littleEndian) { Array($0) }
      + withUnsafeBytes(of: UInt32(chunk.functionCount).littleEndian) { Array($0) }
      + withUnsafeBytes(of: UInt32(chunk.size).littleEndian) { Array($0) }
      + withUnsafeBytes(of: UInt32(chunk.blob.size).littleEndian) { Array($0) } + offset
    return (CacheFileLayout.headerSize..<(entry.count - offset.count)).first { Array(entry[$0..<($0 + offset.count)]) == offset }
  }
}

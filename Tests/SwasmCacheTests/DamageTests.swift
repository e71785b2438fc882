import Foundation
import SwasmBytecode
import SwasmCache
import SwasmTranslator
import WasmBinary
import XCTest

/// Every kind of damage to a cache file is detected before anything runs.
final class DamageTests: XCTestCase {
  func testEverySingleByteChangeIsDetected() throws {
    let file = try encodeSample()
    var checked = 0
    for position in file.indices {
      var damaged = file
      for delta in 1...255 {
        damaged[position] = file[position] &+ UInt8(delta)
        XCTAssertThrowsError(try CacheFile(bytes: damaged, expectedFingerprint: vectorFingerprint),
                             "byte \(position) changed by \(delta) was not detected")
        checked += 1
      }
    }
    print("cache damage: \(checked) single-byte changes of a \(file.count)-byte file, all detected")
  }

  func testEveryTruncationIsDetected() throws {
    let file = try encodeSample()
    for length in 0..<file.count {
      XCTAssertThrowsError(try CacheFile(bytes: Array(file[0..<length]), expectedFingerprint: vectorFingerprint))
    }
    XCTAssertThrowsError(try CacheFile(bytes: file + [0], expectedFingerprint: vectorFingerprint))
  }

  func testWrongVersionKeyAndSettingsAreRefused() throws {
    let file = try encodeSample()
    var otherVersion = file
    otherVersion[8] = UInt8(CacheIdentity.formatVersion) &+ 1
    XCTAssertThrowsError(try CacheFile(bytes: otherVersion, expectedFingerprint: vectorFingerprint)) {
      XCTAssertTrue("\($0)".contains("version"), "\($0)")
    }
    XCTAssertThrowsError(try CacheFile(bytes: file, expectedFingerprint: vectorFingerprint,
                                       expectedKey: [UInt8](repeating: 7, count: 32))) {
      XCTAssertTrue("\($0)".contains("key"), "\($0)")
    }
    // Written by an engine with other settings: the fingerprints differ.
    XCTAssertNotEqual(CacheIdentity.fingerprint(options: TranslationOptions(meterFuel: true)),
                      CacheIdentity.fingerprint(options: TranslationOptions(meterFuel: false)))
    XCTAssertThrowsError(try CacheFile(bytes: file, expectedFingerprint: CacheIdentity.fingerprint(options: TranslationOptions())))
  }

  /// A forger can write a correct checksum: then the verifier stands between the file and the interpreter.
  /// Every single-byte change to the code slots of the sample (re-encoded with a valid checksum) is either
  /// rejected by the verifier or leaves code that passes every check; none may crash the loader.
  func testForgedCodeChangesAreVerified() throws {
    let bytes = try sampleModuleBytes()
    let (module, functions) = try translate(bytes)
    var rejected = 0, accepted = 0
    for (f, function) in functions.enumerated() {
      for slot in function.code.indices {
        for byte in 0..<8 {
          var forged = functions
          forged[f].code[slot] ^= UInt64(0xFF) << UInt64(byte * 8)
          let file = CacheFileWriter.encode(
            members: [CacheMember(name: "forged", moduleBytesWithoutCode: module.bytesWithoutCode, functions: forged)],
            fingerprint: vectorFingerprint, key: vectorFingerprint, bundle: false, level: 1)
          let stored = try CacheFile(bytes: file, expectedFingerprint: vectorFingerprint).storedModule(0)
          if (try? stored.code.function(f)) == nil { rejected += 1 } else { accepted += 1 }
        }
      }
    }
    print("forged code: \(rejected + accepted) changes, \(rejected) rejected by the verifier, \(accepted) still well-formed")
    XCTAssertGreaterThan(rejected, accepted)
  }

  /// The `name` sections are decompressed only when a message needs a name: a forged frame there (with a correct
  /// checksum) leaves the module loadable and runnable, without names.
  func testForgedNameSectionsGiveNoNamesNotAFailure() throws {
    let (module, functions) = try translate(try sampleModuleBytes())
    var file = CacheFileWriter.encode(
      members: [CacheMember(name: "sample", moduleBytesWithoutCode: module.bytesWithoutCode, functions: functions)],
      fingerprint: vectorFingerprint, key: vectorFingerprint, bundle: false, level: 1)
    // The second zstd frame is the name sections' (after the declarations'); its content size is made wrong.
    let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
    let frames = (96..<(file.count - 4)).filter { Array(file[$0..<($0 + 4)]) == magic }
    XCTAssertGreaterThanOrEqual(frames.count, 3, "declarations, names and code frames")
    file[frames[1] + 5] &+= 1
    let checksum = file[96...].withUnsafeBytes { xxh3($0, seed: xxh3(Array(file[0..<88]))) }
    withUnsafeBytes(of: checksum.littleEndian) { file.replaceSubrange(88..<96, with: $0) }

    let stored = try CacheFile(bytes: file, expectedFingerprint: vectorFingerprint).storedModule(0)
    XCTAssertFalse(module.names.functionNames.isEmpty)
    XCTAssertEqual(stored.module.names.functionNames, [:])
    for f in functions.indices { XCTAssertNoThrow(try stored.code.function(f)) }

    // The index says there are no names but keeps their frame's place (namesSize, at payload offset 34 for a
    // member named "sample"): refused.
    var noNames = file
    noNames.replaceSubrange(130..<134, with: [0, 0, 0, 0])
    let noNamesChecksum = noNames[96...].withUnsafeBytes { xxh3($0, seed: xxh3(Array(noNames[0..<88]))) }
    withUnsafeBytes(of: noNamesChecksum.littleEndian) { noNames.replaceSubrange(88..<96, with: $0) }
    XCTAssertThrowsError(try CacheFile(bytes: noNames, expectedFingerprint: vectorFingerprint)) {
      XCTAssertTrue("\($0)".contains("name sections"), "\($0)")
    }
  }

  /// A file is mapped, not read, and its code groups are decompressed from the mapping when first called. Another
  /// process may truncate the file in place in between: reading the lost pages must give an error (for a cache
  /// entry, a trap of the damaged function), never the SIGBUS that kills the process.
  func testFileTruncatedWhileMappedGivesErrorsNotACrash() throws {
    let bytes = try sampleModuleBytes()
    let (module, functions) = try translate(bytes)
    // 64 KiB of incompressible bytes in a custom section put the code groups far past the first pages.
    var noise = SystemRandomNumberGenerator()
    let payload = [UInt8(4)] + Array("pad!".utf8) + (0..<65536).map { _ in UInt8.random(in: 0...255, using: &noise) }
    let padding: [UInt8] = [0] + leb128(payload.count) + payload
    let file = CacheFileWriter.encode(
      members: [CacheMember(name: "padded", moduleBytesWithoutCode: module.bytesWithoutCode + padding, functions: functions)],
      fingerprint: vectorFingerprint, key: vectorFingerprint, bundle: false, level: 1)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-mapped-\(getpid()).swasmc").path
    defer { unlink(path) }
    XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(file)))
    guard let mapped = try CacheFile(contentsOfFile: path, expectedFingerprint: vectorFingerprint) else {
      return XCTFail("cannot open \(path)")
    }
    let stored = try mapped.storedModule(0)  // declarations read; no code group decompressed yet
    let intact = try XCTUnwrap(try CacheFile(contentsOfFile: path, expectedFingerprint: vectorFingerprint))
    for f in functions.indices { XCTAssertNoThrow(try intact.storedModule(0).code.function(f), "intact: function \(f)") }
    // Cut in place to one page: every group lies past it now.
    XCTAssertEqual(truncate(path, 4096), 0)
    for f in functions.indices {
      XCTAssertThrowsError(try stored.code.function(f), "function \(f) read from the truncated file")
    }
    // Opened after the cut: a clean refusal.
    XCTAssertThrowsError(try CacheFile(contentsOfFile: path, expectedFingerprint: vectorFingerprint))
  }
}

private func leb128(_ value: Int) -> [UInt8] {
  var v = value, out: [UInt8] = []
  repeat {
    let byte = UInt8(v & 0x7F)
    v >>= 7
    out.append(v == 0 ? byte : byte | 0x80)
  } while v != 0
  return out
}

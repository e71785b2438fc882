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
    otherVersion[8] = 2
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
}

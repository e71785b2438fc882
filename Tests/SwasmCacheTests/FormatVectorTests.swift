import Foundation
import SwasmBytecode
import SwasmCache
import WasmBinary
import XCTest

/// The checked-in test vector (cache-format/vectors/sample.swasmc) against the layout in cache-format/SPEC.md.
/// A change to the layout must bump `CacheIdentity.formatVersion` and regenerate the vector:
/// `SWASM_WRITE_VECTORS=1 swift test --filter FormatVectorTests`.
final class FormatVectorTests: XCTestCase {
  let vectorURL = vectorsFolder.appendingPathComponent("sample.swasmc")

  override func setUpWithError() throws {
    if ProcessInfo.processInfo.environment["SWASM_WRITE_VECTORS"] == "1" {
      try Data(try encodeSample()).write(to: vectorURL)
      let key = CacheIdentity.key(moduleBytes: try sampleModuleBytes(), fingerprint: vectorFingerprint)
      try (key.hexString + "\n").write(to: vectorsFolder.appendingPathComponent("sample.key"), atomically: true, encoding: .utf8)
    }
  }

  func vector() throws -> [UInt8] { Array(try Data(contentsOf: vectorURL)) }

  func testHeaderLayout() throws {
    let bytes = try vector()
    func u32(_ at: Int) -> UInt32 { bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) } }
    func u64(_ at: Int) -> UInt64 { bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) } }
    XCTAssertEqual(Array(bytes[0..<8]), Array("\0swasmc\n".utf8))
    XCTAssertEqual(u32(8), 6, "format version")
    XCTAssertEqual(u32(8), CacheIdentity.formatVersion, "the vector is of another format version: regenerate it")
    XCTAssertEqual(u32(12), 0, "flags: a single cache entry")
    XCTAssertEqual(Array(bytes[16..<48]), vectorFingerprint)
    let key = try String(contentsOf: vectorsFolder.appendingPathComponent("sample.key"), encoding: .utf8)
    XCTAssertEqual(Array(bytes[48..<80]).hexString, key.trimmingCharacters(in: .whitespacesAndNewlines))
    XCTAssertEqual(u64(80), UInt64(bytes.count - 96), "payload length")
    XCTAssertEqual(u64(88), Array(bytes[96...]).withUnsafeBytes { xxh3($0, seed: xxh3(Array(bytes[0..<88]))) },
                   "checksum: XXH3 of the payload seeded with XXH3 of the header's first 88 bytes")
  }

  func testKeyDerivation() throws {
    let key = try String(contentsOf: vectorsFolder.appendingPathComponent("sample.key"), encoding: .utf8)
    XCTAssertEqual(CacheIdentity.key(moduleBytes: try sampleModuleBytes(), fingerprint: vectorFingerprint).hexString,
                   key.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  func testVectorDecodesToTodaysTranslation() throws {
    let file = try CacheFile(bytes: try vector(), expectedFingerprint: vectorFingerprint)
    XCTAssertFalse(file.isBundle)
    XCTAssertEqual(file.members.map(\.name), ["sample"])
    let stored = try file.storedModule(0)
    let (module, functions) = try translate(try sampleModuleBytes())
    XCTAssertEqual(try file.moduleBytes(of: 0), module.bytesWithoutCode)
    XCTAssertEqual(stored.module.exports.map(\.name), module.exports.map(\.name))
    // The name section is kept apart from the declarations, and read when names are first asked for.
    XCTAssertEqual(stored.module.customSections.map(\.name), [], "declarations without the name section")
    XCTAssertFalse(module.names.functionNames.isEmpty)
    XCTAssertEqual(stored.module.names.functionNames, module.names.functionNames)
    for (i, expected) in functions.enumerated() {
      let decoded = try stored.code.function(i)
      XCTAssertEqual(decoded.code, expected.code,
                     "function \(i): the translator's output changed; regenerate the vector (SWASM_WRITE_VECTORS=1)")
      XCTAssertEqual(decoded.frameSize, expected.frameSize)
    }
  }

  /// zstd's output is fixed for a given library version and level; with the library the vector was written
  /// with, today's writer must reproduce it byte for byte.
  func testWriterReproducesVector() throws {
    guard Zstd.libraryVersion == "1.5.4" else {
      throw XCTSkip("libzstd \(Zstd.libraryVersion): compressed bytes may differ from 1.5.4's (the vector's)")
    }
    XCTAssertEqual(try encodeSample(), try vector())
  }
}

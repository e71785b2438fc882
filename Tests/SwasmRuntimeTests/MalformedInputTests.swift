import Foundation
import SwasmRuntime
import SwasmTestSupport
import SwasmTranslator
import WasmBinary
import XCTest

/// Feeds damaged versions of the spec suite's modules to the decoder, validator and translator: each must
/// either accept the module or throw a clear error. A crash (a Swift trap) fails the whole test run.
final class MalformedInputTests: XCTestCase {
  func spectestModules() throws -> [URL] {
    let folder = sharedFolder.appendingPathComponent("spectest/wasm-2.0")
    guard FileManager.default.fileExists(atPath: folder.path) else {
      print("SKIPPED: spec suite not found at \(folder.path) (set SWASM_SHARED)")
      throw XCTSkip("spec suite not found at \(folder.path)")
    }
    let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
      .compactMap { $0 as? URL }
      .filter { $0.pathExtension == "wasm" }
    return files.sorted { $0.path < $1.path }
  }

  /// Decodes, validates and translates; returns whether the module was accepted.
  func load(_ bytes: [UInt8]) -> (accepted: Bool, error: Error?) {
    do {
      let module = try Module(bytes: bytes)
      let info = try module.validate()
      let translator = ModuleTranslator(module: module, validation: info)
      for i in 0..<module.codes.count { _ = try translator.translate(definedFunction: i) }
      return (true, nil)
    } catch {
      return (false, error)
    }
  }

  func testTruncatedAndBitFlippedModulesFailCleanly() throws {
    var generator = SplitMix64(seed: 0x5A5A)
    var variants = 0
    var rejected = 0
    var simdModules = 0
    for url in try spectestModules() {
      let original = Array(try Data(contentsOf: url))
      guard load(original).accepted, original.count > 8 else { continue }
      if url.lastPathComponent.hasPrefix("simd_") { simdModules += 1 }
      var damaged: [[UInt8]] = []
      for k in 1...8 { damaged.append(Array(original.prefix(original.count * k / 9))) }
      for _ in 0..<16 {
        var copy = original
        let bit = Int(generator.next() % UInt64(copy.count * 8))
        copy[bit / 8] ^= UInt8(1 << (bit % 8))
        damaged.append(copy)
      }
      for bytes in damaged {
        variants += 1
        let result = load(bytes)
        if !result.accepted {
          rejected += 1
          let text = String(describing: result.error!)
          XCTAssertFalse(text.isEmpty)
        }
      }
    }
    print("damaged modules: \(variants) checked, \(rejected) rejected with an error, \(variants - rejected) still valid"
          + " (from \(simdModules) SIMD modules among the others)")
    XCTAssertGreaterThan(variants, 1000)
    XCTAssertGreaterThan(simdModules, 100, "the SIMD modules are damaged too")
  }

  func testErrorsGiveTheByteOffset() {
    XCTAssertThrowsError(try Module(bytes: [0, 0x61, 0x73, 0x6D, 2, 0, 0, 0])) { error in
      let e = error as? DecodeError
      XCTAssertEqual(e?.offset, 4)
      XCTAssertTrue(e?.message.contains("unknown binary version") ?? false)
    }
    XCTAssertThrowsError(try Module(bytes: [1, 2, 3])) { error in
      XCTAssertTrue(String(describing: error).contains("magic header not detected"))
    }
    // A type section whose size runs past the end of the module.
    XCTAssertThrowsError(try Module(bytes: [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 0x7F])) { error in
      XCTAssertEqual((error as? DecodeError)?.offset, 8)
    }
  }
}


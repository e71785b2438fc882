@testable import SwasmCache
import XCTest

/// The hashes against values computed by Python's hashlib and the xxhash package.
final class HashTests: XCTestCase {
  let inputs: [[UInt8]] = [[], Array("abc".utf8), Array((0..<3).flatMap { _ in (0...255).map(UInt8.init) }) + Array("xyz".utf8)]

  func testSHA256() {
    let expected = [
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "c88b6dc887c181168f0090f9b194fa95a4941342d49ba8bec914fd7ce64881a7",
    ]
    for (input, hash) in zip(inputs, expected) { XCTAssertEqual(SHA256.hash(input).hexString, hash) }
    // Fed in pieces that straddle block boundaries.
    var h = SHA256()
    for chunk in stride(from: 0, to: inputs[2].count, by: 37) { h.update(Array(inputs[2][chunk..<min(chunk + 37, inputs[2].count)])) }
    XCTAssertEqual(h.finalize().hexString, expected[2])
    // Lengths around the padding's boundaries (56 bytes and a block): "a" repeated.
    let padded = [
      55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
      56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
      57: "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6",
      63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
      64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
      65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
      119: "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb",
      120: "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c",
    ]
    for (count, hash) in padded {
      XCTAssertEqual(SHA256.hash([UInt8](repeating: 0x61, count: count)).hexString, hash, "\(count) bytes")
    }
  }

  /// The SHA extensions' compression function (where this processor has it) against the portable one, on lengths
  /// around block boundaries and on a large input fed in uneven pieces.
  func testSHA256FastPathMatchesPortable() {
    let data = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    for count in Array(0...200) + [1_000, 4_095, 4_096, 65_537, data.count] {
      var fast = SHA256(), portable = SHA256(portable: ())
      fast.update(Array(data[0..<count]))
      portable.update(Array(data[0..<count]))
      XCTAssertEqual(fast.finalize(), portable.finalize(), "\(count) bytes")
    }
    var fast = SHA256(), portable = SHA256(portable: ())
    var at = 0
    for piece in [1, 63, 64, 65, 129, 4_000, 100_000] where at + piece <= data.count {
      fast.update(Array(data[at..<(at + piece)]))
      portable.update(Array(data[at..<(at + piece)]))
      at += piece
    }
    XCTAssertEqual(fast.finalize(), portable.finalize())
  }

  func testXXH3() {
    // Each of XXH3's paths: short, 129-240 bytes, long (771), long of several 1 KiB blocks.
    let long = (0..<5000).map { UInt8(($0 * 7 + 3) % 251) }
    let all = inputs + [long, [UInt8](repeating: 0, count: 200)]
    XCTAssertEqual(all.map { xxh3($0) },
                   [0x2D06_8005_38D3_94C2, 0x78AF_5F94_892F_3950, 0x563F_73F1_1BF4_C990, 0x8E58_98F5_1713_D386,
                    0x8F8C_9188_2335_78C2])
    // Seeded, as the cache file's checksum is.
    let seeded: [UInt64] = [0x07F7_0F81_9703_314D, 0x7DEA_5DA8_8765_FA10, 0x7BC5_A386_4449_CC93, 0x1357_215C_8F09_4F9E,
                            0xA2A5_0E6A_77BF_9A0B]
    XCTAssertEqual(all.map { $0.withUnsafeBytes { xxh3($0, seed: 0x9E37_79B1_85EB_CA87) } }, seeded)
    // The version for machines without AVX2 (x86-64 machines with it take another) gives the same.
    XCTAssertEqual(all.map { xxh3Portable($0, seed: 0x9E37_79B1_85EB_CA87) }, seeded)
  }
}

final class FingerprintTests: XCTestCase {
  /// The generator's hash of the opcode table matches the table the engine was built with.
  func testOpcodeTableHashMatchesTheTable() {
    XCTAssertEqual(SHA256.hash(Array(CacheIdentity.opcodeTableText.utf8)), CacheIdentity.opcodeTableHash)
  }
}

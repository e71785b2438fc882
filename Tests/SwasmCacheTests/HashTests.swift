import SwasmCache
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

  func testXXH64() {
    XCTAssertEqual(inputs.map { xxh64($0) }, [0xEF46_DB37_51D8_E999, 0x44BC_2CF5_AD77_0999, 0xE921_A1B4_5BD7_79F8])
  }
}

final class FingerprintTests: XCTestCase {
  /// The generator's hash of the opcode table matches the table the engine was built with.
  func testOpcodeTableHashMatchesTheTable() {
    XCTAssertEqual(SHA256.hash(Array(CacheIdentity.opcodeTableText.utf8)), CacheIdentity.opcodeTableHash)
  }
}

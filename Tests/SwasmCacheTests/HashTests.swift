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

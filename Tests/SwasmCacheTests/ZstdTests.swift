@testable import SwasmCache
import XCTest

final class ZstdTests: XCTestCase {
  /// Stored frames decode, through libzstd, to their input: every size class of the frame header's content size
  /// field, and several 128 KiB blocks.
  func testStoredFramesDecodeToTheirInput() {
    let decoder = Zstd.Decoder()
    for size in [0, 1, 255, 256, 65791, 65792, 131072, 131073, 300_000] {
      let input = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
      let frame = input.withUnsafeBytes { Zstd.storedFrame($0) }
      var output = [UInt8](repeating: 0xAA, count: size)
      let ok = frame.withUnsafeBytes { f in output.withUnsafeMutableBytes { decoder.decompress(f, into: $0) } }
      XCTAssertTrue(ok, "\(size) bytes")
      XCTAssertEqual(output, input, "\(size) bytes")
      // Of another size than the frame says: refused.
      var short = [UInt8](repeating: 0, count: max(size - 1, 0))
      if size > 0 {
        XCTAssertFalse(frame.withUnsafeBytes { f in short.withUnsafeMutableBytes { decoder.decompress(f, into: $0) } })
      }
    }
  }

  /// Declarations that compress well are compressed; those that do not (data segments of random-looking bytes,
  /// or of zeros and noise that compress 2x to 3x) are stored.
  func testDeclarationsAreStoredUnlessCompressionQuartersThem() {
    let zeros = [UInt8](repeating: 0, count: 10000)
    var generator = SystemRandomNumberGenerator()
    let noise = (0..<10000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    XCTAssertLessThan(zeros.withUnsafeBytes { Zstd.declarationsFrame($0) }.count, 1000)
    XCTAssertEqual(noise.withUnsafeBytes { Zstd.declarationsFrame($0) }, noise.withUnsafeBytes { Zstd.storedFrame($0) })
    // Runs of zeros between runs of noise: compresses about 2.5x, not enough to be worth decoding on each load.
    let mixed = (0..<10000).map { $0 % 128 < 80 ? 0 : UInt8.random(in: 0...255, using: &generator) }
    let compressed = mixed.withUnsafeBytes { Zstd.compress($0, level: Zstd.declarationsLevel) }.count
    XCTAssertLessThan(2 * compressed, mixed.count)
    XCTAssertGreaterThan(4 * compressed, mixed.count)
    XCTAssertTrue(mixed.withUnsafeBytes { Zstd.declarationsFrame($0) } == mixed.withUnsafeBytes { Zstd.storedFrame($0) })
  }

  /// Decoders hand their contexts on to later ones: a context that failed on a damaged frame decodes the next
  /// frame correctly, also when many decoders come and go on several threads.
  func testRecycledDecodersDecodeCorrectly() {
    let input = Array((0..<50000).map { UInt8(truncatingIfNeeded: $0 / 7) })
    let frame = input.withUnsafeBytes { Zstd.compress($0, level: 3) }
    var damaged = frame
    damaged[damaged.count / 2] ^= 0x5A
    DispatchQueue.concurrentPerform(iterations: 64) { i in
      let decoder = Zstd.Decoder()
      var output = [UInt8](repeating: 0, count: input.count)
      if i % 2 == 0 {  // a damaged frame first (refused, or decoded to other bytes), then an intact one
        _ = damaged.withUnsafeBytes { f in output.withUnsafeMutableBytes { decoder.decompress(f, into: $0) } }
      }
      let ok = frame.withUnsafeBytes { f in output.withUnsafeMutableBytes { decoder.decompress(f, into: $0) } }
      XCTAssertTrue(ok)
      XCTAssertEqual(output, input)
    }
  }

  /// An input large enough for zstd's worker threads compresses into one frame that decodes to it.
  func testLargeInputsCompressOnEveryCoreIntoOneFrame() {
    let input = (0..<(Zstd.parallelInputSize + 12345)).map { UInt8(truncatingIfNeeded: ($0 / 3) &* 2654435761 >> 17) }
    let frame = input.withUnsafeBytes { Zstd.compress($0, level: 3) }
    XCTAssertLessThan(frame.count, input.count)
    var output = [UInt8](repeating: 0, count: input.count)
    XCTAssertTrue(frame.withUnsafeBytes { f in output.withUnsafeMutableBytes { Zstd.Decoder().decompress(f, into: $0) } })
    XCTAssertEqual(output, input)
  }
}

import Foundation
@testable import SwasmRuntime
import XCTest

/// Linear memory reservations start on a huge-page boundary and carry Linux's huge-page advice, so that a guest's
/// large data is mapped with 2 MiB pages where the system allows them.
final class HugePageTests: XCTestCase {
  func testAReservationStartsOnAHugePageBoundaryAndIsAdvised() throws {
    for reservation in [LinearMemory.reservation, LinearMemory.reservation64(maxBytes: 5 << 20 + 12_345)] {
      let bytes = 4 << 20
      let base = try XCTUnwrap(LinearMemory.reserve(bytes: bytes, reservation: reservation))
      defer { LinearMemory.release(base, reservation: reservation) }
      XCTAssertEqual(Int(bitPattern: base) % HugePages.size, 0)
      base[0] = 1
      base[bytes - 1] = 2
      XCTAssertEqual(Int(base[0]) + Int(base[bytes - 1]), 3)
      #if os(Linux)
        let flags = try XCTUnwrap(vmFlags(ofMappingAt: Int(bitPattern: base)), "no mapping starts at the base")
        XCTAssertTrue(flags.contains("hg"), "VmFlags without hg (MADV_HUGEPAGE): \(flags)")
      #endif
    }
  }

  /// The `VmFlags` of the mapping of this process that starts at `address`, from /proc/self/smaps (read line by
  /// line: the file reports a size of 0, which whole-file readers take at its word).
  private func vmFlags(ofMappingAt address: Int) -> [Substring]? {
    guard let file = fopen("/proc/self/smaps", "r") else { return nil }
    defer { fclose(file) }
    var buffer = [CChar](repeating: 0, count: 4096)
    var inMapping = false
    while fgets(&buffer, Int32(buffer.count), file) != nil {
      let line = String(cString: buffer).dropLast()
      if let dash = line.firstIndex(of: "-"), let start = Int(line[..<dash], radix: 16) {
        inMapping = start == address
      } else if inMapping, line.hasPrefix("VmFlags:") {
        return line.dropFirst("VmFlags:".count).split(separator: " ")
      }
    }
    return nil
  }
}

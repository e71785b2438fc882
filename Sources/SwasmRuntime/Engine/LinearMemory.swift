#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Linear memories live in an address-space reservation of their maximum size (`mmap` with no access), of which
/// the first `byteCount` bytes are readable and writable. Growing makes more of the reservation accessible
/// (`mprotect`): the base never moves, nothing is copied, and new pages are zero without being written (the kernel
/// supplies them on first touch).
enum LinearMemory {
  static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

  /// Reserves `maxBytes` (at least one page) and makes the first `bytes` accessible. Nil when the address space
  /// cannot be reserved.
  static func reserve(maxBytes: Int, bytes: Int) -> UnsafeMutablePointer<UInt8>? {
    let length = reservation(maxBytes)
    let p = mmap(nil, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
    guard let p, p != MAP_FAILED else { return nil }
    let base = p.assumingMemoryBound(to: UInt8.self)
    guard bytes == 0 || mprotect(p, bytes, PROT_READ | PROT_WRITE) == 0 else {
      munmap(p, length)
      return nil
    }
    return base
  }

  /// Makes bytes `oldBytes..<newBytes` accessible (zero-filled); false when the system refuses.
  static func commit(_ base: UnsafeMutablePointer<UInt8>, from oldBytes: Int, to newBytes: Int) -> Bool {
    guard newBytes > oldBytes else { return true }
    return mprotect(base, newBytes, PROT_READ | PROT_WRITE) == 0
  }

  static func release(_ base: UnsafeMutablePointer<UInt8>, maxBytes: Int) {
    munmap(base, reservation(maxBytes))
  }

  private static func reservation(_ maxBytes: Int) -> Int {
    max((maxBytes + pageSize - 1) / pageSize * pageSize, pageSize)
  }
}

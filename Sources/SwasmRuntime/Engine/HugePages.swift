#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Anonymous mappings that Linux may back with transparent huge pages (2 MiB on x86-64 and most arm64 kernels):
/// a guest's data spread over megabytes (a heap, a large array) then misses the TLB once per 2 MiB instead of once
/// per 4 KiB page. The advice (`MADV_HUGEPAGE`) is honoured when the system's THP setting is `always` or `madvise`,
/// and ignored elsewhere.
enum HugePages {
  static let size = 2 << 20

  /// Maps `bytes` of private anonymous memory with `protection`, starting at a multiple of `size` and advised for
  /// huge pages when it spans at least one; nil when the system refuses. Released with `munmap(base, bytes)`.
  static func map(_ bytes: Int, protection: Int32) -> UnsafeMutableRawPointer? {
    #if os(Linux)
      guard bytes >= size else { return plainMap(bytes, protection) }
      // Map one huge page more than asked, then unmap what lies before the first boundary and after the end.
      let span = bytes + size
      guard let p = plainMap(span, protection) else { return nil }
      let start = Int(bitPattern: p)
      let aligned = (start + size - 1) & ~(size - 1)
      let end = aligned + bytes
      if aligned > start { munmap(p, aligned - start) }
      if start + span > end { munmap(UnsafeMutableRawPointer(bitPattern: end), start + span - end) }
      let base = UnsafeMutableRawPointer(bitPattern: aligned)!
      let hugePageAdvice: Int32 = 14  // MADV_HUGEPAGE
      _ = madvise(base, bytes, hugePageAdvice)
      return base
    #else
      return plainMap(bytes, protection)
    #endif
  }

  private static func plainMap(_ bytes: Int, _ protection: Int32) -> UnsafeMutableRawPointer? {
    let p = mmap(nil, bytes, protection, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
    guard let p, p != MAP_FAILED else { return nil }
    return p
  }
}

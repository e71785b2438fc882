#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import CSwasmGuard

/// Linear memories live at the start of an address-space reservation (`mmap` with no access) of
/// `swasm_guarded_reservation` bytes, of which the first `byteCount` are readable and writable. The reservation
/// covers every address a load or store can form (32-bit address + 32-bit offset + width), so the interpreter does
/// not compare addresses with the size: an access past the end faults in the inaccessible part, and the guarded
/// run turns that fault into a trap (`GuardedRun.swift`). Growing makes more of the reservation accessible
/// (`mprotect`): the base never moves, nothing is copied, and new pages are zero without being written (the kernel
/// supplies them on first touch).
///
/// A 64-bit memory (memory64) can address more than any reservation covers: its accesses compare addresses with
/// the size, and its reservation is its maximum, up to `memory64Reservation`. Growing past the reservation moves
/// it to a larger one (`relocate`), so its base may change when it grows.
enum LinearMemory {
  static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
  static let reservation = Int(swasm_guarded_reservation)
  /// The most address space a 64-bit memory reserves up front (a variable for tests of relocation).
  nonisolated(unsafe) static var memory64Reservation = 64 << 30

  /// The address space to reserve for a 64-bit memory of at most `maxBytes`.
  static func reservation64(maxBytes: UInt64) -> Int {
    let capped = min(maxBytes, UInt64(memory64Reservation))  // first: maxBytes may be near UInt64.max
    let rounded = (capped + UInt64(pageSize) - 1) / UInt64(pageSize) * UInt64(pageSize)
    return Int(max(rounded, UInt64(pageSize)))
  }

  /// Reserves `reservation` bytes of address space for one memory and makes its first `bytes` accessible. Nil
  /// when the address space cannot be reserved.
  static func reserve(bytes: Int, reservation: Int = reservation) -> UnsafeMutablePointer<UInt8>? {
    guard let p = reserveAlignedForHugePages(reservation) else { return nil }
    let base = p.assumingMemoryBound(to: UInt8.self)
    guard bytes == 0 || mprotect(p, bytes, PROT_READ | PROT_WRITE) == 0 else {
      munmap(p, reservation)
      return nil
    }
    return base
  }

  /// The size of a transparent huge page (x86-64 and most arm64 Linux kernels).
  static let hugePageSize = 2 << 20

  /// Maps `reservation` bytes of inaccessible address space starting at a multiple of `hugePageSize`, and asks
  /// Linux to back it with transparent huge pages once accessible (`MADV_HUGEPAGE`, honoured when the system's
  /// THP setting is `always` or `madvise`). A guest whose data spans megabytes (a heap, a large array) then misses
  /// the TLB once per 2 MiB instead of once per 4 KiB page. Nil when the address space cannot be reserved.
  private static func reserveAlignedForHugePages(_ reservation: Int) -> UnsafeMutableRawPointer? {
    #if os(Linux)
      let span = reservation + hugePageSize
      guard let p = mmap(nil, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0), p != MAP_FAILED
      else { return nil }
      let start = Int(bitPattern: p)
      let aligned = (start + hugePageSize - 1) & ~(hugePageSize - 1)
      let end = aligned + reservation
      if aligned > start { munmap(p, aligned - start) }
      if start + span > end { munmap(UnsafeMutableRawPointer(bitPattern: end), start + span - end) }
      let base = UnsafeMutableRawPointer(bitPattern: aligned)!
      let hugePageAdvice: Int32 = 14  // MADV_HUGEPAGE
      _ = madvise(base, reservation, hugePageAdvice)
      return base
    #else
      let p = mmap(nil, reservation, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
      guard let p, p != MAP_FAILED else { return nil }
      return p
    #endif
  }

  /// Moves a 64-bit memory of `bytes` accessible bytes into a new reservation of `reservation` bytes, accessible
  /// up to `newBytes`, and releases the old one. Nil (the memory unchanged) when the system refuses.
  static func relocate(_ memory: UnsafeMutablePointer<MemoryStorage>, newBytes: Int, reservation: Int)
    -> UnsafeMutablePointer<UInt8>?
  {
    guard let base = reserve(bytes: newBytes, reservation: reservation) else { return nil }
    let old = memory.pointee
    base.update(from: old.base, count: Int(old.byteCount))
    release(old.base, reservation: old.reservedBytes)
    return base
  }

  /// Makes bytes `oldBytes..<newBytes` accessible (zero-filled); false when the system refuses.
  static func commit(_ base: UnsafeMutablePointer<UInt8>, from oldBytes: Int, to newBytes: Int) -> Bool {
    guard newBytes > oldBytes else { return true }
    return mprotect(base, newBytes, PROT_READ | PROT_WRITE) == 0
  }

  /// Supplies the pages of `count` bytes at `start` (inside an accessible part) in one system call, before they are
  /// written: one fault per 4 KiB page costs more than the copy of a data segment into them. Only a hint: on a
  /// kernel without MADV_POPULATE_WRITE (Linux 5.14) the pages come one fault at a time, as before.
  static func prefault(_ start: UnsafeMutablePointer<UInt8>, count: Int) {
    #if os(Linux)
      let populateWrite: Int32 = 23  // MADV_POPULATE_WRITE
      let first = Int(bitPattern: start) & ~(pageSize - 1)
      let end = Int(bitPattern: start) + count
      _ = madvise(UnsafeMutableRawPointer(bitPattern: first), end - first, populateWrite)
    #endif
  }

  static func release(_ base: UnsafeMutablePointer<UInt8>, reservation: Int) {
    munmap(base, reservation)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import CSwasmGuard

/// Linear memories live at the start of an address-space reservation (`mmap` with no access, advised for huge
/// pages: `HugePages`) of `swasm_guarded_reservation` bytes, of which the first `byteCount` are readable and
/// writable. The reservation covers every address a load or store can form (32-bit address + 32-bit offset +
/// width), so the interpreter does not compare addresses with the size: an access past the end faults in the
/// inaccessible part, and the guarded run turns that fault into a trap (`GuardedRun.swift`). Growing makes more of
/// the reservation accessible (`mprotect`): the base never moves, nothing is copied, and new pages are zero without
/// being written (the kernel supplies them on first touch).
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
    guard let p = HugePages.map(reservation, protection: PROT_NONE) else { return nil }
    let base = p.assumingMemoryBound(to: UInt8.self)
    guard bytes == 0 || mprotect(p, bytes, PROT_READ | PROT_WRITE) == 0 else {
      munmap(p, reservation)
      return nil
    }
    return base
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSwasmMappedFile

/// The bytes of a cache file, in memory or mapped read-only from disk; a cache file's code groups are read from
/// them long after loading, so they live as long as the `CacheFile`.
///
/// Mapping instead of reading saves a launch the kernel's copy of the whole entry into fresh pages. Entries are
/// only ever replaced by renaming a new file over them (a mapping keeps the old file), so a mapped entry does not
/// change under its reader; should another process truncate it in place, the pages past the new end read as zeros
/// (`Sources/CSwasmMappedFile`) and `isDamaged` turns true: readers check it after reading, before they trust
/// what they read.
final class FileBytes: @unchecked Sendable {
  let buffer: UnsafeRawBufferPointer
  /// The mapping's handle, or nil when `buffer` was allocated (and is deallocated) here.
  private let mapping: Int32?

  /// A copy of `bytes`.
  init(_ bytes: [UInt8]) {
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
    bytes.withUnsafeBytes { copy.copyMemory(from: $0) }
    buffer = UnsafeRawBufferPointer(copy)
    mapping = nil
  }

  /// Maps (or when it cannot be mapped, reads) the regular file at `path`; nil (with `errno` set) when it cannot
  /// be opened or read.
  init?(contentsOfFile path: String) {
    guard let (fd, length) = openRegularFile(path) else { return nil }
    defer { close(fd) }
    var start: UnsafeRawPointer?
    let handle = swasm_map_file(fd, length, &start)
    if handle >= 0, let start {
      buffer = UnsafeRawBufferPointer(start: start, count: length)
      mapping = handle
      return
    }
    // Empty, or no mapping to be had: read it (a file that shrank while being read is refused).
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 16)
    guard readFully(fd, into: copy) == length else {
      copy.deallocate()
      return nil
    }
    buffer = UnsafeRawBufferPointer(copy)
    mapping = nil
  }

  deinit {
    if let mapping {
      swasm_unmap_file(mapping)
    } else {
      UnsafeMutableRawBufferPointer(mutating: buffer).deallocate()
    }
  }

  /// Whether the file turned out shorter than when it was mapped: what was read since may be zeros, not the file.
  var isDamaged: Bool { mapping.map { swasm_mapping_damaged($0) } ?? false }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The contents of a regular file, read with one `read` per chunk straight into the array (no `Data` copy: a
/// cached launch reads the module and its entry, and little else). Nil, with `errno` set, when it cannot be read.
public func readWholeFile(_ path: String) -> [UInt8]? {
  guard let (fd, size) = openRegularFile(path) else { return nil }
  defer { close(fd) }
  var ok = true
  let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
    // Fewer bytes than the size when the file shrank while being read.
    guard let count = readFully(fd, into: UnsafeMutableRawBufferPointer(buffer)) else { ok = false; return }
    initialized = count
  }
  return ok ? bytes : nil
}

/// Opens `path` for reading when it is a regular file: its descriptor (for the caller to close) and size. Nil,
/// with `errno` set, otherwise.
func openRegularFile(_ path: String) -> (fd: Int32, size: Int)? {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { return nil }
  var info = stat()
  guard fstat(fd, &info) == 0 else {
    close(fd)
    return nil
  }
  guard info.st_mode & S_IFMT == S_IFREG else {
    close(fd)
    errno = EISDIR
    return nil
  }
  return (fd, Int(info.st_size))
}

/// Reads from `fd` into `buffer` until it is full or the file ends: the number of bytes read, or nil (with `errno`
/// set) on an error.
func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
  var filled = 0
  while filled < buffer.count {
    let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
    if n < 0 {
      if errno == EINTR { continue }
      return nil
    }
    if n == 0 { break }
    filled += n
  }
  return filled
}

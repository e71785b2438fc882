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
/// with `errno` set, otherwise (EISDIR for a directory, EINVAL for a FIFO, a device or a socket). Opening never
/// blocks: a FIFO put where a cache entry goes is refused at once, not waited on for a writer.
func openRegularFile(_ path: String) -> (fd: Int32, size: Int)? {
  guard let (fd, info) = openWithoutBlocking(path) else { return nil }
  guard info.st_mode & S_IFMT == S_IFREG else {
    close(fd)
    errno = info.st_mode & S_IFMT == S_IFDIR ? EISDIR : EINVAL
    return nil
  }
  return (fd, Int(info.st_size))
}

/// Opens `path` for reading with O_NONBLOCK (which regular files ignore) and `fstat`s it. Nil, with `errno` set,
/// when either fails.
private func openWithoutBlocking(_ path: String) -> (fd: Int32, info: stat)? {
  let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
  guard fd >= 0 else { return nil }
  var info = stat()
  guard fstat(fd, &info) == 0 else {
    close(fd)
    return nil
  }
  return (fd, info)
}

/// The contents of a file that a user names as input: a regular file, or a pipe or a character device read to its
/// end (`swasm run <(cat m.wasm)`, `/dev/stdin`), as other runtimes read them. Nil, with `errno` set, when it
/// cannot be read (EISDIR for a directory).
public func readInputFile(_ path: String) -> [UInt8]? {
  guard let (fd, info) = openWithoutBlocking(path) else { return nil }
  switch info.st_mode & S_IFMT {
  case S_IFREG:
    close(fd)
    return readWholeFile(path)
  case S_IFDIR:
    close(fd)
    errno = EISDIR
    return nil
  default:
    defer { close(fd) }
    // A stream: read it blocking, to its end, in growing chunks.
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if n == 0 { return bytes }
      bytes += chunk[0..<n]
    }
  }
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where a guest's standard input comes from: a host file descriptor, or bytes the embedder gives.
public enum WASIInput {
  /// The guest reads this host file descriptor (which WASI does not close).
  case fileDescriptor(Int32)
  /// The guest reads these bytes, then end of file.
  case bytes([UInt8])
}

/// Where a guest's standard output or error goes: a host file descriptor, a closure called with each write's
/// bytes as the guest writes them (on the thread running the guest), or a buffer that collects them.
public enum WASIOutput {
  /// The guest writes to this host file descriptor (which WASI does not close).
  case fileDescriptor(Int32)
  /// Each write's bytes are handed to the closure, on the thread running the guest, as the guest writes them.
  case closure(([UInt8]) -> Void)
  /// The bytes are appended to the buffer.
  case buffer(WASIOutputBuffer)
}

/// Collects what a guest writes to a standard stream, without limit (nothing blocks, unlike a pipe nobody reads).
public final class WASIOutputBuffer {
  /// Everything written so far.
  public private(set) var bytes: [UInt8] = []
  /// An empty buffer.
  public init() {}
  /// The bytes as UTF-8 (invalid sequences become U+FFFD).
  public var string: String { String(decoding: bytes, as: UTF8.self) }
  func append(_ buffer: UnsafeRawBufferPointer) { bytes.append(contentsOf: buffer) }
}

/// A standard stream served in memory rather than by a host descriptor (a `FileEntry`'s `stream`). Threads of
/// one program (wasi-threads) read and write it in turn: each read and write holds its lock.
final class MemoryStream {
  private var input: [UInt8]
  private var position = 0
  private let output: ((UnsafeRawBufferPointer) -> Void)?
  private let lock = Mutex(())

  init(input: [UInt8]) {
    self.input = input
    output = nil
  }

  init(output: @escaping (UnsafeRawBufferPointer) -> Void) {
    input = []
    self.output = output
  }

  /// Copies up to `buffer.count` unread input bytes into `buffer`; 0 at the end.
  func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    lock.withLock { _ in readLocked(into: buffer) }
  }

  private func readLocked(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = min(buffer.count, input.count - position)
    if n > 0 {
      input.withUnsafeBytes { source in
        buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: n)
      }
    }
    position += n
    return n
  }

  var availableBytes: Int { lock.withLock { _ in input.count - position } }

  func write(_ buffer: UnsafeRawBufferPointer) { lock.withLock { _ in output?(buffer) } }
}

extension WASI {
  /// The descriptor-table entry of standard stream `fd` (0, 1, 2) for `input` or `output`.
  static func standardEntry(_ fd: Int, input: WASIInput? = nil, output: WASIOutput? = nil) -> FileEntry {
    let rights: Rights = fd == 0 ? [.fdRead, .pollFdReadwrite, .fdFilestatGet, .fdFdstatSetFlags]
                                 : [.fdWrite, .pollFdReadwrite, .fdFilestatGet, .fdFdstatSetFlags]
    var stream: MemoryStream?
    var host: Int32 = -1
    switch (input, output) {
    case (.fileDescriptor(let d)?, _), (_, .fileDescriptor(let d)?): host = d
    case (.bytes(let bytes)?, _): stream = MemoryStream(input: bytes)
    case (_, .closure(let body)?): stream = MemoryStream(output: { body(Array($0)) })
    case (_, .buffer(let buffer)?): stream = MemoryStream(output: buffer.append)
    default: host = Int32(fd)
    }
    var st = stat()
    let type: FileType = stream == nil && fstat(host, &st) == 0 ? FileType(mode: st.st_mode) : .characterDevice
    let entry = FileEntry(hostFD: host, type: type, rightsBase: rights, rightsInheriting: [], owned: false)
    entry.stream = stream
    return entry
  }
}

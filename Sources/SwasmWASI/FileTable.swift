#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One open file description as the guest sees it.
final class FileEntry {
  var hostFD: Int32
  let type: FileType
  var rightsBase: Rights
  var rightsInheriting: Rights
  var fdFlags: UInt16
  /// The guest path of a preopened directory (reported by fd_prestat_*).
  let preopenName: String?
  /// Whether the host descriptor is closed with the entry (stdio is not).
  let owned: Bool
  /// A standard stream the embedder serves in memory (then `hostFD` is -1).
  var stream: MemoryStream?

  init(hostFD: Int32, type: FileType, rightsBase: Rights, rightsInheriting: Rights, fdFlags: UInt16 = 0,
       preopenName: String? = nil, owned: Bool = true) {
    self.hostFD = hostFD
    self.type = type
    self.rightsBase = rightsBase
    self.rightsInheriting = rightsInheriting
    self.fdFlags = fdFlags
    self.preopenName = preopenName
    self.owned = owned
  }

  deinit {
    if owned { close(hostFD) }
  }

  /// Throws `notcapable` unless the descriptor has `rights`.
  func require(_ rights: Rights) throws {
    guard rightsBase.isSuperset(of: rights) else { throw Errno.notcapable }
  }

  var isDirectory: Bool { type == .directory }
}

/// The guest's file descriptor numbers. Every access takes the table's lock: under wasi-threads, threads of one
/// program share it (and each entry stays valid for whoever holds it, even once its number is closed).
final class FileTable {
  /// Indexed by descriptor number; nil: free. Numbers are the lowest free ones (`add`) or, through fd_renumber,
  /// ones already open, so the array is as long as the highest open descriptor. (Not a Dictionary: the first use
  /// of a Dictionary type costs a start-up a scan of every protocol conformance.)
  private var slots: [FileEntry?] = []
  private let lock = Mutex(())

  subscript(fd: UInt32) -> FileEntry? {
    get { lock.withLock { _ in entry(fd) } }
    set { lock.withLock { _ in set(fd, newValue) } }
  }

  private func entry(_ fd: UInt32) -> FileEntry? { Int(fd) < slots.count ? slots[Int(fd)] : nil }

  private func set(_ fd: UInt32, _ newValue: FileEntry?) {
    let i = Int(fd)
    if i >= slots.count {
      guard newValue != nil else { return }
      slots += [FileEntry?](repeating: nil, count: i + 1 - slots.count)
    }
    slots[i] = newValue
    while slots.count > 0, slots[slots.count - 1] == nil { slots.removeLast() }
  }

  func get(_ fd: UInt32) throws -> FileEntry {
    guard let entry = self[fd] else { throw Errno.badf }
    return entry
  }

  /// A directory descriptor (for path_* calls): `badf` if unknown, `notdir` if not a directory.
  func directory(_ fd: UInt32) throws -> FileEntry {
    let entry = try get(fd)
    guard entry.isDirectory else { throw Errno.notdir }
    return entry
  }

  /// Adds an entry under the lowest free number.
  func add(_ entry: FileEntry) throws -> UInt32 {
    try lock.withLock { _ in
      var fd: UInt32 = 0
      while self.entry(fd) != nil {
        fd += 1
        if fd > 65_536 { throw Errno.mfile }
      }
      set(fd, entry)
      return fd
    }
  }

  /// Moves the entry numbered `from` to number `to` (closing what `to` was), in one step.
  func renumber(from: UInt32, to: UInt32) throws {
    try lock.withLock { _ in
      guard let moving = entry(from), entry(to) != nil else { throw Errno.badf }
      set(to, moving)
      set(from, nil)
    }
  }

  /// Removes entry `fd`: `badf` when there is none.
  func remove(_ fd: UInt32) throws {
    try lock.withLock { _ in
      guard entry(fd) != nil else { throw Errno.badf }
      set(fd, nil)
    }
  }
}

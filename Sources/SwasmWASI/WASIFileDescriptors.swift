#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// fd_* functions.
extension WASI {
  func fdClose(_ fd: UInt32) throws {
    try files.remove(fd)
  }

  func fdSync(_ fd: UInt32, dataOnly: Bool) throws {
    let entry = try files.get(fd)
    try entry.require(dataOnly ? .fdDatasync : .fdSync)
    guard (dataOnly ? fdatasync(entry.hostFD) : fsync(entry.hostFD)) == 0 else { throw Errno.last }
  }

  func fdAdvise(_ fd: UInt32, _ offset: UInt64, _ length: UInt64, _ advice: UInt32) throws {
    let entry = try files.get(fd)
    try entry.require(.fdAdvise)
    guard advice <= 5 else { throw Errno.inval }
    guard entry.type == .regularFile else { throw entry.isDirectory ? Errno.badf : Errno.spipe }
  }

  func fdAllocate(_ fd: UInt32, _ offset: UInt64, _ length: UInt64) throws {
    let entry = try files.get(fd)
    try entry.require(.fdAllocate)
    guard entry.type == .regularFile else { throw Errno.badf }
    guard offset <= UInt64(Int64.max), length <= UInt64(Int64.max) - offset else { throw Errno.inval }
    let code = posix_fallocate(entry.hostFD, off_t(offset), off_t(length))
    guard code == 0 else { throw Errno(posix: code) }
  }

  func fdFdstatGet(_ m: GuestMemory, _ fd: UInt32, _ result: UInt32) throws {
    let entry = try files.get(fd)
    try m.check(result, 24)
    try m.store(entry.type.rawValue, at: result)
    try m.store(UInt8(0), at: result + 1)
    var flags = entry.fdFlags
    let hostFlags = fcntl(entry.hostFD, F_GETFL)
    if hostFlags >= 0 {
      flags = 0
      if hostFlags & O_APPEND != 0 { flags |= FDFlags.append }
      if hostFlags & O_NONBLOCK != 0 { flags |= FDFlags.nonblock }
      if hostFlags & O_DSYNC != 0 { flags |= FDFlags.dsync }
      if hostFlags & O_SYNC == O_SYNC { flags |= FDFlags.sync }
    }
    try m.store(flags, at: result + 2)
    try m.store(entry.rightsBase.rawValue, at: result + 8)
    try m.store(entry.rightsInheriting.rawValue, at: result + 16)
  }

  func fdFdstatSetFlags(_ fd: UInt32, _ flags: UInt32) throws {
    let entry = try files.get(fd)
    try entry.require(.fdFdstatSetFlags)
    if entry.stream != nil {  // a stream in memory never blocks: the flags are only remembered
      entry.fdFlags = UInt16(truncatingIfNeeded: flags)
      return
    }
    var hostFlags = fcntl(entry.hostFD, F_GETFL)
    guard hostFlags >= 0 else { throw Errno.last }
    hostFlags &= ~(O_APPEND | O_NONBLOCK)
    if flags & UInt32(FDFlags.append) != 0 { hostFlags |= O_APPEND }
    if flags & UInt32(FDFlags.nonblock) != 0 { hostFlags |= O_NONBLOCK }
    guard fcntl(entry.hostFD, F_SETFL, hostFlags) == 0 else { throw Errno.last }
    entry.fdFlags = UInt16(truncatingIfNeeded: flags)
  }

  /// Rights can only be dropped, never gained.
  func fdFdstatSetRights(_ fd: UInt32, _ base: UInt64, _ inheriting: UInt64) throws {
    let entry = try files.get(fd)
    let newBase = Rights(rawValue: base)
    let newInheriting = Rights(rawValue: inheriting)
    guard entry.rightsBase.isSuperset(of: newBase), entry.rightsInheriting.isSuperset(of: newInheriting) else {
      throw Errno.notcapable
    }
    entry.rightsBase = newBase
    entry.rightsInheriting = newInheriting
  }

  func fdFilestatGet(_ m: GuestMemory, _ fd: UInt32, _ result: UInt32) throws {
    let entry = try files.get(fd)
    try entry.require(.fdFilestatGet)
    var st = stat()
    if entry.stream != nil {
      st.st_mode = S_IFCHR  // a stream in memory: a character device, all else zero
    } else {
      guard fstat(entry.hostFD, &st) == 0 else { throw Errno.last }
    }
    try storeFilestat(m, st, at: result)
  }

  func storeFilestat(_ m: GuestMemory, _ st: stat, at result: UInt32) throws {
    try m.check(result, 64)
    try m.store(UInt64(st.st_dev), at: result)
    try m.store(UInt64(st.st_ino), at: result + 8)
    try m.store(FileType(mode: st.st_mode).rawValue, at: result + 16)
    try m.store(UInt64(st.st_nlink), at: result + 24)
    try m.store(UInt64(st.st_size), at: result + 32)
    try m.store(nanoseconds(st.st_atim), at: result + 40)
    try m.store(nanoseconds(st.st_mtim), at: result + 48)
    try m.store(nanoseconds(st.st_ctim), at: result + 56)
  }

  func nanoseconds(_ t: timespec) -> UInt64 { UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec) }

  func fdFilestatSetSize(_ fd: UInt32, _ size: UInt64) throws {
    let entry = try files.get(fd)
    try entry.require(.fdFilestatSetSize)
    guard size <= UInt64(Int64.max) else { throw Errno.inval }
    guard ftruncate(entry.hostFD, off_t(size)) == 0 else { throw Errno.last }
  }

  func fdFilestatSetTimes(_ fd: UInt32, _ atim: UInt64, _ mtim: UInt64, _ flags: UInt32) throws {
    let entry = try files.get(fd)
    try entry.require(.fdFilestatSetTimes)
    var times = try WASI.timespecs(atim, mtim, flags)
    guard futimens(entry.hostFD, &times) == 0 else { throw Errno.last }
  }

  /// `fstflags` to the two timespecs of utimensat/futimens.
  static func timespecs(_ atim: UInt64, _ mtim: UInt64, _ flags: UInt32) throws -> [timespec] {
    guard flags & ~0xF == 0, flags & 3 != 3, flags & 12 != 12 else { throw Errno.inval }
    func one(_ value: UInt64, set: Bool, now: Bool) -> timespec {
      if now { return timespec(tv_sec: 0, tv_nsec: Int(utimeNow)) }
      if set { return timespec(tv_sec: Int(value / 1_000_000_000), tv_nsec: Int(value % 1_000_000_000)) }
      return timespec(tv_sec: 0, tv_nsec: Int(utimeOmit))
    }
    return [one(atim, set: flags & 1 != 0, now: flags & 2 != 0), one(mtim, set: flags & 4 != 0, now: flags & 8 != 0)]
  }

  func fdRead(_ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, offset: UInt64?, _ result: UInt32)
    throws
  {
    let entry = try files.get(fd)
    if entry.isDirectory { throw Errno.isdir }
    try entry.require(offset == nil ? .fdRead : [.fdRead, .fdSeek])
    var total = 0
    var position: off_t? = offset.map { off_t(Int64(bitPattern: $0)) }
    if let p = position, p < 0 { throw Errno.inval }
    if let stream = entry.stream {
      guard offset == nil else { throw Errno.spipe }
      try m.forEachIovec(iovs, count) { buffer in
        let n = stream.read(into: buffer)
        total += n
        return n == buffer.count
      }
      return try m.store(UInt32(total), at: result)
    }
    try m.forEachIovec(iovs, count) { buffer in
      let n = position.map { pread(entry.hostFD, buffer.baseAddress, buffer.count, $0) }
        ?? read(entry.hostFD, buffer.baseAddress, buffer.count)
      if n < 0 {
        if total > 0 { return false }
        throw Errno.last
      }
      total += n
      position? += off_t(n)
      return n == buffer.count
    }
    try m.store(UInt32(total), at: result)
  }

  func fdWrite(_ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, offset: UInt64?, _ result: UInt32)
    throws
  {
    let entry = try files.get(fd)
    if entry.isDirectory { throw Errno.isdir }
    try entry.require(offset == nil ? .fdWrite : [.fdWrite, .fdSeek])
    var total = 0
    var position: off_t? = offset.map { off_t(Int64(bitPattern: $0)) }
    if let p = position, p < 0 { throw Errno.inval }
    if let stream = entry.stream {
      guard offset == nil else { throw Errno.spipe }
      try m.forEachIovec(iovs, count) { buffer in
        stream.write(UnsafeRawBufferPointer(buffer))
        total += buffer.count
        return true
      }
      return try m.store(UInt32(total), at: result)
    }
    try m.forEachIovec(iovs, count) { buffer in
      var done = 0
      while done < buffer.count {
        let pointer = buffer.baseAddress! + done
        let n = position.map { pwrite(entry.hostFD, pointer, buffer.count - done, $0) }
          ?? write(entry.hostFD, pointer, buffer.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          if total > 0 { return false }
          throw Errno.last
        }
        done += n
        total += n
        position? += off_t(n)
      }
      return true
    }
    try m.store(UInt32(total), at: result)
  }

  func fdPrestatGet(_ m: GuestMemory, _ fd: UInt32, _ result: UInt32) throws {
    let entry = try files.get(fd)
    guard let name = entry.preopenName else { throw Errno.badf }
    try m.store(UInt32(0), at: result)
    try m.store(UInt32(name.utf8.count), at: result + 4)
  }

  func fdPrestatDirName(_ m: GuestMemory, _ fd: UInt32, _ buffer: UInt32, _ length: UInt32) throws {
    let entry = try files.get(fd)
    guard let name = entry.preopenName else { throw Errno.badf }
    let bytes = Array(name.utf8)
    guard length >= bytes.count else { throw Errno.nametoolong }
    try m.write(bytes, at: buffer)
  }

  func fdRenumber(_ from: UInt32, _ to: UInt32) throws {
    // Onto itself: nothing to do (as POSIX dup2 and wasmtime), not a close.
    if from == to {
      _ = try files.get(from)
      return
    }
    try files.renumber(from: from, to: to)
  }

  func fdSeek(_ m: GuestMemory, _ fd: UInt32, _ offset: UInt64, _ whence: UInt32, _ result: UInt32) throws {
    let entry = try files.get(fd)
    if entry.isDirectory { throw Errno.badf }
    try entry.require(offset == 0 && whence == 1 ? .fdTell : .fdSeek)
    let hostWhence: Int32
    switch whence {
    case 0: hostWhence = SEEK_SET
    case 1: hostWhence = SEEK_CUR
    case 2: hostWhence = SEEK_END
    default: throw Errno.inval
    }
    let position = lseek(entry.hostFD, off_t(Int64(bitPattern: offset)), hostWhence)
    guard position >= 0 else { throw Errno.last }
    try m.store(UInt64(position), at: result)
  }

  func fdTell(_ m: GuestMemory, _ fd: UInt32, _ result: UInt32) throws {
    let entry = try files.get(fd)
    if entry.isDirectory { throw Errno.badf }
    try entry.require(.fdTell)
    let position = lseek(entry.hostFD, 0, SEEK_CUR)
    guard position >= 0 else { throw Errno.last }
    try m.store(UInt64(position), at: result)
  }

  /// fd_readdir: entries from `cookie` on (the cookie is the index of the next entry), as many as fit; the last
  /// one may be cut off, which tells the guest to grow its buffer.
  func fdReaddir(_ m: GuestMemory, _ fd: UInt32, _ buffer: UInt32, _ length: UInt32, _ cookie: UInt64,
                 _ result: UInt32) throws {
    let entry = try files.get(fd)
    guard entry.isDirectory else { throw Errno.notdir }
    try entry.require(.fdReaddir)
    let copy = openat(entry.hostFD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard copy >= 0, let dir = fdopendir(copy) else { throw Errno.last }
    defer { closedir(dir) }
    var names: [(name: [UInt8], ino: UInt64, type: UInt8)] = []
    while let e = readdir(dir) {
      let name = withUnsafeBytes(of: e.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
      names.append((name, UInt64(e.pointee.d_ino), direntType(e.pointee.d_type)))
    }
    names.sort { $0.name.lexicographicallyPrecedes($1.name) }
    var out: [UInt8] = []
    var index = Int(clamping: cookie)
    while index < names.count && out.count < Int(length) {
      let e = names[index]
      index += 1
      var header = [UInt8](repeating: 0, count: 24)
      withUnsafeBytes(of: UInt64(index).littleEndian) { header.replaceSubrange(0..<8, with: $0) }
      withUnsafeBytes(of: e.ino.littleEndian) { header.replaceSubrange(8..<16, with: $0) }
      withUnsafeBytes(of: UInt32(e.name.count).littleEndian) { header.replaceSubrange(16..<20, with: $0) }
      header[20] = e.type
      out += header + e.name
    }
    let used = min(out.count, Int(length))
    try m.write(Array(out.prefix(used)), at: buffer)
    try m.store(UInt32(used), at: result)
  }

  private func direntType(_ t: UInt8) -> UInt8 {
    switch Int32(t) {
    case Int32(DT_DIR): return FileType.directory.rawValue
    case Int32(DT_REG): return FileType.regularFile.rawValue
    case Int32(DT_LNK): return FileType.symbolicLink.rawValue
    case Int32(DT_CHR): return FileType.characterDevice.rawValue
    case Int32(DT_BLK): return FileType.blockDevice.rawValue
    case Int32(DT_SOCK): return FileType.socketStream.rawValue
    default: return FileType.unknown.rawValue
    }
  }
}

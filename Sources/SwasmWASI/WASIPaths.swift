#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// path_* functions. Every path is resolved beneath its directory descriptor by `PathResolver`; the operation then
// works on (parent descriptor, final name) with the *at system calls and never follows a final symlink itself.
extension WASI {
  /// Resolves `path` (guest memory) beneath directory `fd`, checking `rights` on it, and runs `body`.
  func withPath<R>(_ m: GuestMemory, _ fd: UInt32, _ path: UInt32, _ length: UInt32, rights: Rights,
                   follow: Bool, _ body: (ResolvedPath) throws -> R) throws -> R {
    let dir = try files.directory(fd)
    try dir.require(rights)
    let resolved = try PathResolver.resolve(try m.string(path, length), beneath: dir.hostFD, followFinal: follow)
    defer { close(resolved.parent) }
    return try body(resolved)
  }

  /// The type of `name` in `parent`, not following a final symlink; nil if it does not exist.
  func lookup(_ p: ResolvedPath) -> stat? {
    var st = stat()
    return fstatat(p.parent, p.name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? st : nil
  }

  func isDirectory(_ st: stat) -> Bool { st.st_mode & S_IFMT == S_IFDIR }

  func pathOpen(_ m: GuestMemory, _ fd: UInt32, _ dirflags: UInt32, _ path: UInt32, _ length: UInt32,
                _ oflags: UInt32, _ base: UInt64, _ inheriting: UInt64, _ fdflags: UInt32, _ result: UInt32) throws {
    let dir = try files.directory(fd)
    let requested = Rights(rawValue: base)
    var needed: Rights = .pathOpen
    var flags = O_CLOEXEC | O_NOFOLLOW
    if oflags & UInt32(OFlags.creat) != 0 {
      flags |= O_CREAT
      needed.insert(.pathCreateFile)
    }
    if oflags & UInt32(OFlags.excl) != 0 { flags |= O_EXCL }
    if oflags & UInt32(OFlags.trunc) != 0 {
      flags |= O_TRUNC
      needed.insert(.pathFilestatSetSize)
    }
    let wantsDirectory = oflags & UInt32(OFlags.directory) != 0
    if wantsDirectory { flags |= O_DIRECTORY }
    let writes = !requested.intersection([.fdWrite, .fdAllocate, .fdFilestatSetSize]).isEmpty
      || flags & O_TRUNC != 0
    let reads = !requested.intersection([.fdRead, .fdReaddir]).isEmpty
    if wantsDirectory && writes { throw Errno.isdir }
    if wantsDirectory || !writes {
      flags |= O_RDONLY
    } else {
      flags |= reads ? O_RDWR : O_WRONLY
    }
    if fdflags & UInt32(FDFlags.append) != 0 { flags |= O_APPEND }
    if fdflags & UInt32(FDFlags.nonblock) != 0 { flags |= O_NONBLOCK }
    if fdflags & UInt32(FDFlags.dsync) != 0 { flags |= O_DSYNC }
    if fdflags & UInt32(FDFlags.sync) != 0 || fdflags & UInt32(FDFlags.rsync) != 0 { flags |= O_SYNC }
    try dir.require(needed)

    let hostFD: Int32 = try withPath(m, fd, path, length, rights: .pathOpen, follow: dirflags & 1 != 0) { p in
      if p.trailingSlash { flags |= O_DIRECTORY }
      var opened = openat(p.parent, p.name, flags, 0o666)
      // A directory opened for writing: open it read-only (its write rights are dropped below).
      if opened < 0 && errno == EISDIR && flags & O_CREAT == 0 {
        opened = openat(p.parent, p.name, (flags & ~(O_WRONLY | O_RDWR)) | O_RDONLY, 0o666)
      }
      guard opened >= 0 else { throw Errno.last }
      return opened
    }
    var st = stat()
    guard fstat(hostFD, &st) == 0 else {
      close(hostFD)
      throw Errno.last
    }
    let type = FileType(mode: st.st_mode)
    let allowed = type == .directory ? Rights.directory : Rights.file
    let entry = FileEntry(hostFD: hostFD, type: type,
                          rightsBase: requested.intersection(dir.rightsInheriting).intersection(allowed),
                          rightsInheriting: Rights(rawValue: inheriting).intersection(dir.rightsInheriting),
                          fdFlags: UInt16(truncatingIfNeeded: fdflags))
    try m.store(try files.add(entry), at: result)
  }

  func pathCreateDirectory(_ m: GuestMemory, _ fd: UInt32, _ path: UInt32, _ length: UInt32) throws {
    try withPath(m, fd, path, length, rights: .pathCreateDirectory, follow: false) { p in
      guard p.name != "." else { throw Errno.exist }
      guard mkdirat(p.parent, p.name, 0o777) == 0 else { throw Errno.last }
    }
  }

  func pathFilestatGet(_ m: GuestMemory, _ fd: UInt32, _ flags: UInt32, _ path: UInt32, _ length: UInt32,
                       _ result: UInt32) throws {
    let st: stat = try withPath(m, fd, path, length, rights: .pathFilestatGet, follow: flags & 1 != 0) { p in
      guard let st = lookup(p) else { throw Errno.last }
      if p.trailingSlash && !isDirectory(st) { throw Errno.notdir }
      return st
    }
    try storeFilestat(m, st, at: result)
  }

  func pathFilestatSetTimes(_ m: GuestMemory, _ fd: UInt32, _ flags: UInt32, _ path: UInt32, _ length: UInt32,
                            _ atim: UInt64, _ mtim: UInt64, _ fstflags: UInt32) throws {
    var times = try WASI.timespecs(atim, mtim, fstflags)
    try withPath(m, fd, path, length, rights: .pathFilestatSetTimes, follow: flags & 1 != 0) { p in
      guard utimensat(p.parent, p.name, &times, AT_SYMLINK_NOFOLLOW) == 0 else { throw Errno.last }
    }
  }

  func pathLink(_ m: GuestMemory, _ oldFD: UInt32, _ oldFlags: UInt32, _ oldPath: UInt32, _ oldLength: UInt32,
                _ newFD: UInt32, _ newPath: UInt32, _ newLength: UInt32) throws {
    try withPath(m, oldFD, oldPath, oldLength, rights: .pathLinkSource, follow: oldFlags & 1 != 0) { old in
      try withPath(m, newFD, newPath, newLength, rights: .pathLinkTarget, follow: false) { new in
        if let st = lookup(old), isDirectory(st) { throw Errno.perm }
        if old.trailingSlash, let st = lookup(old), !isDirectory(st) { throw Errno.notdir }
        if new.trailingSlash { throw lookup(new) != nil ? Errno.exist : Errno.noent }
        guard linkat(old.parent, old.name, new.parent, new.name, 0) == 0 else { throw Errno.last }
      }
    }
  }

  func pathReadlink(_ m: GuestMemory, _ fd: UInt32, _ path: UInt32, _ length: UInt32, _ buffer: UInt32,
                    _ bufferLength: UInt32, _ result: UInt32) throws {
    let target: [UInt8] = try withPath(m, fd, path, length, rights: .pathReadlink, follow: false) { p in
      var bytes = [CChar](repeating: 0, count: 4097)
      let n = readlinkat(p.parent, p.name, &bytes, 4096)
      guard n >= 0 else { throw Errno.last }
      return bytes[0..<n].map { UInt8(bitPattern: $0) }
    }
    let copied = Array(target.prefix(Int(bufferLength)))
    try m.write(copied, at: buffer)
    try m.store(UInt32(copied.count), at: result)
  }

  func pathRemove(_ m: GuestMemory, _ fd: UInt32, _ path: UInt32, _ length: UInt32, directory: Bool) throws {
    try withPath(m, fd, path, length, rights: directory ? .pathRemoveDirectory : .pathUnlinkFile, follow: false) { p in
      if !directory, p.trailingSlash, let st = lookup(p) {
        throw isDirectory(st) ? Errno.isdir : Errno.notdir
      }
      guard unlinkat(p.parent, p.name, directory ? AT_REMOVEDIR : 0) == 0 else {
        // Linux reports EISDIR for unlink of a directory; POSIX and WASI say EISDIR too, but EPERM elsewhere.
        throw Errno.last
      }
    }
  }

  func pathRename(_ m: GuestMemory, _ fd: UInt32, _ oldPath: UInt32, _ oldLength: UInt32, _ newFD: UInt32,
                  _ newPath: UInt32, _ newLength: UInt32) throws {
    try withPath(m, fd, oldPath, oldLength, rights: .pathRenameSource, follow: false) { old in
      try withPath(m, newFD, newPath, newLength, rights: .pathRenameTarget, follow: false) { new in
        if old.trailingSlash || new.trailingSlash {
          guard let st = lookup(old) else { throw Errno.noent }
          if !isDirectory(st) { throw Errno.notdir }
        }
        guard renameat(old.parent, old.name, new.parent, new.name) == 0 else { throw Errno.last }
      }
    }
  }

  func pathSymlink(_ m: GuestMemory, _ target: UInt32, _ targetLength: UInt32, _ fd: UInt32, _ path: UInt32,
                   _ length: UInt32) throws {
    let link = try m.string(target, targetLength)
    // A link pointing outside the sandbox by an absolute path is refused, as path resolution would refuse it.
    if link.hasPrefix("/") { throw Errno.perm }
    try withPath(m, fd, path, length, rights: .pathSymlink, follow: false) { p in
      if p.trailingSlash {
        throw lookup(p) != nil ? Errno.exist : Errno.noent
      }
      guard symlinkat(link, p.parent, p.name) == 0 else { throw Errno.last }
    }
  }
}

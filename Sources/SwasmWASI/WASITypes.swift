#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// WASI preview 1 error numbers (`errno` in wasi_snapshot_preview1).
enum Errno: UInt16, Error {
  case success = 0, toobig, acces, addrinuse, addrnotavail, afnosupport, again, already, badf, badmsg, busy
  case canceled, child, connaborted, connrefused, connreset, deadlk, destaddrreq, dom, dquot, exist, fault
  case fbig, hostunreach, idrm, ilseq, inprogress, intr, inval, io, isconn, isdir, loop, mfile, mlink, msgsize
  case multihop, nametoolong, netdown, netreset, netunreach, nfile, nobufs, nodev, noent, noexec, nolck, nolink
  case nomem, nomsg, noprotoopt, nospc, nosys, notconn, notdir, notempty, notrecoverable, notsock, notsup, notty
  case nxio, overflow, ownerdead, perm, pipe, proto, protonosupport, prototype, range, rofs, spipe, srch, stale
  case timedout, txtbsy, xdev, notcapable

  /// The WASI errno for a host `errno`.
  init(posix code: Int32) {
    switch code {
    case EPERM: self = .perm
    case ENOENT: self = .noent
    case EINTR: self = .intr
    case EIO: self = .io
    case ENXIO: self = .nxio
    case E2BIG: self = .toobig
    case EBADF: self = .badf
    case EAGAIN: self = .again
    case ENOMEM: self = .nomem
    case EACCES: self = .acces
    case EFAULT: self = .fault
    case EBUSY: self = .busy
    case EEXIST: self = .exist
    case EXDEV: self = .xdev
    case ENODEV: self = .nodev
    case ENOTDIR: self = .notdir
    case EISDIR: self = .isdir
    case EINVAL: self = .inval
    case ENFILE: self = .nfile
    case EMFILE: self = .mfile
    case ENOTTY: self = .notty
    case ETXTBSY: self = .txtbsy
    case EFBIG: self = .fbig
    case ENOSPC: self = .nospc
    case ESPIPE: self = .spipe
    case EROFS: self = .rofs
    case EMLINK: self = .mlink
    case EPIPE: self = .pipe
    case ERANGE: self = .range
    case ENAMETOOLONG: self = .nametoolong
    case ENOSYS: self = .nosys
    case ENOTEMPTY: self = .notempty
    case ELOOP: self = .loop
    case EOVERFLOW: self = .overflow
    case ENOTSUP: self = .notsup
    case ENOTSOCK: self = .notsock
    case ETIMEDOUT: self = .timedout
    case ECONNRESET: self = .connreset
    case ENOTCONN: self = .notconn
    default: self = .io
    }
  }

  /// The current host `errno` as a WASI errno.
  static var last: Errno { Errno(posix: errno) }
}

/// The error `proc_exit` throws to unwind the guest: `WASI.start(_:)` returns its code as the exit status; a call
/// into another export (a reactor's) throws it.
public struct WASIExit: Error, CustomStringConvertible {
  /// The exit status the guest passed to `proc_exit`.
  public let code: Int32
  /// `exit(CODE)`.
  public var description: String { "exit(\(code))" }
}

/// A WASI call from a module whose memory 0 is 64-bit: WASI preview 1 passes 32-bit pointers into a 32-bit
/// memory (there is no wasm64 WASI), so the call stops the program rather than guess.
public struct WASIMemory64Unsupported: Error, CustomStringConvertible {
  /// The WASI function the guest called, such as `fd_write`.
  public let function: String
  /// The message: which function was called, and that WASI preview 1 needs a 32-bit memory.
  public var description: String {
    "WASI \(function) called from a module whose memory 0 is 64-bit: WASI preview 1 needs a 32-bit memory"
  }
}

enum FileType: UInt8 {
  case unknown = 0, blockDevice, characterDevice, directory, regularFile, socketDgram, socketStream, symbolicLink

  init(mode: mode_t) {
    switch mode & S_IFMT {
    case S_IFBLK: self = .blockDevice
    case S_IFCHR: self = .characterDevice
    case S_IFDIR: self = .directory
    case S_IFREG: self = .regularFile
    case S_IFSOCK: self = .socketStream
    case S_IFLNK: self = .symbolicLink
    default: self = .unknown
    }
  }
}

/// Capability bits (`rights` in WASI).
struct Rights: OptionSet {
  let rawValue: UInt64
  static let fdDatasync = Rights(rawValue: 1 << 0)
  static let fdRead = Rights(rawValue: 1 << 1)
  static let fdSeek = Rights(rawValue: 1 << 2)
  static let fdFdstatSetFlags = Rights(rawValue: 1 << 3)
  static let fdSync = Rights(rawValue: 1 << 4)
  static let fdTell = Rights(rawValue: 1 << 5)
  static let fdWrite = Rights(rawValue: 1 << 6)
  static let fdAdvise = Rights(rawValue: 1 << 7)
  static let fdAllocate = Rights(rawValue: 1 << 8)
  static let pathCreateDirectory = Rights(rawValue: 1 << 9)
  static let pathCreateFile = Rights(rawValue: 1 << 10)
  static let pathLinkSource = Rights(rawValue: 1 << 11)
  static let pathLinkTarget = Rights(rawValue: 1 << 12)
  static let pathOpen = Rights(rawValue: 1 << 13)
  static let fdReaddir = Rights(rawValue: 1 << 14)
  static let pathReadlink = Rights(rawValue: 1 << 15)
  static let pathRenameSource = Rights(rawValue: 1 << 16)
  static let pathRenameTarget = Rights(rawValue: 1 << 17)
  static let pathFilestatGet = Rights(rawValue: 1 << 18)
  static let pathFilestatSetSize = Rights(rawValue: 1 << 19)
  static let pathFilestatSetTimes = Rights(rawValue: 1 << 20)
  static let fdFilestatGet = Rights(rawValue: 1 << 21)
  static let fdFilestatSetSize = Rights(rawValue: 1 << 22)
  static let fdFilestatSetTimes = Rights(rawValue: 1 << 23)
  static let pathSymlink = Rights(rawValue: 1 << 24)
  static let pathRemoveDirectory = Rights(rawValue: 1 << 25)
  static let pathUnlinkFile = Rights(rawValue: 1 << 26)
  static let pollFdReadwrite = Rights(rawValue: 1 << 27)
  static let sockShutdown = Rights(rawValue: 1 << 28)
  static let sockAccept = Rights(rawValue: 1 << 29)

  static let all = Rights(rawValue: (1 << 30) - 1)
  /// What a regular file may do.
  static let file: Rights = [.fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite,
                             .fdAdvise, .fdAllocate, .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes,
                             .pollFdReadwrite]
  /// What a directory may do (and pass on to what is opened beneath it).
  static let directory: Rights = [.fdFdstatSetFlags, .fdSync, .fdAdvise, .pathCreateDirectory, .pathCreateFile,
                                  .pathLinkSource, .pathLinkTarget, .pathOpen, .fdReaddir, .pathReadlink,
                                  .pathRenameSource, .pathRenameTarget, .pathFilestatGet, .pathFilestatSetSize,
                                  .pathFilestatSetTimes, .fdFilestatGet, .fdFilestatSetTimes, .pathSymlink,
                                  .pathRemoveDirectory, .pathUnlinkFile]
}

/// `fdflags`
enum FDFlags {
  static let append: UInt16 = 1
  static let dsync: UInt16 = 2
  static let nonblock: UInt16 = 4
  static let rsync: UInt16 = 8
  static let sync: UInt16 = 16
}

/// `oflags`
enum OFlags {
  static let creat: UInt16 = 1
  static let directory: UInt16 = 2
  static let excl: UInt16 = 4
  static let trunc: UInt16 = 8
}

// Linux values that Glibc's Swift module does not expose (they need _GNU_SOURCE in C).
let oPath: Int32 = 0o10000000
let utimeNow = (1 << 30) - 1
let utimeOmit = (1 << 30) - 2

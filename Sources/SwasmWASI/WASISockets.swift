#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// sock_* functions, on sockets the host handed over (`swasm run --tcplisten`) and the connections they accept.
extension WASI {
  static let connectionRights: Rights = [.fdRead, .fdWrite, .pollFdReadwrite, .sockShutdown, .fdFdstatSetFlags,
                                         .fdFilestatGet]
  static let listenerRights: Rights = [.sockAccept, .pollFdReadwrite, .fdFdstatSetFlags, .fdFilestatGet]

  func socket(_ fd: UInt32) throws -> FileEntry {
    let entry = try files.get(fd)
    guard entry.type == .socketStream || entry.type == .socketDgram else { throw Errno.notsock }
    return entry
  }

  func sockAccept(_ m: GuestMemory, _ fd: UInt32, _ flags: UInt32, _ result: UInt32) throws {
    let listener = try socket(fd)
    try listener.require(.sockAccept)
    guard flags & ~UInt32(FDFlags.nonblock) == 0 else { throw Errno.inval }
    let connection = accept(listener.hostFD, nil, nil)
    guard connection >= 0 else { throw Errno.last }
    _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
    if flags & UInt32(FDFlags.nonblock) != 0 { _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK) }
    let entry = FileEntry(hostFD: connection, type: .socketStream, rightsBase: WASI.connectionRights,
                          rightsInheriting: [], fdFlags: UInt16(truncatingIfNeeded: flags))
    try m.store(try files.add(entry), at: result)
  }

  func sockRecv(_ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, _ flags: UInt32,
                _ lengthResult: UInt32, _ flagsResult: UInt32) throws {
    let entry = try socket(fd)
    try entry.require(.fdRead)
    guard flags & ~3 == 0 else { throw Errno.inval }
    var hostFlags: Int32 = 0
    if flags & 1 != 0 { hostFlags |= Int32(MSG_PEEK) }
    if flags & 2 != 0 { hostFlags |= Int32(MSG_WAITALL) }
    var total = 0
    try m.forEachIovec(iovs, count) { buffer in
      let n = recv(entry.hostFD, buffer.baseAddress, buffer.count, hostFlags)
      if n < 0 {
        if total > 0 { return false }
        throw Errno.last
      }
      total += n
      return n == buffer.count && flags & 1 == 0
    }
    try m.store(UInt32(total), at: lengthResult)
    try m.store(UInt16(0), at: flagsResult)
  }

  func sockSend(_ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, _ flags: UInt32,
                _ lengthResult: UInt32) throws {
    let entry = try socket(fd)
    try entry.require(.fdWrite)
    var total = 0
    try m.forEachIovec(iovs, count) { buffer in
      let n = send(entry.hostFD, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
      if n < 0 {
        if total > 0 { return false }
        throw Errno.last
      }
      total += n
      return n == buffer.count
    }
    try m.store(UInt32(total), at: lengthResult)
  }

  func sockShutdown(_ fd: UInt32, _ how: UInt32) throws {
    let entry = try socket(fd)
    try entry.require(.sockShutdown)
    let hostHow: Int32
    switch how {
    case 1: hostHow = Int32(SHUT_RD)
    case 2: hostHow = Int32(SHUT_WR)
    case 3: hostHow = Int32(SHUT_RDWR)
    default: throw Errno.inval
    }
    guard shutdown(entry.hostFD, hostHow) == 0 else { throw Errno.last }
  }
}

/// A TCP socket listening on `address` ("HOST:PORT", IPv4), for `swasm run --tcplisten`.
public func makeTCPListener(_ address: String) throws -> Int32 {
  guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
    throw WASIError("--tcplisten expects HOST:PORT, got \"\(address)\"")
  }
  var addr = sockaddr_in()
  addr.sin_family = sa_family_t(AF_INET)
  addr.sin_port = port.bigEndian
  guard inet_pton(AF_INET, String(address[..<colon]), &addr.sin_addr) == 1 else {
    throw WASIError("--tcplisten: not an IPv4 address: \(address[..<colon])")
  }
  let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
  guard fd >= 0 else { throw WASIError("socket: \(String(cString: strerror(errno)))") }
  var one: Int32 = 1
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
  let bound = withUnsafePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
  }
  guard bound == 0, listen(fd, 128) == 0 else {
    let message = String(cString: strerror(errno))
    close(fd)
    throw WASIError("cannot listen on \(address): \(message)")
  }
  return fd
}

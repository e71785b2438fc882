#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func yieldProcessor() { _ = sched_yield() }

// Arguments, environment, clocks, randomness, polling.
extension WASI {
  /// args_get / environ_get: pointers to NUL-terminated strings, and the strings themselves.
  func stringsGet(_ strings: [String], _ m: GuestMemory, _ pointers: UInt32, _ buffer: UInt32) throws {
    var offset = buffer
    for (i, s) in strings.enumerated() {
      try m.store(offset, at: pointers &+ UInt32(i) * 4)
      let bytes = Array(s.utf8) + [0]
      try m.write(bytes, at: offset)
      offset &+= UInt32(bytes.count)
    }
  }

  func stringsSizes(_ strings: [String], _ m: GuestMemory, _ countPointer: UInt32, _ sizePointer: UInt32) throws {
    try m.store(UInt32(strings.count), at: countPointer)
    try m.store(UInt32(strings.reduce(0) { $0 + $1.utf8.count + 1 }), at: sizePointer)
  }

  static func hostClock(_ id: UInt32) throws -> clockid_t {
    switch id {
    case 0: return CLOCK_REALTIME
    case 1: return CLOCK_MONOTONIC
    case 2: return CLOCK_PROCESS_CPUTIME_ID
    case 3: return CLOCK_THREAD_CPUTIME_ID
    default: throw Errno.inval
    }
  }

  func clockResGet(_ m: GuestMemory, _ id: UInt32, _ result: UInt32) throws {
    var ts = timespec()
    guard clock_getres(try WASI.hostClock(id), &ts) == 0 else { throw Errno.last }
    try m.store(UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec), at: result)
  }

  func clockTimeGet(_ m: GuestMemory, _ id: UInt32, _ result: UInt32) throws {
    var ts = timespec()
    guard clock_gettime(try WASI.hostClock(id), &ts) == 0 else { throw Errno.last }
    try m.store(UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec), at: result)
  }

  func randomGet(_ m: GuestMemory, _ buffer: UInt32, _ length: UInt32) throws {
    let target = try m.buffer(buffer, length)
    var generator = SystemRandomNumberGenerator()  // the OS's CSPRNG (getrandom on Linux)
    var i = 0
    while i < target.count {
      let word = generator.next()
      for k in 0..<min(8, target.count - i) { target[i + k] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(k))) }
      i += 8
    }
  }

  /// poll_oneoff: regular files are always ready (as on other runtimes); sockets, pipes and terminals are polled
  /// with poll(2), waiting at most until the earliest clock subscription.
  func pollOneoff(_ m: GuestMemory, _ input: UInt32, _ output: UInt32, _ count: UInt32, _ eventsPointer: UInt32)
    throws
  {
    guard count > 0 else { throw Errno.inval }
    try m.check(input, count &* 48)
    try m.check(output, count &* 32)
    typealias Event = (userdata: UInt64, error: Errno, type: UInt8, nbytes: UInt64)
    var ready: [Event] = []
    var polled: [(userdata: UInt64, type: UInt8, index: Int)] = []
    var pollfds: [pollfd] = []
    var timeout: (deadline: UInt64, userdata: UInt64)?
    let now = WASI.monotonicNow()
    for i in 0..<count {
      let base = input + i * 48
      let userdata = try m.load(base, as: UInt64.self)
      let tag = try m.load(base + 8, as: UInt8.self)
      switch tag {
      case 0:  // clock
        let clock = try m.load(base + 16, as: UInt32.self)
        let value = try m.load(base + 24, as: UInt64.self)
        let flags = try m.load(base + 40, as: UInt16.self)
        var deadline = now &+ value
        if flags & 1 != 0 {  // absolute: convert to the monotonic clock
          var ts = timespec()
          clock_gettime(try WASI.hostClock(clock), &ts)
          let current = nanoseconds(ts)
          deadline = now &+ (value > current ? value - current : 0)
        }
        if timeout == nil || deadline < timeout!.deadline { timeout = (deadline, userdata) }
      case 1, 2:  // fd_read, fd_write
        let fd = try m.load(base + 16, as: UInt32.self)
        guard let entry = files[fd] else {
          ready.append((userdata, .badf, tag, 0))
          continue
        }
        if let stream = entry.stream {
          ready.append((userdata, .success, tag, tag == 1 ? UInt64(stream.availableBytes) : 0))
        } else if entry.type == .regularFile {
          ready.append((userdata, .success, tag, tag == 1 ? availableBytes(entry.hostFD) : 0))
        } else {
          polled.append((userdata, tag, pollfds.count))
          pollfds.append(pollfd(fd: entry.hostFD, events: Int16(tag == 1 ? POLLIN : POLLOUT), revents: 0))
        }
      default:
        throw Errno.inval
      }
    }
    var milliseconds: Int32 = -1
    if !ready.isEmpty {
      milliseconds = 0
    } else if let timeout {
      milliseconds = timeout.deadline > now ? Int32(clamping: (timeout.deadline - now + 999_999) / 1_000_000) : 0
    }
    var events = ready
    if !pollfds.isEmpty {
      var n: Int32
      repeat { n = poll(&pollfds, nfds_t(pollfds.count), milliseconds) } while n < 0 && errno == EINTR
      guard n >= 0 else { throw Errno.last }
      for p in polled where pollfds[p.index].revents != 0 {
        var available: Int32 = 0
        if p.type == 1 { _ = ioctl(pollfds[p.index].fd, UInt(FIONREAD), &available) }
        events.append((p.userdata, .success, p.type, UInt64(max(available, 0))))
      }
    } else if events.isEmpty, let timeout, timeout.deadline > now {
      let wait = timeout.deadline - now
      var request = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
      var remaining = timespec()
      while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
    if events.isEmpty, let timeout { events.append((timeout.userdata, .success, 0, 0)) }
    for (i, event) in events.enumerated() {
      let base = output + UInt32(i) * 32
      try m.store(event.userdata, at: base)
      try m.store(event.error.rawValue, at: base + 8)
      try m.store(event.type, at: base + 10)
      try m.store(event.nbytes, at: base + 16)
      try m.store(UInt16(0), at: base + 24)
    }
    try m.store(UInt32(events.count), at: eventsPointer)
  }

  static func monotonicNow() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
  }

  private func availableBytes(_ fd: Int32) -> UInt64 {
    var st = stat()
    guard fstat(fd, &st) == 0 else { return 0 }
    let position = lseek(fd, 0, SEEK_CUR)
    return position >= 0 && Int64(st.st_size) > Int64(position) ? UInt64(Int64(st.st_size) - Int64(position)) : 0
  }
}

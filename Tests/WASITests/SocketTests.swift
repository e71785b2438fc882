import Foundation
import SwasmTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `swasm run --tcplisten` hands a listening socket to the guest, which accepts a connection and talks over it
/// with sock_accept, sock_recv, sock_send and sock_shutdown (guests/echo.c).
final class SocketTests: XCTestCase {
  static let guest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("guests/echo.wasm")

  /// A port that was free a moment ago.
  func freePort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
        _ = bind(fd, p, length)
        return getsockname(fd, p, &length)
      }
    }
    return UInt16(bigEndian: addr.sin_port)
  }

  /// Connects (retrying while the guest starts), sends a line, returns the reply.
  func exchange(_ port: UInt16, _ line: String) throws -> String {
    for _ in 0..<200 {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var addr = sockaddr_in()
      addr.sin_family = sa_family_t(AF_INET)
      addr.sin_port = port.bigEndian
      addr.sin_addr.s_addr = inet_addr("127.0.0.1")
      let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      if connected != 0 {
        close(fd)
        usleep(20_000)
        continue
      }
      defer { close(fd) }
      let bytes = Array(line.utf8)
      _ = send(fd, bytes, bytes.count, 0)
      var reply = [UInt8]()
      var buffer = [UInt8](repeating: 0, count: 256)
      while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        reply += buffer[0..<n]
      }
      return String(decoding: reply, as: UTF8.self)
    }
    throw XCTSkip("could not connect to the guest on port \(port)")
  }

  func testGuestServesAConnectionOnAHandedOverSocket() throws {
    let port = freePort()
    let process = Process()
    process.executableURL = builtProduct("swasm")
    process.arguments = ["run", "--tcplisten", "127.0.0.1:\(port)", Self.guest.path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let reply = try exchange(port, "hello socket\n")
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(reply, "echo: hello socket\n")
    XCTAssertEqual(stdout, "served hello socket\n")
    XCTAssertEqual(process.terminationStatus, 0)
  }
}

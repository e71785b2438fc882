/// Bounds-checked little-endian access to a guest's linear memory; every out-of-bounds access is `Errno.fault`.
struct GuestMemory {
  let bytes: UnsafeMutableRawBufferPointer

  func check(_ offset: UInt32, _ count: UInt32) throws {
    guard UInt64(offset) + UInt64(count) <= UInt64(bytes.count) else { throw Errno.fault }
  }

  func load<T: FixedWidthInteger>(_ offset: UInt32, as: T.Type) throws -> T {
    try check(offset, UInt32(MemoryLayout<T>.size))
    return T(littleEndian: bytes.loadUnaligned(fromByteOffset: Int(offset), as: T.self))
  }

  func store<T: FixedWidthInteger>(_ value: T, at offset: UInt32) throws {
    try check(offset, UInt32(MemoryLayout<T>.size))
    bytes.storeBytes(of: value.littleEndian, toByteOffset: Int(offset), as: T.self)
  }

  /// A guest buffer as a host pointer (valid until the memory grows).
  func buffer(_ offset: UInt32, _ count: UInt32) throws -> UnsafeMutableRawBufferPointer {
    try check(offset, count)
    return UnsafeMutableRawBufferPointer(rebasing: bytes[Int(offset)..<Int(offset) + Int(count)])
  }

  func string(_ offset: UInt32, _ count: UInt32) throws -> String {
    String(decoding: try buffer(offset, count), as: UTF8.self)
  }

  func write(_ data: [UInt8], at offset: UInt32) throws {
    let target = try buffer(offset, UInt32(clamping: data.count))
    data.withUnsafeBytes { target.copyMemory(from: $0) }
  }

  /// Visits the buffers of an iovec array in order, without allocating; `body` returns false to stop.
  func forEachIovec(_ offset: UInt32, _ count: UInt32, _ body: (UnsafeMutableRawBufferPointer) throws -> Bool) throws {
    try check(offset, count &* 8)
    guard UInt64(count) * 8 <= UInt64(bytes.count) else { throw Errno.fault }
    for i in 0..<count {
      let entry = offset + i * 8
      let buffer = try buffer(try load(entry, as: UInt32.self), try load(entry + 4, as: UInt32.self))
      if buffer.count > 0, try !body(buffer) { return }
    }
  }
}

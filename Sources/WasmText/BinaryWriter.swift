/// Bytes of the binary format: LEB128 numbers, names, vectors, sections.
struct BinaryWriter {
  var bytes: [UInt8] = []

  mutating func byte(_ b: UInt8) { bytes.append(b) }

  mutating func u32(_ value: UInt32) { u64(UInt64(value)) }

  mutating func u64(_ value: UInt64) {
    var v = value
    repeat {
      let b = UInt8(v & 0x7F)
      v >>= 7
      bytes.append(v == 0 ? b : b | 0x80)
    } while v != 0
  }

  mutating func s64(_ value: Int64) {
    var v = value
    while true {
      let b = UInt8(truncatingIfNeeded: v) & 0x7F
      v >>= 7
      if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
        bytes.append(b)
        return
      }
      bytes.append(b | 0x80)
    }
  }

  mutating func s32(_ value: Int32) { s64(Int64(value)) }

  mutating func fixed32(_ value: UInt32) {
    for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
  }

  mutating func fixed64(_ value: UInt64) {
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
  }

  mutating func name(_ utf8: [UInt8]) {
    u32(UInt32(utf8.count))
    bytes += utf8
  }

  /// A section: its id, its size, its contents.
  mutating func section(_ id: UInt8, _ contents: [UInt8]) {
    byte(id)
    u32(UInt32(contents.count))
    bytes += contents
  }

  /// A vector section of `count` items already encoded in `items`; omitted when there are none.
  mutating func vectorSection(_ id: UInt8, count: Int, _ items: [UInt8]) {
    guard count > 0 else { return }
    var body = BinaryWriter()
    body.u32(UInt32(count))
    body.bytes += items
    section(id, body.bytes)
  }
}

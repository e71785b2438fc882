/// The module's bytes could not be decoded ("malformed" in the spec's terms).
public struct DecodeError: Error, CustomStringConvertible, Sendable {
  public var message: String
  /// Byte offset in the module where the problem was found.
  public var offset: Int
  /// The module is well formed as far as swasm can tell, but uses a proposal swasm does not implement yet.
  public var isUnsupported = false

  public init(_ message: String, at offset: Int) {
    self.message = message
    self.offset = offset
  }

  /// A feature swasm does not implement yet, named in `message`.
  public static func unsupported(_ message: String, at offset: Int) -> DecodeError {
    var error = DecodeError(message, at: offset)
    error.isUnsupported = true
    return error
  }

  public var description: String {
    "\(isUnsupported ? "unsupported" : "malformed") module at byte \(offset): \(message)"
  }
}

/// A bounds-checked cursor over a module's bytes, with the binary format's primitive readers.
struct ByteReader {
  let bytes: [UInt8]
  var position: Int
  /// Reads stop here (the end of the current section or body).
  var end: Int

  init(bytes: [UInt8], position: Int = 0, end: Int? = nil) {
    self.bytes = bytes
    self.position = position
    self.end = end ?? bytes.count
  }

  var isAtEnd: Bool { position >= end }

  func error(_ message: String) -> DecodeError { DecodeError(message, at: position) }

  mutating func byte() throws -> UInt8 {
    guard position < end else { throw error("unexpected end") }
    let b = bytes[position]
    position += 1
    return b
  }

  func peek() throws -> UInt8 {
    guard position < end else { throw error("unexpected end") }
    return bytes[position]
  }

  /// LEB128 of at most `bits` value bits. The final byte's unused bits must be zero (unsigned) or copies of the
  /// sign bit (signed); an encoding longer than ceil(bits/7) bytes is rejected.
  mutating func leb(bits: Int, signed: Bool) throws -> UInt64 {
    let start = position
    let maxBytes = (bits + 6) / 7
    var result: UInt64 = 0
    var shift: UInt64 = 0
    for i in 0..<maxBytes {
      let b = try byte()
      result |= UInt64(b & 0x7F) << shift
      shift += 7
      if b & 0x80 != 0 { continue }
      if i == maxBytes - 1 {
        let valueBits = bits - 7 * (maxBytes - 1)
        let payload = b & 0x7F
        if signed {
          let upper = payload >> UInt8(valueBits - 1)  // the sign bit and everything above it
          let allOnes = UInt8(0x7F) >> UInt8(valueBits - 1)
          guard upper == 0 || upper == allOnes else { throw DecodeError("integer too large", at: start) }
        } else {
          guard payload >> UInt8(valueBits) == 0 else { throw DecodeError("integer too large", at: start) }
        }
      }
      if signed && shift < 64 && b & 0x40 != 0 { result |= ~UInt64(0) << shift }
      return result
    }
    throw DecodeError("integer representation too long", at: start)
  }

  /// Inlined where it is read (a validator reads one or more per instruction); longer encodings out of line.
  @inline(__always)
  mutating func u32() throws -> UInt32 {
    if let b = singleByteLEB() { return UInt32(b) }  // most indices and counts
    return try multiByteU32()
  }

  @inline(never)
  private mutating func multiByteU32() throws -> UInt32 {
    // Up to five bytes; the fifth may carry only the top four bits (`leb` says what is wrong otherwise).
    let start = position
    var result: UInt32 = 0
    var shift: UInt32 = 0
    while position < end, position - start < 5 {
      let b = bytes[position]
      position += 1
      result |= UInt32(b & 0x7F) << shift
      if b < 0x80 {
        if position - start == 5 && b > 0x0F { break }
        return result
      }
      shift += 7
    }
    position = start
    return UInt32(truncatingIfNeeded: try leb(bits: 32, signed: false))
  }
  mutating func u64() throws -> UInt64 {
    if let b = singleByteLEB() { return UInt64(b) }
    return try leb(bits: 64, signed: false)
  }
  @inline(__always)
  mutating func s32() throws -> Int32 {
    if let b = singleByteLEB() { return Int32(Int8(bitPattern: b << 1) >> 1) }
    return Int32(truncatingIfNeeded: Int64(bitPattern: try leb(bits: 32, signed: true)))
  }
  mutating func s33() throws -> Int64 { Int64(bitPattern: try leb(bits: 33, signed: true)) }
  mutating func s64() throws -> Int64 {
    if let b = singleByteLEB() { return Int64(Int8(bitPattern: b << 1) >> 1) }
    return Int64(bitPattern: try leb(bits: 64, signed: true))
  }

  /// The next byte, consumed, when it is below 0x80: a whole LEB128 encoding (of its low 7 bits, sign-extended
  /// from bit 6 for a signed one), valid for every width. Small constants and offsets are most of a module's.
  @inline(__always)
  private mutating func singleByteLEB() -> UInt8? {
    guard position < end, case let b = bytes[position], b < 0x80 else { return nil }
    position += 1
    return b
  }

  mutating func fixed32() throws -> UInt32 {
    guard end - position >= 4 else { throw error("unexpected end") }
    var v: UInt32 = 0
    for i in 0..<4 { v |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
    position += 4
    return v
  }

  mutating func fixed64() throws -> UInt64 {
    guard end - position >= 8 else { throw error("unexpected end") }
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
    position += 8
    return v
  }

  /// A vector length, checked against the bytes left (every element takes at least `minElementSize` bytes) so
  /// that a huge declared count cannot make us allocate.
  mutating func count(minElementSize: Int = 1) throws -> Int {
    let start = position
    let n = Int(try u32())
    guard minElementSize == 0 || n <= (end - position) / minElementSize else {
      throw DecodeError("length out of bounds: \(n) elements", at: start)
    }
    return n
  }

  mutating func bytes(_ n: Int) throws -> ArraySlice<UInt8> {
    guard n >= 0, n <= end - position else { throw error("unexpected end: length out of bounds") }
    let slice = bytes[position..<(position + n)]
    position += n
    return slice
  }

  mutating func name() throws -> String {
    let n = try count()
    let start = position
    let raw = try bytes(n)
    guard let s = decodeUTF8(raw) else { throw DecodeError("malformed UTF-8 encoding", at: start) }
    return s
  }

  /// Skips a name, checking its UTF-8 as `name()` does, without making a String (an ASCII name allocates nothing).
  mutating func skipName() throws {
    let n = try count()
    let start = position
    let raw = try bytes(n)
    guard raw.allSatisfy({ $0 < 0x80 }) || decodeUTF8(raw) != nil else {
      throw DecodeError("malformed UTF-8 encoding", at: start)
    }
  }
}

/// Strict UTF-8 decoding (no overlongs, no surrogates, nothing above U+10FFFF).
func decodeUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
  // The standard library's validation rejects what the Wasm spec calls malformed UTF-8 (overlong forms,
  // surrogates, code points above U+10FFFF, truncated sequences) and builds the string in one pass.
  String(validating: bytes, as: UTF8.self)
}

import Glibc

/// Number literals of the text format: integers with `_` between digits, decimal or `0x` hexadecimal, and floats
/// (decimal, hexadecimal, `inf`, `nan`, `nan:0x...`), converted with the format's rules.
enum TextNumbers {
  /// The digits of an unsigned literal without sign (decimal or `0x` hex), or nil when malformed or above `limit`.
  static func unsigned(_ text: Substring, limit: UInt64) -> UInt64? {
    var digits = text.utf8[...]
    var radix: UInt64 = 10
    if digits.starts(with: "0x".utf8) {
      radix = 16
      digits = digits.dropFirst(2)
    }
    guard let first = digits.first, first != UInt8(ascii: "_"), digits.last != UInt8(ascii: "_") else { return nil }
    var value: UInt64 = 0
    var previousUnderscore = false
    for c in digits {
      if c == UInt8(ascii: "_") {
        if previousUnderscore { return nil }
        previousUnderscore = true
        continue
      }
      previousUnderscore = false
      guard let d = Lexer.hexValue(c), UInt64(d) < radix else { return nil }
      let (m, o1) = value.multipliedReportingOverflow(by: radix)
      let (s, o2) = m.addingReportingOverflow(UInt64(d))
      if o1 || o2 || s > limit { return nil }
      value = s
    }
    return value
  }

  /// An `iN` literal (N = 32 or 64) as its bit pattern: unsigned below 2^N, or signed (with a sign) in range.
  static func integer(_ text: Substring, bits: Int) -> UInt64? {
    let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
    switch text.first {
    case "-":
      guard let magnitude = unsigned(text.dropFirst(), limit: 1 << UInt64(bits - 1)) else { return nil }
      return (0 &- magnitude) & mask
    case "+":
      return unsigned(text.dropFirst(), limit: (1 << UInt64(bits - 1)) - 1)
    default:
      return unsigned(text, limit: mask)
    }
  }

  /// A `uN` literal (no sign allowed).
  static func natural(_ text: Substring, bits: Int = 32) -> UInt64? {
    unsigned(text, limit: bits == 64 ? .max : (1 << UInt64(bits)) - 1)
  }

  static func f32(_ text: Substring) -> UInt32? {
    guard let bits = float(text, exponentBits: 8, significandBits: 23) else { return nil }
    return UInt32(bits)
  }

  static func f64(_ text: Substring) -> UInt64? { float(text, exponentBits: 11, significandBits: 52) }

  /// A float literal as the bit pattern of an IEEE binary format with the given field widths (f32 or f64).
  private static func float(_ text: Substring, exponentBits: Int, significandBits: Int) -> UInt64? {
    var body = text
    var negative = false
    if let s = body.first, s == "+" || s == "-" {
      negative = s == "-"
      body = body.dropFirst()
    }
    let sign: UInt64 = negative ? UInt64(1) << UInt64(exponentBits + significandBits) : 0
    let infinity: UInt64 = ((UInt64(1) << UInt64(exponentBits)) - 1) << UInt64(significandBits)
    if body == "inf" { return sign | infinity }
    if body == "nan" { return sign | infinity | UInt64(1) << UInt64(significandBits - 1) }
    if body.hasPrefix("nan:0x") {
      guard let payload = unsigned(body.dropFirst(4), limit: (UInt64(1) << UInt64(significandBits)) - 1), payload != 0 else {
        return nil
      }
      return sign | infinity | payload
    }
    guard let cleaned = floatDigits(body) else { return nil }
    // strtof/strtod round correctly, from decimal and hexadecimal alike; `cleaned` has no radix character, which
    // would depend on the process's locale.
    if significandBits == 23 {
      let value = cleaned.withCString { strtof($0, nil) }
      guard value.isFinite else { return nil }
      return sign | UInt64(value.bitPattern)
    }
    let value = cleaned.withCString { strtod($0, nil) }
    guard value.isFinite else { return nil }
    return sign | value.bitPattern
  }

  /// A float literal without sign, checked against the grammar (`num (. frac?)? ([eE] sign? num)?` or
  /// `0x hexnum (. hexfrac?)? ([pP] sign? num)?`), as strtod reads it in any locale: its digits without `_` or
  /// `.`, and an exponent that makes up for the fraction's digits (`1.5e3` is `15e2`; `0x1.8p1` is `0x18p-3`).
  private static func floatDigits(_ body: Substring) -> String? {
    var rest = body.utf8[...]
    let hex = rest.starts(with: "0x".utf8)
    if hex { rest = rest.dropFirst(2) }
    var out = hex ? "0x" : ""
    /// Reads digits with single underscores between them, appending them to `out` when `keep`; returns how many,
    /// or nil when malformed (or empty unless `optional`).
    func digits(hex: Bool, optional: Bool, keep: Bool = true) -> [UInt8]? {
      var read: [UInt8] = []
      var previousUnderscore = false
      while let c = rest.first {
        if c == UInt8(ascii: "_") {
          guard !read.isEmpty, !previousUnderscore else { return nil }
          previousUnderscore = true
        } else if let d = Lexer.hexValue(c), hex || d < 10 {
          read.append(c)
          previousUnderscore = false
        } else {
          break
        }
        rest = rest.dropFirst()
      }
      guard !previousUnderscore, !read.isEmpty || optional else { return nil }
      if keep { out += String(decoding: read, as: UTF8.self) }
      return read
    }
    guard digits(hex: hex, optional: false) != nil else { return nil }
    var fractionDigits = 0
    if rest.first == UInt8(ascii: ".") {
      rest = rest.dropFirst()
      guard let fraction = digits(hex: hex, optional: true) else { return nil }
      fractionDigits = fraction.count
    }
    var exponent = 0
    if let e = rest.first, hex ? (e == UInt8(ascii: "p") || e == UInt8(ascii: "P")) : (e == UInt8(ascii: "e") || e == UInt8(ascii: "E")) {
      rest = rest.dropFirst()
      var negative = false
      if let s = rest.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
        negative = s == UInt8(ascii: "-")
        rest = rest.dropFirst()
      }
      guard let written = digits(hex: false, optional: false, keep: false) else { return nil }
      // Past a billion the value is zero or infinite whatever the digits (unless there are a billion of them).
      for d in written { exponent = min(exponent * 10 + Int(d - UInt8(ascii: "0")), 1_000_000_000) }
      if negative { exponent = -exponent }
    }
    guard rest.isEmpty else { return nil }
    return out + (hex ? "p" : "e") + String(exponent - fractionDigits * (hex ? 4 : 1))
  }
}

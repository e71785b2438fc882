/// String literals of the text format, for names (imports, exports) and data segments.
enum StringText {
  /// `bytes` quoted: printable ASCII as it is, except `"` and `\`, and every other byte as `\hh`. Byte by byte,
  /// so any bytes (a data segment's) come back the same, and a name's UTF-8 is written as its escaped bytes.
  static func quoted(_ bytes: some Sequence<UInt8>) -> String {
    var text = "\""
    for byte in bytes {
      if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
        text.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        text += "\\" + hexDigits[Int(byte >> 4)] + hexDigits[Int(byte & 0xF)]
      }
    }
    return text + "\""
  }

  /// A name's UTF-8, quoted.
  static func quoted(_ name: String) -> String { quoted(name.utf8) }

  private static let hexDigits = "0123456789abcdef".map(String.init)
}

import WasmBinary

/// The text format of modules (WAT): parsed into the binary format, which the decoder then reads like any module.
public enum WAT {
  /// Whether `bytes` are a module in the text format rather than a binary: its first byte that is not white space
  /// is `(` (a field, or a block comment) or `;` (a line comment). A binary module starts with `\0asm`.
  public static func isText(_ bytes: some Collection<UInt8>) -> Bool {
    guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return false }
    return first == UInt8(ascii: "(") || first == UInt8(ascii: ";")
  }

  /// A module's binary form: `bytes` themselves when they are a binary, or the binary their text parses to.
  public static func binary(_ bytes: [UInt8], features: WasmFeatures = .all) throws -> [UInt8] {
    isText(bytes) ? try parse(bytes: bytes, features: features) : bytes
  }

  /// Parses one module, `(module ...)` or just its fields, into the binary format.
  /// `features` chooses the text rules where Wasm versions differ: with memory64 (as in Wasm 3.0) limits and
  /// offsets are 64-bit numbers whatever the memory, which the validator then checks.
  public static func parse(bytes: [UInt8], features: WasmFeatures = .all) throws -> [UInt8] {
    guard let text = String(validating: bytes, as: UTF8.self) else { throw malformedUTF8(bytes) }
    return try parse(text, features: features)
  }

  public static func parse(_ text: String, features: WasmFeatures = .all) throws -> [UInt8] {
    var cursor = try cursor(over: text)
    let bytes: [UInt8]
    if cursor.isGroup("module") {
      cursor.index += 2
      let body = try moduleBody(&cursor, features: features)
      bytes = try body.quoted.map { try parse(bytes: $0, features: features) } ?? body.bytes
      try cursor.expectRightParen()
    } else {
      return try ModuleParser(cursor: cursor, features: features).parseAll()
    }
    guard cursor.atEnd else { throw cursor.error("unexpected text after the module") }
    return bytes
  }

  /// The error for text that is not UTF-8, at the first byte that is not.
  static func malformedUTF8(_ bytes: [UInt8]) -> TextError {
    // Lines end as the lexer ends them: at `\n`, `\r\n` or a lone `\r`.
    var line = 1, column = 1, afterCR = false
    var decoder = UTF8()
    var iterator = bytes.makeIterator()
    while case .scalarValue(let scalar) = decoder.decode(&iterator) {
      if scalar == "\n" && afterCR {
        afterCR = false
      } else if scalar == "\n" || scalar == "\r" {
        (line, column, afterCR) = (line + 1, 1, scalar == "\r")
      } else {
        (column, afterCR) = (column + 1, false)
      }
    }
    return TextError("malformed UTF-8 encoding", line: line, column: column)
  }

  static func cursor(over text: String) throws -> TokenCursor {
    let (tokens, endLine, endColumn) = try Lexer.tokens(text)
    return TokenCursor(tokens: tokens, endLine: endLine, endColumn: endColumn)
  }

  /// What a `(module ...)` holds after `module`: its name, and its binary (from fields, or `binary "..."`), or
  /// for `quote "..."` the text to parse later (a script's malformed-text tests parse it when asserted).
  struct ModuleBody {
    var name: String?
    var bytes: [UInt8]
    var quoted: [UInt8]?
  }

  /// Reads `$id? (binary "..."* | quote "..."* | field*)` up to the module's `)` (left for the caller).
  static func moduleBody(_ cursor: inout TokenCursor, features: WasmFeatures) throws -> ModuleBody {
    let name = cursor.takeID()
    if cursor.takeKeyword("binary") {
      return ModuleBody(name: name, bytes: try cursor.takeStrings())
    }
    if cursor.takeKeyword("quote") {
      let text = try cursor.takeStrings()
      return ModuleBody(name: name, bytes: [], quoted: text)
    }
    let parser = ModuleParser(cursor: cursor, features: features)
    let bytes = try parser.parse()
    cursor.index = parser.cursor.index
    return ModuleBody(name: name, bytes: bytes)
  }
}

extension ModuleParser {
  /// A file of bare module fields, with nothing after them.
  func parseAll() throws -> [UInt8] {
    let bytes = try parse()
    guard cursor.atEnd else { throw cursor.error("expected a module field") }
    return bytes
  }
}

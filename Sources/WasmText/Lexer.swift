/// The tokens of the text format (https://webassembly.github.io/spec/core/text/lexical.html).
public enum TokenKind: Equatable, Sendable {
  case leftParen
  case rightParen
  /// `i32.add`, `offset=4`, `func`: starts with a lowercase letter.
  case keyword
  /// `$name` or `$"name"`; `text` holds the name without `$`.
  case id
  /// A string literal; `bytes` holds its decoded bytes.
  case string
  /// Starts with a digit or a sign: read as a number on demand. (`inf` and `nan...` are keywords, which the
  /// float readers take as well.)
  case number
  /// Any other run of identifier characters (a token that means nothing).
  case reserved
}

public struct Token: Sendable {
  public var kind: TokenKind
  /// The token's source text (for an id, the name; for a string, the raw literal).
  public var text: Substring
  /// A string literal's bytes, or a quoted id's name bytes.
  public var bytes: [UInt8] = []
  public var line: Int
  public var column: Int
}

/// Splits text into tokens, dropping white space, comments and annotations (`(@name ...)`).
struct Lexer {
  private let source: [UInt8]
  private let text: String
  private var position = 0
  private var line = 1
  private var lineStart = 0
  private let classes = Lexer.characterClass

  init(_ text: String) {
    self.text = text
    source = Array(text.utf8)
  }

  /// The tokens of `text`, and the line and column just past its end (for errors there).
  static func tokens(_ text: String) throws -> (tokens: [Token], endLine: Int, endColumn: Int) {
    var lexer = Lexer(text)
    var tokens: [Token] = []
    while let token = try lexer.next() { tokens.append(token) }
    return (tokens, lexer.line, lexer.column(at: lexer.position))
  }

  /// An error at byte `offset` of the current line (default: the current position).
  private mutating func error(_ message: String, at offset: Int? = nil) -> TextError {
    TextError(message, line: line, column: column(at: offset ?? position))
  }

  /// A byte offset on the current line whose column is known, so that columns are counted in Unicode scalars in
  /// one pass over each line, tokens coming in order.
  private var knownOffset = 0
  private var knownColumn = 1

  /// The column, in Unicode scalars from 1 (what most editors show as characters), of byte `offset` of the
  /// current line.
  private mutating func column(at offset: Int) -> Int {
    if knownOffset < lineStart || knownOffset > offset { (knownOffset, knownColumn) = (lineStart, 1) }
    while knownOffset < offset {
      if source[knownOffset] & 0xC0 != 0x80 { knownColumn += 1 }  // not a UTF-8 continuation byte
      knownOffset += 1
    }
    return knownColumn
  }

  private func substring(_ range: Range<Int>) -> Substring {
    let utf8 = text.utf8
    let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
    let end = utf8.index(start, offsetBy: range.count)
    return text[start..<end]
  }

  mutating func next() throws -> Token? {
    while true {
      try skipSpaceAndComments()
      guard position < source.count else { return nil }
      if source[position] == UInt8(ascii: "("), position + 1 < source.count, source[position + 1] == UInt8(ascii: "@") {
        try skipAnnotation()
        continue
      }
      return try token()
    }
  }

  /// Whether the byte at `offset` ends a line: a line ends at `\n`, `\r\n` (at its `\n`) or a lone `\r`.
  private func endsLine(at offset: Int) -> Bool {
    source[offset] == UInt8(ascii: "\n")
      || source[offset] == UInt8(ascii: "\r") && (offset + 1 == source.count || source[offset + 1] != UInt8(ascii: "\n"))
  }

  private mutating func newLine(at offset: Int) {
    line += 1
    lineStart = offset + 1
  }

  private mutating func skipSpaceAndComments() throws {
    while position < source.count {
      let c = source[position]
      switch c {
      case UInt8(ascii: " "), UInt8(ascii: "\t"):
        position += 1
      case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        if endsLine(at: position) { newLine(at: position) }
        position += 1
      case UInt8(ascii: ";") where position + 1 < source.count && source[position + 1] == UInt8(ascii: ";"):
        // A line comment ends at a line feed or a carriage return.
        while position < source.count && source[position] != UInt8(ascii: "\n") && source[position] != UInt8(ascii: "\r") {
          position += 1
        }
      case UInt8(ascii: "(") where position + 1 < source.count && source[position + 1] == UInt8(ascii: ";"):
        try skipBlockComment()
      default:
        if c < 0x20 || c == 0x7F { throw error("unexpected control character") }
        return
      }
    }
  }

  /// `(; ... ;)`, nested.
  private mutating func skipBlockComment() throws {
    let (startLine, startColumn) = (line, column(at: position))
    var depth = 0
    while position < source.count {
      let c = source[position]
      let d = position + 1 < source.count ? source[position + 1] : 0
      if c == UInt8(ascii: "("), d == UInt8(ascii: ";") {
        depth += 1
        position += 2
      } else if c == UInt8(ascii: ";"), d == UInt8(ascii: ")") {
        depth -= 1
        position += 2
        if depth == 0 { return }
      } else {
        if endsLine(at: position) { newLine(at: position) }
        position += 1
      }
    }
    throw TextError("unterminated block comment", line: startLine, column: startColumn)
  }

  /// An annotation `(@id ...)`: skipped with everything inside, which must still be well-formed tokens.
  private mutating func skipAnnotation() throws {
    let (startLine, startColumn) = (line, column(at: position))
    position += 2
    // The annotation's name: identifier characters, or a string of valid UTF-8, right after `(@`.
    guard position < source.count, Self.isIdChar(source[position]) || source[position] == UInt8(ascii: "\"") else {
      throw TextError("annotation without a name", line: startLine, column: startColumn)
    }
    if source[position] == UInt8(ascii: "\"") {
      let name = try stringLiteral()
      guard !name.isEmpty, String(validating: name, as: UTF8.self) != nil else {
        throw TextError(name.isEmpty ? "empty annotation name" : "malformed UTF-8 encoding", line: startLine, column: startColumn)
      }
    }
    // Inside, anything that lexes is allowed, `(@...)` groups included: only the parentheses are counted.
    var depth = 1
    while depth > 0 {
      try skipSpaceAndComments()
      guard position < source.count else {
        throw TextError("unterminated annotation", line: startLine, column: startColumn)
      }
      let token = try token()
      if token.kind == .leftParen { depth += 1 } else if token.kind == .rightParen { depth -= 1 }
    }
  }

  static func isIdChar(_ c: UInt8) -> Bool { characterClass[Int(c)] == 1 }

  /// The bytes that may continue a token that is not a string: identifier characters (class 1), and the
  /// characters a `reserved` token may hold besides (class 2). One table lookup per byte, the lexer's inner loop
  /// (`classes`, the instance's copy, saves the check that a global is initialised).
  private static let characterClass: [UInt8] = {
    var table = [UInt8](repeating: 0, count: 256)
    for c in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(c)] = 1 }
    for c in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(c)] = 1 }
    for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(c)] = 1 }
    for c in "!#$%&'*+-./:<=>?@\\^_`|~".utf8 { table[Int(c)] = 1 }
    for c in ",;[]{}".utf8 { table[Int(c)] = 2 }
    return table
  }()

  private mutating func token() throws -> Token {
    let start = position
    let column = column(at: start)
    let c = source[position]
    if c == UInt8(ascii: "(") || c == UInt8(ascii: ")") {
      position += 1
      return Token(kind: c == UInt8(ascii: "(") ? .leftParen : .rightParen, text: substring(start..<position),
                   line: line, column: column)
    }
    // The longest run of identifier characters and strings is one token (`"a""b"` or `1$x` mean nothing).
    var strings = 0
    var bytes: [UInt8] = []
    var otherCharacters = false  // any of `,;[]{}`, which only a reserved token holds
    while position < source.count {
      let c = source[position]
      let kind = classes[Int(c)]
      if kind == 1 {
        position += 1
      } else if c == UInt8(ascii: "\"") {
        bytes = try stringLiteral()
        strings += 1
      } else if kind == 2 {
        if c == UInt8(ascii: ";"), position + 1 < source.count, source[position + 1] == UInt8(ascii: ";") { break }
        otherCharacters = true
        position += 1
      } else {
        break
      }
    }
    let raw = substring(start..<position)
    let length = position - start
    guard length > 0 else { throw error("unexpected character") }
    func make(_ kind: TokenKind, _ text: Substring, _ bytes: [UInt8] = []) -> Token {
      Token(kind: kind, text: text, bytes: bytes, line: line, column: column)
    }
    // One string and nothing else (a second `"` would have started a second string), or `$` and one string.
    if strings == 1 && source[start] == UInt8(ascii: "\"") && source[position - 1] == UInt8(ascii: "\"") {
      return make(.string, raw, bytes)
    }
    if strings == 1 && c == UInt8(ascii: "$") && source[start + 1] == UInt8(ascii: "\"") && source[position - 1] == UInt8(ascii: "\"") {
      guard !bytes.isEmpty, let name = String(validating: bytes, as: UTF8.self) else {
        throw TextError(bytes.isEmpty ? "empty identifier" : "malformed UTF-8 encoding", line: line, column: column)
      }
      return make(.id, Substring(name), bytes)
    }
    if strings > 0 { return make(.reserved, raw) }
    if otherCharacters { return make(.reserved, raw) }
    if c == UInt8(ascii: "$") { return length > 1 ? make(.id, raw.dropFirst()) : make(.reserved, raw) }
    if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
      return make(.number, raw)
    }
    if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) { return make(.keyword, raw) }
    return make(.reserved, raw)
  }

  /// Reads a string literal at `position` (on its opening quote) and returns its bytes.
  private mutating func stringLiteral() throws -> [UInt8] {
    let start = position
    position += 1
    var bytes: [UInt8] = []
    while true {
      guard position < source.count, source[position] != UInt8(ascii: "\n") else {
        throw error("unterminated string", at: start)
      }
      let c = source[position]
      position += 1
      if c == UInt8(ascii: "\"") { return bytes }
      if c < 0x20 || c == 0x7F { throw error("control character in string", at: position - 1) }
      guard c == UInt8(ascii: "\\") else {
        bytes.append(c)
        continue
      }
      guard position < source.count else { throw error("unterminated string", at: start) }
      let e = source[position]
      position += 1
      switch e {
      case UInt8(ascii: "t"): bytes.append(0x09)
      case UInt8(ascii: "n"): bytes.append(0x0A)
      case UInt8(ascii: "r"): bytes.append(0x0D)
      case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): bytes.append(e)
      case UInt8(ascii: "u"):
        bytes += try unicodeEscape()
      default:
        guard let high = Self.hexValue(e), position < source.count, let low = Self.hexValue(source[position]) else {
          throw error("unknown escape in string", at: position - 2)
        }
        position += 1
        bytes.append(UInt8(high << 4 | low))
      }
    }
  }

  /// `\u{hex}` after the `u`: the scalar's UTF-8 bytes.
  private mutating func unicodeEscape() throws -> [UInt8] {
    let start = position - 2
    guard position < source.count, source[position] == UInt8(ascii: "{") else { throw error("malformed \\u escape", at: start) }
    position += 1
    var value: UInt32 = 0
    var digits = 0
    var lastWasDigit = false
    while position < source.count, source[position] != UInt8(ascii: "}") {
      let c = source[position]
      if c == UInt8(ascii: "_"), lastWasDigit {
        lastWasDigit = false
      } else if let v = Self.hexValue(c) {
        guard value <= 0x10FFFF else { throw error("\\u escape out of range", at: start) }
        value = value << 4 | UInt32(v)
        digits += 1
        lastWasDigit = true
      } else {
        throw error("malformed \\u escape", at: start)
      }
      position += 1
    }
    guard position < source.count, digits > 0, lastWasDigit, let scalar = Unicode.Scalar(value) else {
      throw error("malformed \\u escape", at: start)
    }
    position += 1
    return Array(String(Character(scalar)).utf8)
  }

  static func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}

/// A position in a token list, with the small steps every parser of the text format takes.
struct TokenCursor {
  let tokens: [Token]
  var index: Int
  /// Where the text ends when nothing follows the last token (for errors at the end).
  let endLine: Int
  let endColumn: Int

  init(tokens: [Token], index: Int = 0, endLine: Int = 1, endColumn: Int = 1) {
    self.tokens = tokens
    self.index = index
    self.endLine = endLine
    self.endColumn = endColumn
  }

  var atEnd: Bool { index >= tokens.count }
  var current: Token? { index < tokens.count ? tokens[index] : nil }

  func peek(_ offset: Int = 0) -> Token? {
    index + offset < tokens.count ? tokens[index + offset] : nil
  }

  /// An error at the current token, or at the token `index` names.
  func error(_ message: String, at index: Int? = nil) -> TextError {
    let i = index ?? self.index
    guard i < tokens.count else { return TextError(message, line: endLine, column: endColumn) }
    return TextError(message, line: tokens[i].line, column: tokens[i].column)
  }

  func expected(_ what: String) -> TextError {
    guard let token = current else { return error("expected \(what), found the end of the text") }
    let found = switch token.kind {
    case .leftParen: "`(`"
    case .rightParen: "`)`"
    case .id: "`$\(token.text)`"
    default: "`\(token.text)`"
    }
    return error("expected \(what), found \(found)")
  }

  func isKeyword(_ word: StaticString, at offset: Int = 0) -> Bool {
    guard let t = peek(offset) else { return false }
    return t.kind == .keyword && t.text.utf8.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
  }

  /// Whether the next tokens are `(` and the keyword `word`.
  func isGroup(_ word: StaticString) -> Bool {
    peek()?.kind == .leftParen && isKeyword(word, at: 1)
  }

  /// The keyword after a `(`, if the next token is `(` followed by a keyword.
  var groupKeyword: Substring? {
    guard peek()?.kind == .leftParen, let t = peek(1), t.kind == .keyword else { return nil }
    return t.text
  }

  var isLeftParen: Bool { peek()?.kind == .leftParen }
  var isRightParen: Bool { peek()?.kind == .rightParen }

  mutating func advance() { index += 1 }

  mutating func expectLeftParen() throws {
    guard isLeftParen else { throw expected("`(`") }
    index += 1
  }

  mutating func expectRightParen() throws {
    guard isRightParen else { throw expected("`)`") }
    index += 1
  }

  mutating func expectKeyword(_ word: StaticString) throws {
    guard isKeyword(word) else { throw expected("`\(word)`") }
    index += 1
  }

  /// `(` and the keyword `word`.
  mutating func expectGroup(_ word: StaticString) throws {
    guard isGroup(word) else { throw expected("`(\(word)`") }
    index += 2
  }

  mutating func takeKeyword(_ word: StaticString) -> Bool {
    guard isKeyword(word) else { return false }
    index += 1
    return true
  }

  /// Takes `(` `word` when they come next.
  mutating func takeGroup(_ word: StaticString) -> Bool {
    guard isGroup(word) else { return false }
    index += 2
    return true
  }

  mutating func takeID() -> String? {
    guard let t = current, t.kind == .id else { return nil }
    index += 1
    return String(t.text)
  }

  mutating func takeString() throws -> [UInt8] {
    guard let t = current, t.kind == .string else { throw expected("a string") }
    index += 1
    return t.bytes
  }

  /// A string that must be valid UTF-8 (a name).
  mutating func takeName() throws -> [UInt8] {
    let bytes = try takeString()
    guard String(validating: bytes, as: UTF8.self) != nil else {
      index -= 1
      throw error("malformed UTF-8 encoding")
    }
    return bytes
  }

  mutating func takeStrings() throws -> [UInt8] {
    var bytes: [UInt8] = []
    while current?.kind == .string { bytes += try takeString() }
    return bytes
  }

  var isNumber: Bool { current?.kind == .number }

  /// An unsigned integer literal of at most `bits` bits.
  mutating func takeNatural(bits: Int = 32) throws -> UInt64 {
    guard let t = current, t.kind == .number else { throw expected("a number") }
    guard let value = TextNumbers.natural(t.text, bits: bits) else { throw error("constant out of range or malformed: \(t.text)") }
    index += 1
    return value
  }

  mutating func takeU32() throws -> UInt32 { UInt32(try takeNatural()) }

  /// Skips to just after the `)` that closes the group open at `index` (its `(` is before). Unclosed, the error
  /// names where the group opened, when `openedAt` says.
  mutating func skipGroupRest(openedAt: Int? = nil) throws {
    var depth = 1
    while depth > 0 {
      guard let t = current else {
        guard let openedAt else { throw expected("`)`") }
        throw error("this `(` is never closed", at: openedAt)
      }
      if t.kind == .leftParen { depth += 1 } else if t.kind == .rightParen { depth -= 1 }
      index += 1
    }
  }
}

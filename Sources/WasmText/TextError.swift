/// A text-format error: where it is (line and column, from 1; columns count Unicode scalars) and what was
/// expected there.
public struct TextError: Error, CustomStringConvertible, Sendable {
  public var line: Int
  public var column: Int
  public var message: String

  public init(_ message: String, line: Int, column: Int) {
    self.message = message
    self.line = line
    self.column = column
  }

  public var description: String { "\(line):\(column): \(message)" }
}

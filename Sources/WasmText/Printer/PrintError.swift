/// A module the printer cannot write as text: something the binary format can hold that has no text form (an
/// alignment beyond 2^63), which only an invalid module has.
public struct PrintError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

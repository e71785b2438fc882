/// Why execution stopped abnormally. Raw values are stored in the interpreter state.
public enum TrapCode: UInt32, Sendable {
  case none = 0
  case unreachable
  case integerDivideByZero
  case integerOverflow
  case invalidConversionToInteger
  case outOfBoundsMemoryAccess
  case outOfBoundsTableAccess
  case undefinedElement
  case uninitializedElement
  case indirectCallTypeMismatch
  case callStackExhausted
  case hostTrap
  case outOfFuel
  case interrupted
  /// A function of a cached or precompiled module failed to decode or verify on its first call.
  case invalidCachedCode
  /// A Wasm exception was thrown and nothing caught it (the embedding API throws a `WasmException`).
  case exception
  /// `throw_ref` of a null exception reference.
  case nullExceptionReference
  /// A function translated on its first call exceeded a limit of the translator (validation accepted it).
  case untranslatableFunction

  /// The spec test suite's wording for each trap.
  public var message: String {
    switch self {
    case .none: return "no trap"
    case .unreachable: return "unreachable"
    case .integerDivideByZero: return "integer divide by zero"
    case .integerOverflow: return "integer overflow"
    case .invalidConversionToInteger: return "invalid conversion to integer"
    case .outOfBoundsMemoryAccess: return "out of bounds memory access"
    case .outOfBoundsTableAccess: return "out of bounds table access"
    case .undefinedElement: return "undefined element"
    case .uninitializedElement: return "uninitialized element"
    case .indirectCallTypeMismatch: return "indirect call type mismatch"
    case .callStackExhausted: return "call stack exhausted"
    case .hostTrap: return "host function trapped"
    case .outOfFuel: return "all fuel consumed"
    case .interrupted: return "interrupted"
    case .invalidCachedCode: return "precompiled code of this function is damaged or failed verification"
    case .exception: return "uncaught exception"
    case .nullExceptionReference: return "null exception reference"
    case .untranslatableFunction: return "function exceeds a limit of the translator"
    }
  }
}

/// A trap: execution of Wasm code stopped. `backtrace` lists function names, innermost first.
public struct Trap: Error, CustomStringConvertible {
  public var code: TrapCode
  public var message: String
  public var backtrace: [String]

  public init(_ code: TrapCode, message: String? = nil, backtrace: [String] = []) {
    self.code = code
    self.message = message ?? code.message
    self.backtrace = backtrace
  }

  public var description: String {
    var text = "trap: \(message)"
    if let top = backtrace.first { text += " (in \(top))" }
    return text
  }
}

/// Instantiation failed while resolving imports: unknown import or incompatible type.
public struct LinkError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "link error: \(message)" }
}

/// Why execution stopped abnormally. Raw values are stored in the interpreter state.
public enum TrapCode: UInt32, Sendable {
  /// No trap: the interpreter's state while nothing has trapped.
  case none = 0
  /// The guest ran an `unreachable` instruction.
  case unreachable
  /// An integer division or remainder by zero.
  case integerDivideByZero
  /// A signed division of the smallest integer by -1, or a float-to-integer conversion out of the integer's range.
  case integerOverflow
  /// A float-to-integer conversion of a NaN.
  case invalidConversionToInteger
  /// A load, store or bulk memory operation out of the memory's bounds, or a data segment that does not fit at
  /// instantiation.
  case outOfBoundsMemoryAccess
  /// A table access or bulk table operation out of the table's bounds, or an element segment that does not fit at
  /// instantiation.
  case outOfBoundsTableAccess
  /// `call_indirect` (or `return_call_indirect`) with an index beyond the end of the table.
  case undefinedElement
  /// `call_indirect` (or `return_call_indirect`) of a null table element.
  case uninitializedElement
  /// `call_indirect` (or `return_call_indirect`) of a function of another type than the call expects.
  case indirectCallTypeMismatch
  /// Calls nested deeper than `StoreLimits.maxCallDepth`, or frames that need more than `StoreLimits.stackSlots`.
  case callStackExhausted
  /// A host function stopped the guest: the code a host function gives the `Trap` it throws. (Errors of other
  /// types that a host function throws reach the embedder as they are.)
  case hostTrap
  /// The store's fuel (`Store.fuel`) ran out; only code translated with `StoreLimits.meterFuel` checks it.
  case outOfFuel
  /// `InterruptHandle.interrupt()` stopped the guest (at a loop iteration, a call or a throw).
  case interrupted
  /// A function of a cached or precompiled module failed to decode or verify on its first call.
  case invalidCachedCode
  /// A Wasm exception was thrown and nothing caught it (the embedding API throws a `WasmException`).
  case exception
  /// `throw_ref` of a null exception reference.
  case nullExceptionReference
  /// A function translated on its first call exceeded a limit of the translator (validation accepted it).
  case untranslatableFunction
  /// An atomic access at an address that is not a multiple of its width.
  case unalignedAtomic
  /// `memory.atomic.wait32`/`wait64` on a memory that is not shared.
  case expectedSharedMemory
  /// `call_ref` or `return_call_ref` of a null reference.
  case nullFunctionReference
  /// `ref.as_non_null` (or `ref.cast` to a non-nullable type) of a null reference.
  case nullReference
  /// `struct.get` or `struct.set` of a null reference.
  case nullStructureReference
  /// An array instruction on a null reference.
  case nullArrayReference
  /// `i31.get_s` or `i31.get_u` of a null reference.
  case nullI31Reference
  /// An array access or a range of elements beyond the array's end.
  case outOfBoundsArrayAccess
  /// `ref.cast` of a reference that is not of the type.
  case castFailure
  /// A struct or array larger than the engine allocates (2 GiB of fields or elements).
  case allocationTooLarge

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
    case .unalignedAtomic: return "unaligned atomic"
    case .expectedSharedMemory: return "expected shared memory"
    case .nullFunctionReference: return "null function reference"
    case .nullReference: return "null reference"
    case .nullStructureReference: return "null structure reference"
    case .nullArrayReference: return "null array reference"
    case .nullI31Reference: return "null i31 reference"
    case .outOfBoundsArrayAccess: return "out of bounds array access"
    case .castFailure: return "cast failure"
    case .allocationTooLarge: return "allocation too large"
    }
  }
}

/// A trap: execution of Wasm code stopped. `backtrace` lists function names, innermost first.
public struct Trap: Error, CustomStringConvertible {
  /// What stopped execution.
  public var code: TrapCode
  /// The trap's text: `code.message`, or the message a host function gave its `Trap`.
  public var message: String
  /// Names of the Wasm functions that were running, innermost first: from the module's `name` section, else an
  /// export name, else `func[INDEX]`.
  public var backtrace: [String]

  /// A trap for a host function to throw, which stops the guest that called it. `message` defaults to
  /// `code.message`; the runtime adds the functions the trap crossed to `backtrace`.
  public init(_ code: TrapCode, message: String? = nil, backtrace: [String] = []) {
    self.code = code
    self.message = message ?? code.message
    self.backtrace = backtrace
  }

  /// `trap: MESSAGE`, followed by ` (in FUNCTION)` naming the innermost function when there is a backtrace.
  public var description: String {
    var text = "trap: \(message)"
    if let top = backtrace.first { text += " (in \(top))" }
    return text
  }
}

/// Instantiation failed while resolving imports: unknown import or incompatible type.
public struct LinkError: Error, CustomStringConvertible {
  /// What failed, naming the import: `unknown import: env.log`, `incompatible import type: ...`.
  public var message: String
  /// A link error with `message`.
  public init(_ message: String) { self.message = message }
  /// `link error: MESSAGE`.
  public var description: String { "link error: \(message)" }
}

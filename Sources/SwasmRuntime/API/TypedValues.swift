import WasmBinary

/// A Swift type that maps onto one Wasm value type, for typed calls and typed host functions.
/// Int32/UInt32 are i32, Int64/UInt64 are i64, Float is f32, Double is f64, V128 is v128.
public protocol WasmValue {
  /// The Wasm value type this Swift type stands for.
  static var valueType: ValueType { get }
  /// Reads the value from its frame slots (one, or two for a v128; i32 and f32 sit zero-extended in their slot).
  init(slots: UnsafePointer<UInt64>)
  /// Writes the value to its frame slots.
  func write(to slots: UnsafeMutablePointer<UInt64>)
}

/// A value that fits one 64-bit frame slot.
public protocol WasmScalarValue: WasmValue {
  /// Reads the value from its 64-bit frame slot (an i32 or f32 sits zero-extended in it).
  init(slot: UInt64)
  /// The value as its 64-bit frame slot (an i32 or f32 zero-extended).
  var slot: UInt64 { get }
}

extension WasmScalarValue {
  @inlinable public init(slots: UnsafePointer<UInt64>) { self.init(slot: slots[0]) }
  @inlinable public func write(to slots: UnsafeMutablePointer<UInt64>) { slots[0] = slot }
}

/// An `Int32` is a Wasm i32, read as signed.
extension Int32: WasmScalarValue {
  @inlinable public static var valueType: ValueType { .i32 }
  @inlinable public init(slot: UInt64) { self = Int32(truncatingIfNeeded: slot) }
  @inlinable public var slot: UInt64 { UInt64(UInt32(bitPattern: self)) }
}

/// A `UInt32` is a Wasm i32, read as unsigned.
extension UInt32: WasmScalarValue {
  @inlinable public static var valueType: ValueType { .i32 }
  @inlinable public init(slot: UInt64) { self = UInt32(truncatingIfNeeded: slot) }
  @inlinable public var slot: UInt64 { UInt64(self) }
}

/// An `Int64` is a Wasm i64, read as signed.
extension Int64: WasmScalarValue {
  @inlinable public static var valueType: ValueType { .i64 }
  @inlinable public init(slot: UInt64) { self = Int64(bitPattern: slot) }
  @inlinable public var slot: UInt64 { UInt64(bitPattern: self) }
}

/// A `UInt64` is a Wasm i64, read as unsigned.
extension UInt64: WasmScalarValue {
  @inlinable public static var valueType: ValueType { .i64 }
  @inlinable public init(slot: UInt64) { self = slot }
  @inlinable public var slot: UInt64 { self }
}

/// A `Float` is a Wasm f32 (NaN payloads kept).
extension Float: WasmScalarValue {
  @inlinable public static var valueType: ValueType { .f32 }
  @inlinable public init(slot: UInt64) { self = Float(bitPattern: UInt32(truncatingIfNeeded: slot)) }
  @inlinable public var slot: UInt64 { UInt64(bitPattern) }
}

/// A `Double` is a Wasm f64 (NaN payloads kept).
extension Double: WasmScalarValue {
  @inlinable public static var valueType: ValueType { .f64 }
  @inlinable public init(slot: UInt64) { self = Double(bitPattern: slot) }
  @inlinable public var slot: UInt64 { bitPattern }
}

/// A `V128` is a Wasm v128, in two frame slots (low half first).
extension V128: WasmValue {
  @inlinable public static var valueType: ValueType { .v128 }
  @inlinable public init(slots: UnsafePointer<UInt64>) { self.init(low: slots[0], high: slots[1]) }
  @inlinable public func write(to slots: UnsafeMutablePointer<UInt64>) {
    slots[0] = low
    slots[1] = high
  }
}

/// An exported function with its Swift signature checked once; calls pass values straight into the frame,
/// without arrays or boxing.
public struct TypedFunction<each Param: WasmValue, Result: WasmValue> {
  /// The function this calls.
  public let function: Function

  /// Calls the function with `args` and returns its result. Throws the `Trap` or `WasmException` that stopped
  /// it, or an error a host function threw.
  public func callAsFunction(_ args: repeat each Param) throws -> Result {
    let base = try function.store.call(function.entry) { slots in
      var i = 0
      for arg in repeat each args {
        arg.write(to: slots + i)
        i += type(of: arg).valueType.slotCount
      }
    }
    return Result(slots: base)
  }
}

/// Like `TypedFunction`, for functions without results.
public struct TypedAction<each Param: WasmValue> {
  /// The function this calls.
  public let function: Function

  /// Calls the function with `args`. Throws the `Trap` or `WasmException` that stopped it, or an error a host
  /// function threw.
  public func callAsFunction(_ args: repeat each Param) throws {
    _ = try function.store.call(function.entry) { slots in
      var i = 0
      for arg in repeat each args {
        arg.write(to: slots + i)
        i += type(of: arg).valueType.slotCount
      }
    }
  }
}

extension Function {
  /// This function as a typed Swift function. Throws `EmbeddingError` when the signature does not match.
  public func typed<each Param: WasmValue, Result: WasmValue>(
    _ params: repeat (each Param).Type, returning result: Result.Type
  ) throws -> TypedFunction<repeat each Param, Result> {
    var types: [ValueType] = []
    for p in repeat each params { types.append(p.valueType) }
    try checkSignature(FuncType(params: types, results: [Result.valueType]))
    return TypedFunction(function: self)
  }

  /// This function (which returns nothing) as a typed Swift function.
  public func typed<each Param: WasmValue>(_ params: repeat (each Param).Type) throws -> TypedAction<repeat each Param> {
    var types: [ValueType] = []
    for p in repeat each params { types.append(p.valueType) }
    try checkSignature(FuncType(params: types, results: []))
    return TypedAction(function: self)
  }

  // One parameter: the same as the variadic forms above, spelled without a parameter pack. Swift 6.3's type
  // checker cannot solve a one-element pack whose argument is a literal in a chained call
  // (`try f.typed(Int64.self, returning: Int64.self)(20)` stopped with "failed to produce diagnostic"); with these
  // overloads it picks the plain generic form, and the call compiles.

  /// This function, of one parameter, as a typed Swift function.
  public func typed<Param: WasmValue, Result: WasmValue>(
    _ param: Param.Type, returning result: Result.Type
  ) throws -> TypedFunction<Param, Result> {
    try checkSignature(FuncType(params: [Param.valueType], results: [Result.valueType]))
    return TypedFunction(function: self)
  }

  /// This function, of one parameter and no results, as a typed Swift function.
  public func typed<Param: WasmValue>(_ param: Param.Type) throws -> TypedAction<Param> {
    try checkSignature(FuncType(params: [Param.valueType], results: []))
    return TypedAction(function: self)
  }

  func checkSignature(_ expected: FuncType) throws {
    guard type == expected else { throw EmbeddingError("signature mismatch: function is \(type), asked for \(expected)") }
  }
}

extension Store {
  /// A host function from a typed Swift closure; `Caller` gives access to the calling instance's memory.
  /// Arguments and the result move between Wasm and Swift without allocation. Throw (a `Trap` or any error)
  /// to trap the guest. (Inlinable, so that the closure is specialized for the caller's concrete types.)
  @inlinable
  public func hostFunction<each Param: WasmValue, Result: WasmValue>(
    name: String = "host", _ body: @escaping (Caller, repeat each Param) throws -> Result
  ) -> Function {
    var params: [ValueType] = []
    for p in repeat (each Param).self { params.append(p.valueType) }
    return rawHostFunction(type: FuncType(params: params, results: [Result.valueType]), name: name) { caller, slots in
      var i = 0
      func next<T: WasmValue>(_: T.Type) -> T {
        defer { i += T.valueType.slotCount }
        return T(slots: slots + i)
      }
      try body(caller, repeat next((each Param).self)).write(to: slots)
    }
  }

  /// A host function without results from a typed Swift closure.
  @inlinable
  public func hostFunction<each Param: WasmValue>(
    name: String = "host", _ body: @escaping (Caller, repeat each Param) throws -> Void
  ) -> Function {
    var params: [ValueType] = []
    for p in repeat (each Param).self { params.append(p.valueType) }
    return rawHostFunction(type: FuncType(params: params, results: []), name: name) { caller, slots in
      var i = 0
      func next<T: WasmValue>(_: T.Type) -> T {
        defer { i += T.valueType.slotCount }
        return T(slots: slots + i)
      }
      try body(caller, repeat next((each Param).self))
    }
  }
}

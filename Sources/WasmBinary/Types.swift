/// Value types: numbers, vectors and references (Wasm 3.0's typed references: see ReferenceTypes.swift).
public enum ValueType: Hashable, CustomStringConvertible, Sendable {
  case i32
  case i64
  case f32
  case f64
  case v128
  case ref(RefType)

  /// `funcref`: `(ref null func)`.
  public static let funcref = ValueType.ref(.init(nullable: true, .func))
  /// `externref`: `(ref null extern)`.
  public static let externref = ValueType.ref(.init(nullable: true, .extern))
  /// `exnref`: `(ref null exn)`, made by `catch_ref` and `catch_all_ref`.
  public static let exnref = ValueType.ref(.init(nullable: true, .exn))

  /// The numeric and vector types by their one-byte encodings.
  public init?(numericByte byte: UInt8) {
    switch byte {
    case 0x7F: self = .i32
    case 0x7E: self = .i64
    case 0x7D: self = .f32
    case 0x7C: self = .f64
    case 0x7B: self = .v128
    default: return nil
    }
  }

  public var isReference: Bool { if case .ref = self { return true } else { return false } }
  public var isNumeric: Bool { !isReference && self != .v128 }

  /// The 64-bit frame slots a value of this type takes: two for a v128 (low half first), one for the others.
  public var slotCount: Int { self == .v128 ? 2 : 1 }

  public var description: String {
    switch self {
    case .i32: return "i32"
    case .i64: return "i64"
    case .f32: return "f32"
    case .f64: return "f64"
    case .v128: return "v128"
    case .ref(let r): return r.description
    }
  }
}

extension ValueType {
  /// `==`, with the number and vector types compared inline (the validator compares types at nearly every
  /// instruction; the synthesized `==` is a call).
  @inline(__always)
  func isSameType(as other: ValueType) -> Bool {
    switch (self, other) {
    case (.i32, .i32), (.i64, .i64), (.f32, .f32), (.f64, .f64), (.v128, .v128): return true
    case (.ref(let a), .ref(let b)): return a == b
    default: return false
    }
  }

  /// `[self]`, shared for the number and vector types (the result types of most typed blocks: one array each
  /// instead of one per block).
  var asSingleResult: [ValueType] {
    switch self {
    case .i32: return singleResults.i32
    case .i64: return singleResults.i64
    case .f32: return singleResults.f32
    case .f64: return singleResults.f64
    case .v128: return singleResults.v128
    case .ref: return [self]
    }
  }
}

private let singleResults = (i32: [ValueType.i32], i64: [ValueType.i64], f32: [ValueType.f32], f64: [ValueType.f64],
                             v128: [ValueType.v128])

extension Array where Element == ValueType {
  /// The 64-bit frame slots the values take, one after the other.
  public var slotCount: Int { reduce(0) { $0 + $1.slotCount } }
}

public struct FuncType: Hashable, CustomStringConvertible, Sendable {
  public var params: [ValueType]
  public var results: [ValueType]
  public init(params: [ValueType], results: [ValueType]) {
    self.params = params
    self.results = results
  }
  public var description: String {
    "[\(params.map(\.description).joined(separator: " "))] -> [\(results.map(\.description).joined(separator: " "))]"
  }
}

public struct Limits: Hashable, Sendable {
  public var min: UInt64
  public var max: UInt64?
  public init(min: UInt64, max: UInt64?) {
    self.min = min
    self.max = max
  }
}

public struct TableType: Hashable, Sendable {
  public var elementType: ValueType
  public var limits: Limits
  /// The type of the table's indices: `.i32`, or `.i64` for a 64-bit table (memory64, Wasm 3.0).
  public var addressType: ValueType
  public init(elementType: ValueType, limits: Limits, addressType: ValueType = .i32) {
    self.elementType = elementType
    self.limits = limits
    self.addressType = addressType
  }
}

public struct MemoryType: Hashable, Sendable {
  /// In pages of 64 KiB.
  public var limits: Limits
  /// The type of the memory's addresses: `.i32`, or `.i64` for a 64-bit memory (memory64, Wasm 3.0).
  public var addressType: ValueType
  /// Shared between threads (the threads proposal): its maximum is required.
  public var isShared: Bool
  public init(limits: Limits, addressType: ValueType = .i32, isShared: Bool = false) {
    self.limits = limits
    self.addressType = addressType
    self.isShared = isShared
  }
  public var is64: Bool { addressType == .i64 }
  /// The most pages the address type allows: 2^16 (4 GiB) for 32-bit addresses, 2^48 for 64-bit ones.
  public var pageLimit: UInt64 { is64 ? 1 << 48 : 1 << 16 }
}

public struct GlobalType: Hashable, Sendable {
  public var valueType: ValueType
  public var mutable: Bool
  public init(valueType: ValueType, mutable: Bool) {
    self.valueType = valueType
    self.mutable = mutable
  }
}

public enum BlockType: Hashable, Sendable {
  case empty
  case value(ValueType)
  case typeIndex(UInt32)
}

public struct MemArg: Hashable, Sendable {
  /// log2 of the alignment hint.
  public var align: UInt32
  public var offset: UInt64
  public var memory: UInt32
  public init(align: UInt32, offset: UInt64, memory: UInt32 = 0) {
    self.align = align
    self.offset = offset
    self.memory = memory
  }
}

public enum ExternalKind: UInt8, Sendable {
  case function = 0
  case table = 1
  case memory = 2
  case global = 3
  case tag = 4
}

public enum ImportDescriptor: Hashable, Sendable {
  case function(typeIndex: UInt32)
  case table(TableType)
  case memory(MemoryType)
  case global(GlobalType)
  /// An exception tag of the given function type (its parameters are the exception's payload; no results).
  case tag(typeIndex: UInt32)
}

public struct Import: Hashable, Sendable {
  public var module: String
  public var name: String
  public var descriptor: ImportDescriptor
  public init(module: String, name: String, descriptor: ImportDescriptor) {
    self.module = module
    self.name = name
    self.descriptor = descriptor
  }
}

public struct Export: Hashable, Sendable {
  public var name: String
  public var kind: ExternalKind
  public var index: UInt32
  public init(name: String, kind: ExternalKind, index: UInt32) {
    self.name = name
    self.kind = kind
    self.index = index
  }
}

/// A constant expression (global initialisers, segment offsets, element items), kept as its instructions
/// without the final `end`. Allowed: t.const, ref.null, ref.func, global.get, and the extended-const
/// i32/i64 add, sub, mul.
public struct ConstExpr: Hashable, Sendable {
  public var instructions: [Instruction]
  public init(_ instructions: [Instruction]) { self.instructions = instructions }
}

public struct Global: Hashable, Sendable {
  public var type: GlobalType
  public var initializer: ConstExpr
  public init(type: GlobalType, initializer: ConstExpr) {
    self.type = type
    self.initializer = initializer
  }
}

public enum ElementMode: Hashable, Sendable {
  case passive
  case declarative
  case active(table: UInt32, offset: ConstExpr)
}

public struct ElementSegment: Hashable, Sendable {
  public var type: ValueType
  public var contents: ElementItems
  public var mode: ElementMode
  public init(type: ValueType, items: [ConstExpr], mode: ElementMode) {
    self.init(type: type, contents: .expressions(items), mode: mode)
  }
  public init(type: ValueType, contents: ElementItems, mode: ElementMode) {
    self.type = type
    self.contents = contents
    self.mode = mode
  }

  /// Each item as a constant expression producing a reference (function indices become `ref.func`).
  public var items: [ConstExpr] {
    switch contents {
    case .functions(let indices): return indices.map { ConstExpr([.refFunc($0)]) }
    case .expressions(let expressions): return expressions
    }
  }

  public var count: Int {
    switch contents {
    case .functions(let indices): return indices.count
    case .expressions(let expressions): return expressions.count
    }
  }
}

/// An element segment's items as the binary gives them: function indices (the forms without expressions, which
/// most segments use: a constant expression of its own for each of QuickJS's 900 table entries was an array
/// allocated by every load), or constant expressions.
public enum ElementItems: Hashable, Sendable {
  case functions([UInt32])
  case expressions([ConstExpr])
}

public enum DataMode: Hashable, Sendable {
  case passive
  case active(memory: UInt32, offset: ConstExpr)
}

public struct DataSegment: Hashable, Sendable {
  /// The segment's bytes; a decoded module's share the module's bytes (a large program's data is not copied
  /// twice on its way into memory), so their indices start where the segment lies in the module, not at 0.
  public var bytes: ArraySlice<UInt8>
  public var mode: DataMode
  public init(bytes: ArraySlice<UInt8>, mode: DataMode) {
    self.bytes = bytes
    self.mode = mode
  }
  public init(bytes: [UInt8], mode: DataMode) { self.init(bytes: bytes[...], mode: mode) }
}

public struct CustomSection: Hashable, Sendable {
  public var name: String
  /// The payload, sharing the module's bytes (debug information can be most of a module: not copied).
  public var bytes: ArraySlice<UInt8>
  /// Byte offset of the section's payload within the module.
  public var offset: Int
  public init(name: String, bytes: ArraySlice<UInt8>, offset: Int) {
    self.name = name
    self.bytes = bytes
    self.offset = offset
  }
}

/// One function body: its declared locals (params are not included) and where its instructions are.
public struct FunctionBody: Hashable, Sendable {
  /// Run-length encoded locals as declared: (count, type).
  public var locals: [(count: UInt32, type: ValueType)]
  /// Byte range of the instruction sequence (including the final `end`) in `Module.bytes`.
  public var codeRange: Range<Int>

  public init(locals: [(count: UInt32, type: ValueType)], codeRange: Range<Int>) {
    self.locals = locals
    self.codeRange = codeRange
  }

  public static func == (a: FunctionBody, b: FunctionBody) -> Bool {
    a.codeRange == b.codeRange && a.locals.elementsEqual(b.locals, by: { $0.count == $1.count && $0.type == $1.type })
  }
  public func hash(into h: inout Hasher) { h.combine(codeRange) }
}

/// Names from the `name` custom section, used in error messages and backtraces.
public struct NameMap: Hashable, Sendable {
  public var moduleName: String?
  public var functionNames: [UInt32: String]
  public init(moduleName: String? = nil, functionNames: [UInt32: String] = [:]) {
    self.moduleName = moduleName
    self.functionNames = functionNames
  }
}

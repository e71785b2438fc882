/// The type section of Wasm 3.0: recursion groups of type definitions, each a function, struct or array type
/// with at most one declared supertype (GC). A Wasm 2.0 type section is a list of function types, each its own
/// group, final, without supertype.

/// How a field or array element is stored: a value type, or a packed 8- or 16-bit integer (read as an i32).
public enum StorageType: Hashable, Sendable, CustomStringConvertible {
  case value(ValueType)
  case i8
  case i16

  /// The type a read of the field gives.
  public var unpacked: ValueType {
    if case .value(let t) = self { return t }
    return .i32
  }

  public var description: String {
    switch self {
    case .value(let t): return t.description
    case .i8: return "i8"
    case .i16: return "i16"
    }
  }
}

public struct FieldType: Hashable, Sendable {
  public var storage: StorageType
  public var isMutable: Bool
  public init(storage: StorageType, isMutable: Bool) {
    self.storage = storage
    self.isMutable = isMutable
  }
}

public enum CompositeType: Hashable, Sendable {
  case function(FuncType)
  case structure([FieldType])
  case array(FieldType)

  /// The abstract heap type right above every type of this kind: `func`, `struct` or `array`.
  public var abstractSupertype: AbstractHeapType {
    switch self {
    case .function: return .func
    case .structure: return .struct
    case .array: return .array
    }
  }
}

/// One type definition: `(sub final? $super? composite)`. The shorthand `(type (func ...))` is final and has no
/// supertype.
public struct SubType: Hashable, Sendable {
  public var isFinal: Bool
  /// The declared supertype (at most one): `.concrete(type index)`, or in a canonical form what the index became.
  public var supertype: HeapType?
  public var composite: CompositeType

  public init(isFinal: Bool = true, supertype: HeapType? = nil, _ composite: CompositeType) {
    self.isFinal = isFinal
    self.supertype = supertype
    self.composite = composite
  }

  /// The function type, or nil for a struct or array type.
  public var functionType: FuncType? {
    if case .function(let f) = composite { return f }
    return nil
  }

  /// The same definition with every heap type that is not abstract (in its fields, parameters, results and
  /// supertype) replaced by `map(heapType)`.
  public func mappingHeapTypes(_ map: (HeapType) -> HeapType) -> SubType {
    func value(_ t: ValueType) -> ValueType {
      guard case .ref(var r) = t else { return t }
      if case .abstract = r.heapType { return t }
      r.heapType = map(r.heapType)
      return .ref(r)
    }
    func field(_ f: FieldType) -> FieldType {
      guard case .value(let t) = f.storage else { return f }
      return FieldType(storage: .value(value(t)), isMutable: f.isMutable)
    }
    var result = self
    result.supertype = supertype.map(map)
    switch composite {
    case .function(let f):
      result.composite = .function(FuncType(params: f.params.map(value), results: f.results.map(value)))
    case .structure(let fields): result.composite = .structure(fields.map(field))
    case .array(let f): result.composite = .array(field(f))
    }
    return result
  }
}

extension Module {
  /// The function type at `typeIndex`; an empty one when the index names no function type (which validation
  /// rules out wherever a function type is needed).
  public func functionType(_ typeIndex: UInt32) -> FuncType {
    guard Int(typeIndex) < types.count, let f = types[Int(typeIndex)].functionType else {
      return FuncType(params: [], results: [])
    }
    return f
  }

  /// The top of the hierarchy `heapType`, a heap type of this module, is in: func, extern, exn or any (a type index
  /// names a function type, or a struct or array type of the any hierarchy; one that names nothing, which
  /// validation rules out, counts as func).
  public func hierarchyTop(of heapType: HeapType) -> AbstractHeapType {
    switch heapType {
    case .abstract(let a): return a.top
    case .concrete(let i): return Int(i) < types.count ? types[Int(i)].composite.abstractSupertype.top : .func
    case .recGroupMember: return .any
    }
  }
}

/// Reference types (Wasm 3.0: typed function references and GC). A reference type is a heap type and whether
/// null is among its values; `funcref` is `(ref null func)`. Heap types are abstract (`func`, `any`, ...) or a
/// type index of the module (`(ref $t)`).

/// The abstract heap types, by their binary encodings (which are also the one-byte shorthands of their nullable
/// reference types: 0x70 is `funcref`). Four hierarchies: func, extern, exn, and any (with eq, i31, struct and
/// array below it); each has a bottom type (`nofunc`, `noextern`, `noexn`, `none`) below all its other types.
public enum AbstractHeapType: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
  case noexn = 0x74
  case nofunc = 0x73
  case noextern = 0x72
  case none = 0x71
  case `func` = 0x70
  case extern = 0x6F
  case any = 0x6E
  case eq = 0x6D
  case i31 = 0x6C
  case `struct` = 0x6B
  case array = 0x6A
  case exn = 0x69

  /// The top of this type's hierarchy.
  public var top: AbstractHeapType {
    switch self {
    case .func, .nofunc: return .func
    case .extern, .noextern: return .extern
    case .exn, .noexn: return .exn
    case .any, .eq, .i31, .struct, .array, .none: return .any
    }
  }

  /// The bottom of this type's hierarchy.
  public var bottom: AbstractHeapType {
    switch top {
    case .func: return .nofunc
    case .extern: return .noextern
    case .exn: return .noexn
    default: return .none
    }
  }

  public var isBottom: Bool { self == bottom }

  /// Subtyping between abstract heap types: within one hierarchy, the bottom is below everything, the top above
  /// everything, and `eq` above `i31`, `struct` and `array`.
  public func isSubtype(of other: AbstractHeapType) -> Bool {
    if self == other { return true }
    guard top == other.top else { return false }
    if isBottom || other == top { return true }
    return other == .eq && (self == .i31 || self == .struct || self == .array)
  }

  public var description: String {
    switch self {
    case .func: return "func"
    case .nofunc: return "nofunc"
    case .extern: return "extern"
    case .noextern: return "noextern"
    case .exn: return "exn"
    case .noexn: return "noexn"
    case .any: return "any"
    case .eq: return "eq"
    case .i31: return "i31"
    case .struct: return "struct"
    case .array: return "array"
    case .none: return "none"
    }
  }
}

public enum HeapType: Hashable, Sendable, CustomStringConvertible {
  case abstract(AbstractHeapType)
  /// A type index of the module.
  case concrete(UInt32)
  /// Only in the canonical form of a recursion group (TypeCanonicalization.swift): the index of a type within
  /// its own group.
  case recGroupMember(UInt32)

  public var description: String {
    switch self {
    case .abstract(let a): return a.description
    case .concrete(let i): return "\(i)"
    case .recGroupMember(let i): return "rec.\(i)"
    }
  }
}

public struct RefType: Hashable, Sendable, CustomStringConvertible {
  public var isNullable: Bool
  public var heapType: HeapType

  public init(nullable: Bool, _ heapType: HeapType) {
    self.isNullable = nullable
    self.heapType = heapType
  }

  public init(nullable: Bool, _ abstract: AbstractHeapType) {
    self.init(nullable: nullable, .abstract(abstract))
  }

  /// `funcref`, `externref`, ... for the nullable abstract types, `(ref null 3)`, `(ref func)` for the others.
  public var description: String {
    if isNullable, case .abstract(let a) = heapType {
      switch a {
      case .nofunc: return "nullfuncref"
      case .noextern: return "nullexternref"
      case .noexn: return "nullexnref"
      case .none: return "nullref"
      default: return "\(a)ref"
      }
    }
    return isNullable ? "(ref null \(heapType))" : "(ref \(heapType))"
  }
}

extension ValueType {
  /// Whether values of this type are exception references (`exnref`, `(ref exn)`, `nullexnref`): the types whose
  /// values the exception heap's collector must find.
  public var isExceptionReference: Bool {
    guard case .ref(let r) = self, case .abstract(let a) = r.heapType else { return false }
    return a.top == .exn
  }
}

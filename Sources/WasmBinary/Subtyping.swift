/// Subtyping of value and reference types (Wasm 3.0). Abstract heap types relate by their fixed hierarchies
/// (`AbstractHeapType.isSubtype`); a concrete type is below the abstract type of its kind (`func`, or `struct`
/// and `array`, which are below `eq` and `any`), above its hierarchy's bottom type, and below the types its
/// declared supertype chain names. What a concrete index means is the conformer's: a type index within a module
/// (`ModuleTypes`), or a store's canonical type id (the runtime).
public protocol TypeHierarchy {
  /// The kind of concrete type `index`: `.func`, `.struct` or `.array`.
  func abstractSupertype(ofConcrete index: UInt32) -> AbstractHeapType
  /// Whether concrete type `sub` is (equivalent to) `sup` or declares it somewhere up its supertype chain.
  func isConcreteSubtype(_ sub: UInt32, of sup: UInt32) -> Bool
}

extension TypeHierarchy {
  /// The abstract type whose hierarchy `heapType` is in, as its top: func, extern, exn or any.
  public func top(of heapType: HeapType) -> AbstractHeapType {
    switch heapType {
    case .abstract(let a): return a.top
    case .concrete(let i): return abstractSupertype(ofConcrete: i).top
    case .recGroupMember: return .any  // never asked: canonical forms are compared whole
    }
  }

  public func isSubtype(_ sub: HeapType, of sup: HeapType) -> Bool {
    if sub == sup { return true }
    switch (sub, sup) {
    case (.abstract(let a), .abstract(let b)): return a.isSubtype(of: b)
    case (.concrete(let i), .abstract(let b)): return abstractSupertype(ofConcrete: i).isSubtype(of: b)
    case (.abstract(let a), .concrete(let j)): return a.isBottom && a == abstractSupertype(ofConcrete: j).bottom
    case (.concrete(let i), .concrete(let j)): return isConcreteSubtype(i, of: j)
    default: return false
    }
  }

  public func isSubtype(_ sub: RefType, of sup: RefType) -> Bool {
    (sup.isNullable || !sub.isNullable) && isSubtype(sub.heapType, of: sup.heapType)
  }

  public func isSubtype(_ sub: ValueType, of sup: ValueType) -> Bool {
    if sub == sup { return true }
    guard case .ref(let a) = sub, case .ref(let b) = sup else { return false }
    return isSubtype(a, of: b)
  }

  func isSubtype(_ sub: StorageType, of sup: StorageType) -> Bool {
    switch (sub, sup) {
    case (.value(let a), .value(let b)): return isSubtype(a, of: b)
    default: return sub == sup
    }
  }

  /// A field may be narrowed only when immutable; a mutable one must keep its type.
  func isSubtype(_ sub: FieldType, of sup: FieldType) -> Bool {
    guard sub.isMutable == sup.isMutable else { return false }
    guard sub.isMutable else { return isSubtype(sub.storage, of: sup.storage) }
    return isSubtype(sub.storage, of: sup.storage) && isSubtype(sup.storage, of: sub.storage)
  }

  /// Whether a composite type may declare another as its supertype: functions contravariant in their parameters
  /// and covariant in their results, structs extending their supertype's fields, arrays with a compatible element.
  public func isSubtype(_ sub: CompositeType, of sup: CompositeType) -> Bool {
    switch (sub, sup) {
    case (.function(let f), .function(let g)):
      return f.params.count == g.params.count && f.results.count == g.results.count
        && zip(g.params, f.params).allSatisfy { isSubtype($0, of: $1) }
        && zip(f.results, g.results).allSatisfy { isSubtype($0, of: $1) }
    case (.structure(let a), .structure(let b)):
      return a.count >= b.count && zip(a, b).allSatisfy { isSubtype($0, of: $1) }
    case (.array(let a), .array(let b)):
      return isSubtype(a, of: b)
    default:
      return false
    }
  }
}

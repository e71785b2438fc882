import WasmBinary

/// The types of a store, canonical across its modules (iso-recursive equivalence, TypeCanonicalization.swift):
/// each type has an id from 1, equal for equivalent types whichever module defined them, which is what a
/// function entry's `typeID` holds and `call_indirect` compares. Definitions are kept in store form: a reference
/// to another type names its id (`.concrete(id)`). Each type keeps its supertype chain (its display, root first),
/// so that whether one type is a subtype of another takes one comparison: the chain of `sub` holds `sup` at
/// `sup`'s own depth.
struct StoreTypes: TypeHierarchy {
  private var groups = RecGroupTable()
  /// By group number (in `groups`): the id of the group's first type.
  private var firstIDOfGroup: [Int] = []
  /// By id - 1: the definition in store form, and its supertype chain (ids, root first, ending with its own).
  private(set) var definitions: [SubType] = []
  private var displays: [[Int]] = []

  /// The ids of a module's types, by type index; types new to the store are added.
  mutating func ids(of module: Module) -> [Int] {
    var ids = [Int](repeating: 0, count: module.types.count)
    for group in module.recGroups {
      let first = insert(module.canonicalForm(of: group) { .concrete(UInt32(ids[Int($0)])) })
      for i in group { ids[i] = first + i - group.lowerBound }
    }
    return ids
  }

  /// The id of a function type in store form (a host function's), final and without supertype.
  mutating func id(of type: FuncType) -> Int { insert([SubType(.function(type))]) }

  /// The id of the first type of a group in canonical form, adding the group if it is new.
  private mutating func insert(_ form: [SubType]) -> Int {
    let (number, inserted) = groups.insert(form)
    if !inserted { return firstIDOfGroup[number] }
    let first = definitions.count + 1
    firstIDOfGroup.append(first)
    for (k, member) in form.enumerated() {
      let definition = member.mappingHeapTypes { heapType in
        guard case .recGroupMember(let j) = heapType else { return heapType }
        return .concrete(UInt32(first) + j)
      }
      var display: [Int] = []
      if case .concrete(let s)? = definition.supertype { display = displays[Int(s) - 1] }
      display.append(first + k)
      definitions.append(definition)
      displays.append(display)
    }
    return first
  }

  /// The function type with id `id` (an empty one for a struct or array type, which no function has).
  func functionType(_ id: Int) -> FuncType {
    definitions[id - 1].functionType ?? FuncType(params: [], results: [])
  }

  func abstractSupertype(ofConcrete id: UInt32) -> AbstractHeapType {
    Int(id) >= 1 && Int(id) <= definitions.count ? definitions[Int(id) - 1].composite.abstractSupertype : .func
  }

  func isConcreteSubtype(_ sub: UInt32, of sup: UInt32) -> Bool {
    isSubtype(id: Int(sub), of: Int(sup))
  }

  /// Whether type `sub` is type `sup` or declares it up its supertype chain: one comparison on `sub`'s display.
  func isSubtype(id sub: Int, of sup: Int) -> Bool {
    if sub == sup { return true }
    guard sub >= 1, sub <= displays.count, sup >= 1, sup <= displays.count else { return false }
    let depth = displays[sup - 1].count - 1
    let chain = displays[sub - 1]
    return chain.count > depth && chain[depth] == sup
  }
}

extension ValueType {
  /// This type of a module in store form: type indices become the store's ids (`ids`, by type index).
  func inStore(_ ids: [Int]) -> ValueType {
    guard case .ref(var r) = self, case .concrete(let i) = r.heapType else { return self }
    r.heapType = .concrete(UInt32(ids[Int(i)]))
    return .ref(r)
  }
}

/// The slow path of `call_indirect` and `call_ref` when the callee's type id is not the one expected: whether it is
/// a subtype (a function of a GC subtype is called where its supertype is expected).
@inline(never)
func functionTypeIsSubtype(_ st: St, _ sub: Int, _ sup: Int) -> Bool {
  guard let store = st.pointee.store else { return false }
  return store.takeUnretainedValue().types.isSubtype(id: sub, of: sup)
}

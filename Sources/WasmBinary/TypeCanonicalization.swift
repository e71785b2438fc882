/// Iso-recursive type equivalence (Wasm 3.0): two types are the same when they sit at the same position of
/// recursion groups that are the same, comparing references within a group by position and references out of it
/// by the (already canonical) type they name. A group's canonical form is its definitions with every type
/// reference rewritten that way (`.recGroupMember(k)` inside, `.concrete(canonical id)` outside); equal forms
/// mean equal groups. Within a module (`ModuleTypes`) the canonical id of a type is the first index of an
/// equivalent one; the runtime's store gives ids across modules with the same table.

/// Canonical forms of recursion groups, each numbered in order of first insertion. Open addressing over a hash
/// seeded per process (a module cannot choose groups that collide), not a Dictionary (whose first use costs a
/// start-up a scan of every protocol conformance).
public struct RecGroupTable: Sendable {
  public private(set) var groups: [[SubType]] = []
  private var slots = [Int](repeating: 0, count: 64)

  public init() {}

  /// The number of `group`, inserting it if it is new.
  public mutating func insert(_ group: [SubType]) -> (number: Int, inserted: Bool) {
    let slot = self.slot(of: group)
    if slots[slot] != 0 { return (slots[slot] - 1, false) }
    groups.append(group)
    slots[slot] = groups.count
    if 2 * groups.count > slots.count {
      slots = [Int](repeating: 0, count: 2 * slots.count)
      for (i, g) in groups.enumerated() { slots[self.slot(of: g)] = i + 1 }
    }
    return (groups.count - 1, true)
  }

  private func slot(of group: [SubType]) -> Int {
    var hasher = Hasher()
    hasher.combine(group)
    var slot = hasher.finalize() & (slots.count - 1)
    while case let n = slots[slot], n != 0, groups[n - 1] != group { slot = (slot + 1) & (slots.count - 1) }
    return slot
  }
}

extension Module {
  /// The canonical form of recursion group `group` (a range of `types`), with references out of the group
  /// rewritten by `outside` (given the module's type index).
  public func canonicalForm(of group: Range<Int>, outside: (UInt32) -> HeapType) -> [SubType] {
    types[group].map { type in
      type.mappingHeapTypes { heapType in
        guard case .concrete(let i) = heapType else { return heapType }
        return group.contains(Int(i)) ? .recGroupMember(i - UInt32(group.lowerBound)) : outside(i)
      }
    }
  }
}

/// A module's types as validation relates them: each type's canonical index (the first equivalent type) and its
/// supertype chain.
public struct ModuleTypes: TypeHierarchy, Sendable {
  public let types: [SubType]
  /// For each type, the index of the first type equivalent to it.
  public let canonical: [UInt32]

  /// Canonicalizes the module's groups in order; a group that refers to a type after it is left for
  /// `validateTypeDefinitions` to refuse (its references count as unknown types here).
  public init(_ module: Module) {
    types = module.types
    var canonical = [UInt32](repeating: 0, count: module.types.count)
    var table = RecGroupTable()
    var firstOfGroup: [Int] = []  // by group number: the first type index of its first occurrence
    for group in module.recGroups {
      let form = module.canonicalForm(of: group) { i in
        Int(i) < group.lowerBound ? .concrete(canonical[Int(i)]) : .concrete(UInt32.max)
      }
      let (number, inserted) = table.insert(form)
      if inserted { firstOfGroup.append(group.lowerBound) }
      for i in group { canonical[i] = UInt32(firstOfGroup[number] + i - group.lowerBound) }
    }
    self.canonical = canonical
  }

  public func abstractSupertype(ofConcrete index: UInt32) -> AbstractHeapType {
    Int(index) < types.count ? types[Int(index)].composite.abstractSupertype : .func
  }

  public func isConcreteSubtype(_ sub: UInt32, of sup: UInt32) -> Bool {
    guard Int(sub) < types.count, Int(sup) < types.count else { return false }
    let target = canonical[Int(sup)]
    var current: UInt32? = sub
    var steps = 0
    while let c = current, steps <= types.count {
      if canonical[Int(c)] == target { return true }
      guard case .concrete(let s)? = types[Int(c)].supertype, s < c else { return false }
      current = s
      steps += 1
    }
    return false
  }
}

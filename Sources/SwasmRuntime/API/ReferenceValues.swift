import WasmBinary

/// Values of reference types crossing between the host and the guest: which `Value` case a reference type's
/// values take (by its hierarchy: func, extern, exn, any), and whether a value may stand where a type is expected
/// (the type's hierarchy; null only for a nullable type; a function only of a subtype of a concrete type).
/// Types here are in store form (`ValueType.inStore`).
extension Store {
  /// Whether `value` is of type `type` or a subtype.
  public func valueMatches(_ value: Value, _ type: ValueType) -> Bool {
    guard case .ref(let r) = type else { return value.type == type }
    let top = types.top(of: r.heapType)
    switch value {
    case .funcref(let f):
      guard top == .func else { return false }
      guard let f else { return r.isNullable }
      switch r.heapType {
      case .abstract(let a): return a == .func
      case .concrete(let id):
        guard isFunctionAddress(UInt(f)) else { return false }
        let entry = UnsafeMutablePointer<FunctionEntry>(bitPattern: UInt(f))!
        return types.isSubtype(id: entry.pointee.typeID, of: Int(id))
      case .recGroupMember: return false
      }
    case .externref(let e): return top == .extern && (e == nil ? r.isNullable : r.heapType == .abstract(.extern))
    case .externalizedAnyref(let a): return top == .extern && r.heapType == .abstract(.extern) && a.store === self
    case .exnref(let e): return top == .exn && (e == nil ? r.isNullable : r.heapType == .abstract(.exn))
    case .anyref(let a):
      guard top == .any else { return false }
      guard let a else { return r.isNullable }
      return a.store === self && anyReferenceMatches(a.bits, r.heapType)
    default: return false
    }
  }

  /// Whether each value matches the type at its place.
  func valuesMatch(_ values: [Value], _ types: [ValueType]) -> Bool {
    values.count == types.count && zip(values, types).allSatisfy { valueMatches($0, $1) }
  }

  /// The value a slot of reference type `type` holds (0 is null).
  func referenceValue(fromSlot slot: UInt64, type: RefType) -> Value {
    switch types.top(of: type.heapType) {
    case .func: return .funcref(slot == 0 ? nil : slot)
    case .extern:
      // Bit 63 marks a reference of the any hierarchy turned into an externref (GC/GCOperations.swift).
      if slot & (1 << 63) != 0 { return .externalizedAnyref(GCReference(store: self, bits: slot & ~(1 << 63))) }
      return .externref(slot == 0 ? nil : slot - 1)
    case .exn: return .exnref(slot == 0 ? nil : WasmException(store: self, reference: slot))
    default: return .anyref(slot == 0 ? nil : GCReference(store: self, bits: slot))
    }
  }
}

extension Store {
  /// Whether the any-hierarchy value `bits` (an i31 or an object of this store) is of heap type `heapType` (in
  /// store form).
  func anyReferenceMatches(_ bits: UInt64, _ heapType: HeapType) -> Bool {
    switch heapType {
    case .abstract(let a): return anyValue(bits, isOf: a)
    case .concrete(let id):
      guard let actual = objectTypeID(bits), actual != 0 else { return false }
      return types.isSubtype(id: actual, of: Int(id))
    case .recGroupMember: return false
    }
  }
}

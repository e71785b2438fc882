import WasmBinary

/// Imports of one module resolved to the store's objects, by kind, in import order.
struct ResolvedImports {
  var functions: [Function] = []
  var tables: [Table] = []
  var memories: [Memory] = []
  var globals: [Global] = []
  var tags: [Tag] = []
}

extension Store {
  /// Resolves every import once, checking kinds and types ("unknown import", "incompatible import type").
  /// `typeIDs` are the store's ids of the module's types.
  func resolveImports(_ module: Module, _ imports: Imports, typeIDs: [Int]) throws -> ResolvedImports {
    var resolved = ResolvedImports()
    for imp in module.imports {
      let what = "\(imp.module).\(imp.name)"
      guard let value = imports.lookup(module: imp.module, name: imp.name) else {
        throw LinkError("unknown import: \(what)")
      }
      switch (imp.descriptor, value) {
      case (.function(let typeIndex), .function(let f)):
        let expected = typeIDs[Int(typeIndex)]
        guard f.store === self else { throw LinkError("incompatible import type: \(what) belongs to another store") }
        guard types.isSubtype(id: f.entry.pointee.typeID, of: expected) else {
          throw LinkError("incompatible import type: \(what) is \(f.type), expected \(types.functionType(expected))")
        }
        resolved.functions.append(f)
      case (.table(let type), .table(let t)):
        guard t.store === self, t.elementType == type.elementType.inStore(typeIDs), t.storage.pointee.is64 == (type.addressType == .i64),
              limitsMatch(UInt64(t.storage.pointee.count), t.storage.pointee.declaredMax, type.limits) else {
          throw LinkError("incompatible import type: table \(what)")
        }
        resolved.tables.append(t)
      case (.memory(let type), .memory(let m)):
        // A shared memory may come from another store (another thread's): this store then keeps it alive too.
        // (Read from the memory itself, not from its store, which may be running on another thread.)
        let foreignOwner = m.store === self ? nil : m.storage.pointee.sharedOwner?.takeUnretainedValue()
        guard m.store === self || foreignOwner != nil, m.storage.pointee.is64 == type.is64,
              m.storage.pointee.isShared == type.isShared,
              limitsMatch(m.storage.pointee.pageCount, m.storage.pointee.declaredMax, type.limits) else {
          throw LinkError("incompatible import type: memory \(what)")
        }
        if let foreignOwner, sharedOwner(of: m.storage) == nil { owned.sharedMemories.append(foreignOwner) }
        resolved.memories.append(m)
      case (.global(let type), .global(let g)):
        let expected = type.valueType.inStore(typeIDs)
        // A mutable global must hold exactly the type (both modules write it); an immutable one may be narrower.
        guard g.store === self, g.type.mutable == type.mutable,
              type.mutable ? g.type.valueType == expected : types.isSubtype(g.type.valueType, of: expected) else {
          throw LinkError("incompatible import type: global \(what) is \(g.type), expected \(type)")
        }
        resolved.globals.append(g)
      case (.tag(let typeIndex), .tag(let t)):
        let expected = typeIDs[Int(typeIndex)]
        guard t.store === self, t.entry.pointee.typeID == expected else {
          throw LinkError("incompatible import type: tag \(what) carries \(t.type.params), expected \(types.functionType(expected).params)")
        }
        resolved.tags.append(t)
      default:
        throw LinkError("incompatible import type: \(what) is a \(value.kindName)")
      }
    }
    return resolved
  }

  /// Import subtyping of limits: at least the required minimum, and a maximum no larger than the required one.
  private func limitsMatch(_ min: UInt64, _ max: UInt64?, _ required: Limits) -> Bool {
    guard min >= required.min else { return false }
    guard let requiredMax = required.max else { return true }
    guard let max else { return false }
    return max <= requiredMax
  }
}

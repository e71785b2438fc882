import SwasmBytecode
import WasmBinary

/// A function of a store: defined by an instance, or a host function.
public struct Function {
  let store: Store
  let entry: UnsafeMutablePointer<FunctionEntry>
  /// The function's parameter and result types. A type index in them (a typed reference, `(ref $t)`) is the
  /// store's id of that type, not a module's index.
  public let type: FuncType

  /// The function as a reference, to hand to a guest (a `funcref`, or a `(ref $t)` of its type or a supertype).
  public var reference: Value { .funcref(UInt64(UInt(bitPattern: entry))) }

  /// Calls the function. Throws the `Trap` or `WasmException` that stopped it, an error a host function threw,
  /// or `EmbeddingError` when the arguments do not match its parameter types.
  public func invoke(_ args: [Value]) throws -> [Value] {
    try store.invoke(entry, type: type, args: args)
  }
}

/// A global variable of a store.
public struct Global {
  let store: Store
  let cell: UnsafeMutablePointer<UInt64>
  /// The global's value type and mutability.
  public let type: GlobalType

  /// The global's current value.
  public var value: Value { store.value(at: cell, type: type.valueType) }

  /// Sets a mutable global. Throws for an immutable global or a value of the wrong type.
  public func set(_ value: Value) throws {
    guard type.mutable else { throw EmbeddingError("global is immutable") }
    guard store.valueMatches(value, type.valueType) else { throw EmbeddingError("type mismatch: global is \(type.valueType)") }
    try store.write(value, to: cell)
  }
}

/// A table of references.
public struct Table {
  let store: Store
  let storage: UnsafeMutablePointer<TableStorage>
  /// The type of the table's references (`funcref`, `externref` or `exnref`).
  public let elementType: ValueType

  /// The number of elements.
  public var size: Int { storage.pointee.count }
  /// Its current size as the minimum, its declared maximum, its element type and its address type.
  public var type: TableType {
    TableType(elementType: elementType, limits: Limits(min: UInt64(storage.pointee.count), max: storage.pointee.declaredMax),
              addressType: storage.pointee.is64 ? .i64 : .i32)
  }

  /// Element `index`; nil when out of bounds.
  public func get(_ index: Int) -> Value? {
    guard index >= 0 && index < storage.pointee.count else { return nil }
    return store.value(fromSlot: storage.pointee.elements[index], type: elementType)
  }

  /// Sets element `index`; false when out of bounds. Throws for a value of the wrong type or another store's.
  @discardableResult
  public func set(_ index: Int, _ value: Value) throws -> Bool {
    guard store.valueMatches(value, elementType) else { throw EmbeddingError("type mismatch: table holds \(elementType)") }
    guard index >= 0 && index < storage.pointee.count else { return false }
    storage.pointee.elements[index] = try store.slot(from: value)
    return true
  }

  /// Grows the table by `count` elements set to `value`; returns the old size, or nil when the table's maximum
  /// (or the store's limit) does not allow it. Throws `EmbeddingError` for a negative count or a value of the
  /// wrong type.
  public func grow(by count: Int, filling value: Value) throws -> Int? {
    guard count >= 0, store.valueMatches(value, elementType) else { throw EmbeddingError("bad table growth request") }
    return growTable(storage, by: UInt64(count), value: try store.slot(from: value)).map { Int($0) }
  }
}

/// A linear memory: 32-bit, or 64-bit (memory64), which may hold more than 4 GiB.
///
/// A shared memory (`type.isShared`) may be imported by stores on other threads, whose guests use it at the same
/// time; it never moves, and lives as long as any store that made or imported it. Use this value on its store's
/// thread like the rest of the store; another thread may receive it only to import the memory into a store of
/// its own.
public struct Memory {
  let store: Store
  let storage: UnsafeMutablePointer<MemoryStorage>

  /// The memory's size in 64 KiB pages.
  public var pageCount: Int { Int(storage.pointee.pageCount) }
  /// The memory's size in bytes.
  public var byteCount: Int { Int(storage.pointee.byteCount) }
  /// Its current size as the minimum, its declared maximum, and its address type.
  public var type: MemoryType {
    MemoryType(limits: Limits(min: storage.pointee.pageCount, max: storage.pointee.declaredMax),
               addressType: storage.pointee.is64 ? .i64 : .i32, isShared: storage.pointee.isShared)
  }

  /// Copies bytes out of the memory; nil when the range is out of bounds.
  public func read(at offset: Int, count: Int) -> [UInt8]? {
    guard offset >= 0, count >= 0, UInt64(offset) + UInt64(count) <= storage.pointee.byteCount else { return nil }
    return Array(UnsafeBufferPointer(start: storage.pointee.base + offset, count: count))
  }

  /// The memory's bytes, for host functions that work on guest buffers in place. The buffer is valid only inside
  /// `body`, and only until the memory grows.
  public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeMutableRawBufferPointer(start: storage.pointee.base, count: Int(storage.pointee.byteCount)))
  }

  /// Reads `count` bytes at `offset` as UTF-8 (invalid sequences become U+FFFD); nil when out of bounds.
  public func string(at offset: Int, count: Int) -> String? {
    guard offset >= 0, count >= 0, UInt64(offset) + UInt64(count) <= storage.pointee.byteCount else { return nil }
    return String(decoding: UnsafeBufferPointer(start: storage.pointee.base + offset, count: count), as: UTF8.self)
  }

  /// Grows the memory by `pages` (64 KiB each, zero-filled); returns the old page count, or nil when the
  /// memory's maximum, the store's limit or its `memoryGrowthLimiter` does not allow it.
  public func grow(by pages: Int) -> Int? {
    guard pages >= 0 else { return nil }
    return growMemory(storage, by: UInt64(pages), store: store).map { Int($0) }
  }

  /// Copies bytes into the memory; false when the range is out of bounds.
  @discardableResult
  public func write(_ bytes: [UInt8], at offset: Int) -> Bool {
    guard offset >= 0, UInt64(offset) + UInt64(bytes.count) <= storage.pointee.byteCount else { return false }
    bytes.withUnsafeBufferPointer { (storage.pointee.base + offset).update(from: $0.baseAddress!, count: $0.count) }
    return true
  }
}

/// What an instance exports, and what an import is given: a function, table, memory, global or tag of a store.
public enum ExternalValue {
  /// A function: defined by an instance, or a host function.
  case function(Function)
  /// A table of references.
  case table(Table)
  /// A linear memory.
  case memory(Memory)
  /// A global variable.
  case global(Global)
  /// An exception tag.
  case tag(Tag)

  var kindName: String {
    switch self {
    case .function: return "function"
    case .table: return "table"
    case .memory: return "memory"
    case .global: return "global"
    case .tag: return "tag"
    }
  }
}

/// The values a module's imports resolve to, by module and field name. Resolved once, at instantiation.
public struct Imports {
  /// Sorted by the exact UTF-8 bytes of module name, then field name (see `Instance`), and searched by bisection.
  /// (Not a Dictionary: the first use of each Dictionary type costs a start-up a scan of every conformance.)
  var entries: [(module: [UInt8], name: [UInt8], value: ExternalValue)] = []

  /// No imports: enough for a module that imports nothing.
  public init() {}

  /// The table's order: by module name, then field name, as bytes.
  static func precedes(_ a: (module: [UInt8], name: [UInt8]), _ b: (module: [UInt8], name: [UInt8])) -> Bool {
    a.module == b.module ? a.name.lexicographicallyPrecedes(b.name) : a.module.lexicographicallyPrecedes(b.module)
  }

  /// Where `module`.`name` is, or would be inserted.
  func position(_ module: [UInt8], _ name: [UInt8]) -> (index: Int, found: Bool) {
    let i = partitionPoint(entries.count) { Self.precedes((entries[$0].module, entries[$0].name), (module, name)) }
    return (i, i < entries.count && entries[i].module == module && entries[i].name == name)
  }

  /// Defines import `module`.`name` as `value`, replacing an earlier definition of that name.
  public mutating func define(module: String, name: String, _ value: ExternalValue) {
    let (m, n) = (Array(module.utf8), Array(name.utf8))
    let (index, found) = position(m, n)
    if found { entries[index].value = value } else { entries.insert((m, n, value), at: index) }
  }

  /// Makes every export of `instance` importable under `module`.
  public mutating func define(module: String, exportsOf instance: Instance) {
    // Appended, then sorted once (inserting each in place would move the table once per export); of equal
    // names, the later definition stays.
    let m = Array(module.utf8)
    entries += instance.exports.map { (m, Array($0.name.utf8), $0.value) }
    let order = entries.indices.sorted { a, b in
      let (x, y) = ((entries[a].module, entries[a].name), (entries[b].module, entries[b].name))
      return x == y ? a < b : Self.precedes(x, y)
    }
    var sorted: [(module: [UInt8], name: [UInt8], value: ExternalValue)] = []
    sorted.reserveCapacity(entries.count)
    for i in order {
      if let last = sorted.last, last.module == entries[i].module, last.name == entries[i].name {
        sorted[sorted.count - 1] = entries[i]
      } else {
        sorted.append(entries[i])
      }
    }
    entries = sorted
  }

  /// The value defined for `module`.`name` (names compared as exact UTF-8 bytes); nil if there is none.
  public func lookup(module: String, name: String) -> ExternalValue? {
    let (index, found) = position(Array(module.utf8), Array(name.utf8))
    return found ? entries[index].value : nil
  }
}

/// Misuse of the embedding API (wrong argument types, setting an immutable global, ...).
public struct EmbeddingError: Error, CustomStringConvertible {
  /// What was wrong, e.g. `global is immutable`.
  public var message: String
  /// An embedding error with `message`.
  public init(_ message: String) { self.message = message }
  /// The message.
  public var description: String { message }
}

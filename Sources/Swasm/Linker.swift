import SwasmRuntime
import WasmBinary

/// Collects what modules import (host functions, other instances' exports) for one store, then instantiates.
/// Every import is resolved once, at instantiation, to a direct entry: calls never look names up.
public struct Linker {
  /// The store that host functions are made in and modules are instantiated in.
  public let store: Store
  /// The imports defined so far.
  public private(set) var imports = Imports()

  /// A linker for `store`, with no imports defined.
  public init(store: Store) {
    self.store = store
  }

  /// Defines any external value (function, memory, table, global or tag of this store).
  public mutating func define(_ module: String, _ name: String, _ value: ExternalValue) {
    imports.define(module: module, name: name, value)
  }

  /// Defines a host function from a typed closure: `linker.define("env", "add") { (_: Caller, a: Int32, b: Int32) in a + b }`.
  @inlinable
  public mutating func define<each Param: WasmValue, Result: WasmValue>(
    _ module: String, _ name: String, _ body: @escaping (Caller, repeat each Param) throws -> Result
  ) {
    define(module, name, .function(store.hostFunction(name: "\(module).\(name)", body)))
  }

  /// Defines a host function without results from a typed closure.
  @inlinable
  public mutating func define<each Param: WasmValue>(
    _ module: String, _ name: String, _ body: @escaping (Caller, repeat each Param) throws -> Void
  ) {
    define(module, name, .function(store.hostFunction(name: "\(module).\(name)", body)))
  }

  /// Makes every export of `instance` importable under module name `module`.
  public mutating func define(instance: Instance, as module: String) {
    imports.define(module: module, exportsOf: instance)
  }

  /// Instantiates a module with the imports defined so far. Throws `LinkError` naming a missing or mismatched
  /// import, `Trap` when a segment is out of bounds or the start function traps, and `EmbeddingError` when the
  /// module exceeds the store's limits or was prepared for another fuel setting.
  public func instantiate(_ module: PreparedModule) throws -> Instance {
    try store.instantiate(module, imports: imports)
  }
}

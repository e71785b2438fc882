import SwasmBytecode
import WasmBinary

/// An instantiated module: its exports, by name.
public final class Instance {
  /// The store that owns the instance and everything it made.
  public let store: Store
  /// Exports in declared order.
  public let exports: [(name: String, value: ExternalValue)]
  /// Export names as exact UTF-8 bytes, as Wasm compares them (Swift's String equality would treat canonically
  /// equivalent names, such as "\u{C5}" and "A\u{30A}", as equal), with their export indices, sorted by name
  /// (the first of equal names first) for bisection. (Not a Dictionary: its first use costs a start-up a scan
  /// of every protocol conformance.)
  private let byName: [(name: [UInt8], index: Int)]

  init(store: Store, exports: [(String, ExternalValue)]) {
    self.store = store
    self.exports = exports.map { (name: $0.0, value: $0.1) }
    byName = exports.enumerated().map { (Array($0.element.0.utf8), $0.offset) }.sorted {
      $0.name == $1.name ? $0.index < $1.index : $0.name.lexicographicallyPrecedes($1.name)
    }
  }

  /// The export names, in declared order.
  public var exportNames: [String] { exports.map(\.name) }

  /// The export named `name` (compared as exact UTF-8 bytes, as Wasm does), nil if there is none.
  public func export(_ name: String) -> ExternalValue? {
    let bytes = Array(name.utf8)
    let i = partitionPoint(byName.count) { byName[$0].name.lexicographicallyPrecedes(bytes) }
    return i < byName.count && byName[i].name == bytes ? exports[byName[i].index].value : nil
  }

  /// The exported function named `name`; nil when there is no such export or it is not a function.
  public func function(_ name: String) -> Function? {
    if case .function(let f) = export(name) { return f }
    return nil
  }
}

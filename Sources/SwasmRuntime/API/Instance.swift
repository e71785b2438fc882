import WasmBinary

/// An instantiated module: its exports, by name.
public final class Instance {
  public let store: Store
  /// Exports in declared order.
  public let exports: [(name: String, value: ExternalValue)]
  /// Names compare by their exact UTF-8 bytes, as Wasm requires (Swift's String equality would treat
  /// canonically equivalent names, such as "\u{C5}" and "A\u{30A}", as equal).
  private let byName: [[UInt8]: Int]

  init(store: Store, exports: [(String, ExternalValue)]) {
    self.store = store
    self.exports = exports.map { (name: $0.0, value: $0.1) }
    var byName: [[UInt8]: Int] = [:]
    for (i, e) in exports.enumerated() where byName[Array(e.0.utf8)] == nil { byName[Array(e.0.utf8)] = i }
    self.byName = byName
  }

  public var exportNames: [String] { exports.map(\.name) }

  public func export(_ name: String) -> ExternalValue? {
    byName[Array(name.utf8)].map { exports[$0].value }
  }

  public func function(_ name: String) -> Function? {
    if case .function(let f) = export(name) { return f }
    return nil
  }
}

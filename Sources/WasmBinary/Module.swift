import Synchronization

/// A decoded module: every section of the binary format, in index-space order.
/// Produced by `Module(bytes:)` (decode only) and checked by `Module.validate()`.
public struct Module: Sendable {
  /// The module's bytes; `FunctionBody.codeRange` indexes into them.
  public var bytes: [UInt8]
  /// Every type definition, in index order (TypeDefinitions.swift).
  public var types: [SubType] = []
  /// The recursion groups, as ranges of `types` one after the other (a type defined alone is a group of one).
  public var recGroups: [Range<Int>] = []
  public var imports: [Import] = []
  /// Type index of each function defined in this module (not counting imported functions).
  public var functions: [UInt32] = []
  public var tables: [TableType] = []
  /// The initializer of each table defined here, where given (`(table 10 (ref $f) (ref.func $g))`; typed
  /// function references); nil: elements start null.
  public var tableInitializers: [ConstExpr?] = []
  public var memories: [MemoryType] = []
  /// Type index of each exception tag defined in this module (not counting imported tags).
  public var tags: [UInt32] = []
  public var globals: [Global] = []
  public var exports: [Export] = []
  public var start: UInt32?
  public var elements: [ElementSegment] = []
  public var dataCount: UInt32?
  public var codes: [FunctionBody] = []
  public var data: [DataSegment] = []
  public var customSections: [CustomSection] = []
  /// The `name` section, decoded on first use (see `NameSection`). A module read from the translation cache gets
  /// one that also decompresses on first use.
  public package(set) var nameSection = NameSection(payloads: [])
  /// Module and function names from the `name` section (empty without one, or when it is malformed).
  public var names: NameMap { nameSection.map }


  // MARK: index spaces (imports first, then definitions)

  public var importedFunctionTypes: [UInt32] {
    imports.compactMap { if case .function(let t) = $0.descriptor { return t } else { return nil } }
  }
  public var importedTables: [TableType] {
    imports.compactMap { if case .table(let t) = $0.descriptor { return t } else { return nil } }
  }
  public var importedMemories: [MemoryType] {
    imports.compactMap { if case .memory(let t) = $0.descriptor { return t } else { return nil } }
  }
  public var importedGlobals: [GlobalType] {
    imports.compactMap { if case .global(let t) = $0.descriptor { return t } else { return nil } }
  }

  public var importedTags: [UInt32] {
    imports.compactMap { if case .tag(let t) = $0.descriptor { return t } else { return nil } }
  }

  /// Type index of every function in the function index space.
  public var allFunctionTypeIndices: [UInt32] { importedFunctionTypes + functions }
  public var allTables: [TableType] { importedTables + tables }
  public var allMemories: [MemoryType] { importedMemories + memories }
  public var allGlobalTypes: [GlobalType] { importedGlobals + globals.map(\.type) }
  /// Type index of every tag in the tag index space.
  public var allTagTypeIndices: [UInt32] { importedTags + tags }

  /// A readable name for function `index` (function index space), from the `name` section where present.
  public func functionName(_ index: UInt32) -> String {
    if let n = names.functionNames[index] { return n }
    return "func[\(index)]"
  }
}

/// A module's `name` sections, decoded on first use: a large one (Rust programs name thousands of functions) costs
/// more to decode than the rest of a module's declarations, and only messages and tools read it. The last section
/// that decodes wins.
public final class NameSection: Sendable {
  /// The payloads, sharing the module's bytes (not copied unless decoded).
  private let payloads: [ArraySlice<UInt8>]
  /// Where the sections come from when they are not at hand (see `init(loadingSections:)`).
  private let load: (@Sendable () -> [UInt8])?
  private let decoded = Mutex<NameMap?>(nil)

  init(payloads: [ArraySlice<UInt8>]) {
    self.payloads = payloads
    load = nil
  }

  /// Name sections that `load` provides when first needed: whole custom sections (id 0, size, name, payload), as
  /// in a module's bytes; anything else in them, or a malformed sequence, is ignored.
  public init(loadingSections load: @escaping @Sendable () -> [UInt8]) {
    payloads = []
    self.load = load
  }

  func adding(_ payload: ArraySlice<UInt8>) -> NameSection { NameSection(payloads: payloads + [payload]) }

  /// Whether the names were read (and, for a cached module, decompressed); for tests of that laziness.
  package var wasRead: Bool { decoded.withLock { $0 != nil } }

  public var map: NameMap {
    decoded.withLock { decoded in
      if let decoded { return decoded }
      let payloads = load.map { Self.namePayloads(in: $0()) } ?? payloads
      let map = payloads.reversed().lazy.compactMap { NameMap(decoding: Array($0)) }.first ?? NameMap()
      decoded = map
      return map
    }
  }

  /// The module's name, as `map.moduleName`, without decoding the function names into the map when it is not
  /// decoded yet (a cache miss names the entry's member with it: CPython's 14 MB of names took 70 ms to decode).
  public var moduleName: String? {
    if let map = decoded.withLock({ $0 }) { return map.moduleName }
    let payloads = load.map { Self.namePayloads(in: $0()) } ?? payloads
    for payload in payloads.reversed() {
      if let name = NameMap.moduleName(decoding: Array(payload)) { return name }
    }
    return nil
  }

  /// The payloads of the `name` sections among `sections` (whole sections, without a module header).
  private static func namePayloads(in sections: [UInt8]) -> [ArraySlice<UInt8>] {
    (Module.sections(of: sections, from: 0) ?? []).compactMap { $0.namePayload.map { sections[$0] } }
  }
}

/// The WebAssembly features a module may use beyond the MVP (1.0). swasm implements all of these; an embedder
/// can switch some off to accept only modules that other runtimes (or older toolchains) can run too. A module
/// that uses a feature that is off fails validation with an error naming the feature.
public struct WasmFeatures: OptionSet, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// `i32.extend8_s` and the other sign-extension operators (Wasm 2.0).
  public static let signExtension = WasmFeatures(rawValue: 1 << 0)
  /// `i32.trunc_sat_f32_s` and the other saturating conversions (Wasm 2.0).
  public static let nonTrappingFloatToInt = WasmFeatures(rawValue: 1 << 1)
  /// Functions and blocks with several results, blocks with parameters (Wasm 2.0).
  public static let multiValue = WasmFeatures(rawValue: 1 << 2)
  /// `memory.copy`, `memory.fill`, `memory.init`, `table.copy`, ..., passive segments, the data count section
  /// (Wasm 2.0).
  public static let bulkMemory = WasmFeatures(rawValue: 1 << 3)
  /// `externref`, `ref.*` and `table.*` instructions, several tables, typed `select` (Wasm 2.0).
  public static let referenceTypes = WasmFeatures(rawValue: 1 << 4)
  /// Arithmetic in constant expressions (`i32.add` and others in global initialisers and segment offsets;
  /// Wasm 3.0, emitted by today's C toolchains).
  public static let extendedConst = WasmFeatures(rawValue: 1 << 5)
  /// The v128 type and the fixed-width SIMD instructions (Wasm 2.0).
  public static let simd = WasmFeatures(rawValue: 1 << 6)
  /// The relaxed SIMD instructions (Wasm 3.0; they also need `simd`).
  public static let relaxedSimd = WasmFeatures(rawValue: 1 << 7)
  /// `return_call` and `return_call_indirect` (Wasm 3.0).
  public static let tailCall = WasmFeatures(rawValue: 1 << 8)
  /// Tags, `throw`, `throw_ref`, `try_table` and the `exnref` type (Wasm 3.0).
  public static let exceptions = WasmFeatures(rawValue: 1 << 9)
  /// The legacy exception instructions `try`, `catch`, `catch_all`, `delegate` and `rethrow`, which LLVM still
  /// emits by default (not part of Wasm 3.0; they need `exceptions` too).
  public static let legacyExceptions = WasmFeatures(rawValue: 1 << 10)
  /// Several memories in one module, a memory index on memory instructions (Wasm 3.0).
  public static let multiMemory = WasmFeatures(rawValue: 1 << 11)
  /// Memories and tables indexed by i64 (Wasm 3.0).
  public static let memory64 = WasmFeatures(rawValue: 1 << 12)
  /// Shared memories and the atomic instructions (the threads proposal).
  public static let threads = WasmFeatures(rawValue: 1 << 13)
  /// Typed function references (Wasm 3.0): `(ref $t)`, non-nullable references, `call_ref`, `br_on_null`,
  /// `br_on_non_null`, `ref.as_non_null`, tables with initializers.
  public static let functionReferences = WasmFeatures(rawValue: 1 << 14)
  /// Garbage collection (Wasm 3.0): recursion groups and subtypes, struct and array types, the `any` hierarchy,
  /// `ref.eq`, constant expressions reading globals defined in the module.
  public static let gc = WasmFeatures(rawValue: 1 << 15)

  /// Every feature swasm implements: Wasm 2.0, extended constant expressions, relaxed SIMD, tail calls,
  /// exception handling (standard and legacy), multiple memories, memory64, threads, typed function
  /// references and GC. The default.
  public static let all: WasmFeatures = [.signExtension, .nonTrappingFloatToInt, .multiValue, .bulkMemory,
                                         .referenceTypes, .extendedConst, .simd, .relaxedSimd, .tailCall,
                                         .exceptions, .legacyExceptions, .multiMemory, .memory64, .threads,
                                         .functionReferences, .gc]
  /// WebAssembly 1.0.
  public static let mvp: WasmFeatures = []
  /// WebAssembly 2.0: one memory, 32-bit memories and tables (the spec suite's wasm-2.0 group tests this).
  public static let wasm2: WasmFeatures = [.signExtension, .nonTrappingFloatToInt, .multiValue, .bulkMemory,
                                           .referenceTypes, .simd]

  static let names: [(WasmFeatures, String)] = [
    (.signExtension, "sign-extension"), (.nonTrappingFloatToInt, "non-trapping float-to-int"),
    (.multiValue, "multi-value"), (.bulkMemory, "bulk memory"), (.referenceTypes, "reference types"),
    (.extendedConst, "extended constant expressions"), (.simd, "SIMD"), (.relaxedSimd, "relaxed SIMD"),
    (.tailCall, "tail call"), (.exceptions, "exception handling"),
    (.legacyExceptions, "legacy exception handling"), (.multiMemory, "multiple memories"), (.memory64, "memory64"),
    (.threads, "threads"), (.functionReferences, "typed function references"), (.gc, "GC"),
  ]

  public var description: String {
    let enabled = Self.names.filter { contains($0.0) }.map(\.1)
    return enabled.isEmpty ? "mvp" : enabled.joined(separator: ", ")
  }

  func require(_ feature: WasmFeatures, _ what: String) throws {
    guard contains(feature) else {
      let name = Self.names.first { $0.0 == feature }?.1 ?? "a feature"
      throw ValidationError("\(what) needs the \(name) feature, which is disabled")
    }
  }
}

extension WasmFeatures {
  /// The feature an instruction needs, if any beyond the MVP.
  static func required(by instruction: Instruction) -> (WasmFeatures, String)? {
    switch instruction {
    case .numeric(let op):
      switch op {
      case .i32Extend8S, .i32Extend16S, .i64Extend8S, .i64Extend16S, .i64Extend32S:
        return (.signExtension, "\(op.name)")
      case .i32TruncSatF32S, .i32TruncSatF32U, .i32TruncSatF64S, .i32TruncSatF64U,
           .i64TruncSatF32S, .i64TruncSatF32U, .i64TruncSatF64S, .i64TruncSatF64U:
        return (.nonTrappingFloatToInt, "\(op.name)")
      default: return nil
      }
    case .memoryInit, .dataDrop, .memoryCopy, .memoryFill, .tableInit, .elemDrop, .tableCopy:
      return (.bulkMemory, "a bulk memory instruction")
    case .tableGet, .tableSet, .tableGrow, .tableSize, .tableFill, .refNull, .refIsNull, .refFunc, .selectTyped:
      return (.referenceTypes, "a reference or table instruction")
    case .callIndirect(_, let table) where table != 0:
      return (.referenceTypes, "call_indirect through a table other than 0")
    case .simd(let op) where op.rawValue >= 0x100:
      return (.relaxedSimd, "\(op.name)")
    case .simd, .simdLane, .simdMemory, .simdMemoryLane, .v128Const, .i8x16Shuffle:
      return (.simd, "a SIMD instruction")
    case .returnCall, .returnCallIndirect:
      return (.tailCall, "a tail call")
    case .refAsNonNull, .brOnNull, .brOnNonNull, .callRef, .returnCallRef:
      return (.functionReferences, "a typed function reference instruction")
    case .refEq, .gc:
      return (.gc, "a GC instruction")
    case .atomic, .atomicFence:
      return (.threads, "an atomic instruction")
    case .throw, .throwRef, .tryTable:
      return (.exceptions, "an exception instruction")
    case .try, .catch, .catchAll, .delegate, .rethrow:
      return (.legacyExceptions, "a legacy exception instruction")
    default: return nil
    }
  }

  /// Checks the declarations of `module` (its types, tables, segments and constant expressions) against the
  /// enabled features.
  func check(declarationsOf module: Module) throws {
    if self == .all { return }
    let functionTypes = module.types.compactMap(\.functionType)
    let types = functionTypes.flatMap { $0.params + $0.results } + module.allGlobalTypes.map(\.valueType)
    if module.types.contains(where: { $0.functionType == nil || !$0.isFinal || $0.supertype != nil })
      || module.recGroups.contains(where: { $0.count != 1 }) {
      try require(.gc, "a recursion group, subtype, struct or array type")
    }
    let locals = module.codes.lazy.flatMap { $0.locals.lazy.map(\.type) }
    let simpleReferences: [ValueType] = [.funcref, .externref, .exnref]
    if (types + module.allTables.map(\.elementType)).contains(where: { $0.isReference && !simpleReferences.contains($0) })
      || locals.contains(where: { $0.isReference && !simpleReferences.contains($0) })
      || module.tableInitializers.contains(where: { $0 != nil }) {
      try require(.functionReferences, "a typed reference")
    }
    if types.contains(.externref) || module.allTables.contains(where: { $0.elementType == .externref }) {
      try require(.referenceTypes, "an externref")
    }
    if module.allTables.count > 1 { try require(.referenceTypes, "more than one table") }
    if module.allMemories.count > 1 { try require(.multiMemory, "more than one memory") }
    if module.allMemories.contains(where: \.is64) { try require(.memory64, "a 64-bit memory") }
    if module.allMemories.contains(where: \.isShared) { try require(.threads, "a shared memory") }
    if module.allTables.contains(where: { $0.addressType == .i64 }) { try require(.memory64, "a 64-bit table") }
    if !module.allTagTypeIndices.isEmpty { try require(.exceptions, "a tag") }
    if types.contains(.exnref) || module.allTables.contains(where: { $0.elementType == .exnref })
      || module.codes.contains(where: { $0.locals.contains { $0.type == .exnref } }) {
      try require(.exceptions, "an exnref")
    }
    if types.contains(.v128) || locals.contains(.v128) { try require(.simd, "a v128 value") }
    if functionTypes.contains(where: { $0.results.count > 1 }) { try require(.multiValue, "a function type with several results") }
    if module.dataCount != nil { try require(.bulkMemory, "the data count section") }
    for segment in module.elements {
      if case .active = segment.mode {} else { try require(.bulkMemory, "a passive or declarative element segment") }
    }
    for segment in module.data {
      if case .passive = segment.mode { try require(.bulkMemory, "a passive data segment") }
    }
    var expressions = module.globals.map(\.initializer)
    for segment in module.elements {
      if case .active(_, let offset) = segment.mode { expressions.append(offset) }
      if case .expressions(let items) = segment.contents { expressions += items }
    }
    for segment in module.data { if case .active(_, let offset) = segment.mode { expressions.append(offset) } }
    for expression in expressions where expression.instructions.contains(where: {
      if case .numeric = $0 { return true }
      return false
    }) {
      try require(.extendedConst, "arithmetic in a constant expression")
    }
    let importedGlobals = module.importedGlobals.count
    for expression in expressions where expression.instructions.contains(where: {
      if case .globalGet(let g) = $0 { return g >= importedGlobals }
      return false
    }) {
      try require(.gc, "a constant expression reading a global defined in the module")
    }
  }
}

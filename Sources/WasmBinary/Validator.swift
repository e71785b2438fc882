#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The module is well-formed but not valid ("invalid" in the spec's terms).
public struct ValidationError: Error, CustomStringConvertible, Sendable {
  public var message: String
  /// Byte offset of the offending instruction or construct, where known.
  public var offset: Int?
  /// Where the error is, e.g. "function 3 (main)".
  public var location: String?

  public init(_ message: String, offset: Int? = nil, location: String? = nil) {
    self.message = message
    self.offset = offset
    self.location = location
  }

  public var description: String {
    var text = "invalid module"
    if let location { text += " in \(location)" }
    if let offset { text += " at byte \(offset)" }
    return text + ": " + message
  }
}

/// What validation learned that later stages use.
public struct ValidationInfo: Sendable {
  /// Per defined function: the highest operand-stack height (in values) its body reaches.
  public var maxStackHeights: [Int]

  public init(maxStackHeights: [Int]) { self.maxStackHeights = maxStackHeights }
}

/// Implementation limit on locals per function (params included), as other engines agree (wasmparser's
/// `MAX_WASM_FUNCTION_LOCALS`, the JavaScript API's limits).
public let maxLocalsPerFunction = 50_000

/// The implementation limits other engines share (wasmparser's limits.rs, the JavaScript API's "limits"): a module
/// beyond one is refused by wasmtime, V8 and SpiderMonkey alike, so it is by swasm, before anything is built for it.
public enum ImplementationLimits {
  public static let types = 1_000_000
  public static let functions = 1_000_000
  public static let imports = 100_000
  public static let exports = 100_000
  public static let globals = 1_000_000
  public static let dataSegments = 100_000
  public static let elementSegments = 100_000
  public static let tables = 100
  public static let memories = 100
  public static let tags = 1_000_000
  public static let functionParams = 1_000
  public static let functionResults = 1_000
  /// Bytes of one function body.
  public static let functionSize = 7_654_321
}

extension Module {
  /// Validates the module as the Wasm 2.0 specification says (plus extended constant expressions), accepting
  /// only the `features` given (all by default).
  public func validate(features: WasmFeatures = .all) throws -> ValidationInfo {
    let context = try ModuleContext(self)
    try context.validateModuleFields()
    try features.check(declarationsOf: self)
    return ValidationInfo(maxStackHeights: try validateBodies(context: context, features: features))
  }

  /// Validates every function body and returns each one's greatest operand stack height. The bodies are
  /// independent: a large module's are validated by several threads at once (`inConcurrentRuns`). The error thrown
  /// is the first invalid function's, as one thread would find it.
  private func validateBodies(context: ModuleContext, features: WasmFeatures) throws -> [Int] {
    let heights = UnsafeMutableBufferPointer<Int>.allocate(capacity: codes.count)
    heights.initialize(repeating: 0)
    defer { heights.deallocate() }
    // One validator per run: its buffers are refilled in place from one function to the next.
    let failure = inConcurrentRuns(codes.count, threads: bodyThreads, state: { FunctionValidator(context: context, features: features) }) {
      validator, i in heights[i] = try validator.validate(function: i)
    }
    if let (function, error) = failure {
      guard var error = error as? ValidationError else { throw error }  // malformed, as decoding would say
      let functionIndex = UInt32(context.importedFunctionCount + function)
      error.location = "function \(functionIndex) (\(functionName(functionIndex)))"
      throw error
    }
    return Array(heights)
  }

  /// Threads worth validating or translating the function bodies with: one below a few megabytes of code (a
  /// thread costs more than it saves there), else one per core, at most eight.
  public var bodyThreads: Int {
    let codeBytes = codes.last.map { $0.codeRange.upperBound - codes[0].codeRange.lowerBound } ?? 0
    guard codeBytes >= 4 << 20, codes.count >= 64 else { return 1 }
    return max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
  }
}

/// Validates function bodies one at a time, when validating them all up front is put off (the translation cache
/// keeps the bodies of functions it has not translated yet, validated on first call). The module's declarations
/// must be valid already.
public struct FunctionBodyValidator: Sendable {
  let context: ModuleContext
  let features: WasmFeatures

  public init(module: Module, features: WasmFeatures = .all) throws {
    context = try ModuleContext(module)
    self.features = features
  }

  /// Validates defined function `index` (0 is the first function after the imported ones).
  public func validate(definedFunction index: Int) throws {
    try validate(definedFunction: index, body: context.module.codes[index], in: context.module.bytes)
  }

  /// Validates defined function `index` whose body is `body`, located in `bytes` (a chunk of the module's code
  /// section, `Module.functionBodies(inEntries:count:)`), for a module decoded without its code.
  public func validate(definedFunction index: Int, body: FunctionBody, in bytes: [UInt8]) throws {
    var validator = FunctionValidator(context: context, features: features)
    _ = try validator.validate(function: index, body: body, in: bytes)
  }
}

extension TableType {
  /// Throws `ValidationError` unless the limits are valid: the minimum at most the maximum, both within the
  /// address type's range (which decoding already guarantees for a module's tables; not for an embedder's).
  public func validateLimits() throws {
    if let max = limits.max, limits.min > max { throw ValidationError("size minimum must not be greater than maximum") }
    guard addressType == .i64 || max(limits.min, limits.max ?? 0) <= UInt64(UInt32.max) else {
      throw ValidationError("table size must be at most 2^32-1 elements")
    }
  }
}

extension MemoryType {
  /// Throws `ValidationError` unless the limits are valid: both within the address type's range, the minimum at
  /// most the maximum, and a maximum for a shared memory.
  public func validateLimits() throws {
    guard limits.min <= pageLimit, (limits.max ?? 0) <= pageLimit else {
      throw ValidationError(is64 ? "memory size must be at most 2^48 pages (16 EiB)"
                                 : "memory size must be at most 65536 pages (4GiB)")
    }
    if let max = limits.max, limits.min > max { throw ValidationError("size minimum must not be greater than maximum") }
    if isShared, limits.max == nil { throw ValidationError("shared memory must have maximum") }
  }
}

extension Module {
  /// Validates everything but the function bodies: types, imports, exports, globals, tables, memories, segments
  /// and their constant expressions. For modules decoded `withoutCode`, whose functions come verified from a cache.
  public func validateDeclarations(features: WasmFeatures = .all) throws {
    try ModuleContext(self).validateModuleFields()
    try features.check(declarationsOf: self)
  }
}

/// The module's index spaces, as validation needs them. A class: the validator consults it for nearly every
/// instruction, and a struct of this size was copied (280 bytes, its arrays retained) at each call.
/// `@unchecked Sendable`: immutable after `init`, its one buffer (`signatureTypes`) included.
final class ModuleContext: @unchecked Sendable {
  let module: Module
  /// The type definitions, with their equivalences and subtyping.
  let types: ModuleTypes
  let functionTypeIndices: [UInt32]
  let importedFunctionCount: Int
  let tables: [TableType]
  let memories: [MemoryType]
  let globals: [GlobalType]
  let importedGlobalCount: Int
  /// Type index of every tag (tag index space).
  let tagTypeIndices: [UInt32]
  /// Functions that `ref.func` may name: those referenced outside function bodies (indexed by function; no
  /// Set, whose first use costs every start-up a scan of the protocol conformances).
  let declaredFunctions: [Bool]
  /// Each type index's function type (nil for a struct or array type), read without copying the type definitions.
  let functionTypesByIndex: [FuncType?]
  /// Every function type's parameter types then result types, one type after another, and where each type
  /// index's lie (`signatureRanges`: parameters at `start..<middle`, results at `middle..<end`; empty for a
  /// struct or array type). A call's check pops and pushes from here: a copy of its `FuncType` retained and
  /// released two arrays per call (a tenth of the validation of python.wasm went to reference counting).
  let signatureTypes: UnsafeMutableBufferPointer<ValueType>
  let signatureRanges: [(start: Int, middle: Int, end: Int)]

  init(_ module: Module) throws {
    self.module = module
    types = ModuleTypes(module)
    functionTypesByIndex = module.types.map(\.functionType)
    var ranges: [(start: Int, middle: Int, end: Int)] = []
    ranges.reserveCapacity(functionTypesByIndex.count)
    var flat: [ValueType] = []
    for f in functionTypesByIndex {
      let start = flat.count
      if let f { flat += f.params }
      let middle = flat.count
      if let f { flat += f.results }
      ranges.append((start, middle, flat.count))
    }
    signatureRanges = ranges
    signatureTypes = .allocate(capacity: flat.count)
    _ = signatureTypes.initialize(from: flat)
    functionTypeIndices = module.allFunctionTypeIndices
    importedFunctionCount = module.importedFunctionTypes.count
    tables = module.allTables
    memories = module.allMemories
    globals = module.allGlobalTypes
    importedGlobalCount = module.importedGlobals.count
    tagTypeIndices = module.allTagTypeIndices
    var declared = [Bool](repeating: false, count: functionTypeIndices.count)
    func declare(_ f: UInt32) { if Int(f) < declared.count { declared[Int(f)] = true } }  // others: unknown, refused
    func collect(_ e: ConstExpr) {
      for case .refFunc(let f) in e.instructions { declare(f) }
    }
    module.globals.forEach { collect($0.initializer) }
    for segment in module.elements {
      switch segment.contents {
      case .functions(let indices): indices.forEach(declare)
      case .expressions(let expressions): expressions.forEach(collect)
      }
      if case .active(_, let offset) = segment.mode { collect(offset) }
    }
    for export in module.exports where export.kind == .function { declare(export.index) }
    declaredFunctions = declared
  }

  deinit { signatureTypes.deallocate() }

  /// Where function `index`'s parameter and result types lie in `signatureTypes` (see there); nothing for a
  /// function whose type index does not name a function type (refused elsewhere).
  @inline(__always)
  func signatureRange(ofFunction index: UInt32) throws -> (start: Int, middle: Int, end: Int) {
    try requireFunction(index)
    let typeIndex = Int(functionTypeIndices[Int(index)])
    guard typeIndex < signatureRanges.count else { return (0, 0, 0) }
    return signatureRanges[typeIndex]
  }

  func functionType(_ index: UInt32) throws -> FuncType {
    try requireFunction(index)
    let typeIndex = Int(functionTypeIndices[Int(index)])
    // A function's type index was checked to name a function type (an empty one stands in until it is).
    guard typeIndex < functionTypesByIndex.count, let f = functionTypesByIndex[typeIndex] else {
      return FuncType(params: [], results: [])
    }
    return f
  }

  /// The function type at type index `index`.
  func type(_ index: UInt32) throws -> FuncType {
    try requireType(index)
    guard let f = functionTypesByIndex[Int(index)] else { throw ValidationError("type \(index) is not a function type") }
    return f
  }

  /// Checks that function `index` exists, without copying its type (whose arrays a copy retains and releases:
  /// QuickJS's element segments name 900 functions).
  func requireFunction(_ index: UInt32) throws {
    guard Int(index) < functionTypeIndices.count else { throw ValidationError("unknown function \(index)") }
  }

  func requireType(_ index: UInt32) throws {
    guard Int(index) < types.types.count else { throw ValidationError("unknown type \(index)") }
  }

  /// A value type's type index, if it has one, must exist.
  func checkValueType(_ type: ValueType) throws {
    if case .ref(let r) = type, case .concrete(let i) = r.heapType { try requireType(i) }
  }

  func isSubtype(_ sub: ValueType, of sup: ValueType) -> Bool { types.isSubtype(sub, of: sup) }

  func table(_ index: UInt32) throws -> TableType {
    guard Int(index) < tables.count else { throw ValidationError("unknown table \(index)") }
    return tables[Int(index)]
  }

  @inline(__always)
  func requireMemory(_ index: UInt32 = 0) throws {
    guard Int(index) < memories.count else { throw ValidationError("unknown memory \(index)") }
  }

  /// The type of memory `index`'s addresses (i32, or i64 for a 64-bit memory).
  @inline(__always)
  func memoryAddressType(_ index: UInt32) throws -> ValueType {
    try requireMemory(index)
    return memories[Int(index)].addressType
  }

  func global(_ index: UInt32) throws -> GlobalType {
    guard Int(index) < globals.count else { throw ValidationError("unknown global \(index)") }
    return globals[Int(index)]
  }

  func elementType(_ index: UInt32) throws -> ValueType {
    guard Int(index) < module.elements.count else { throw ValidationError("unknown elem segment \(index)") }
    return module.elements[Int(index)].type
  }

  func requireData(_ index: UInt32) throws {
    guard let count = module.dataCount else { throw ValidationError("data count section required") }
    guard index < count else { throw ValidationError("unknown data segment \(index)") }
  }

  // MARK: module fields

  func validateModuleFields() throws {
    try checkImplementationLimits()
    try validateTypeDefinitions()
    for imp in module.imports {
      switch imp.descriptor {
      case .function(let t): _ = try type(t)
      case .table(let t): try validateTableType(t)
      case .memory(let m): try m.validateLimits()
      case .global(let g): try checkValueType(g.valueType)
      case .tag(let t): try validateTagType(t)
      }
    }
    for t in module.functions { _ = try type(t) }
    for t in module.tags { try validateTagType(t) }
    for (i, t) in module.tables.enumerated() {
      try validateTableType(t)
      if let initializer = module.tableInitializers[i] {
        // Tables come before globals: their initializers see only the imported ones.
        try validateConstant(initializer, type: t.elementType, globalsVisible: importedGlobalCount)
      } else if !t.elementType.isDefaultable {
        throw ValidationError("type mismatch: a table of \(t.elementType) needs an initializer")
      }
    }
    for m in module.memories { try m.validateLimits() }
    for (i, g) in module.globals.enumerated() {
      do {
        try checkValueType(g.type.valueType)
        try validateConstant(g.initializer, type: g.type.valueType, globalsVisible: importedGlobalCount + i)
      } catch var error as ValidationError {
        error.location = "global \(importedGlobalCount + i)"
        throw error
      }
    }
    // Each export whose name an earlier one has (names compared as bytes: Wasm names are byte strings, and
    // canonically equivalent Strings compare equal), found by sorting the names with their positions.
    let names = module.exports.map { Array($0.name.utf8) }
    let byName = names.indices.sorted { names[$0] == names[$1] ? $0 < $1 : names[$0].lexicographicallyPrecedes(names[$1]) }
    var repeatsEarlierName = [Bool](repeating: false, count: names.count)
    for (a, b) in zip(byName, byName.dropFirst()) where names[a] == names[b] { repeatsEarlierName[b] = true }
    for (i, e) in module.exports.enumerated() {
      guard !repeatsEarlierName[i] else { throw ValidationError("duplicate export name \"\(e.name)\"") }
      switch e.kind {
      case .function: try requireFunction(e.index)
      case .table: _ = try table(e.index)
      case .memory: try requireMemory(e.index)
      case .global: _ = try global(e.index)
      case .tag: _ = try tagType(e.index)
      }
    }
    if let start = module.start {
      let t = try functionType(start)
      guard t.params.isEmpty && t.results.isEmpty else { throw ValidationError("start function must have type [] -> []") }
    }
    for (i, segment) in module.elements.enumerated() {
      do {
        if case .active(let tableIndex, let offset) = segment.mode {
          let t = try table(tableIndex)
          try validateConstant(offset, type: t.addressType)
          guard isSubtype(segment.type, of: t.elementType) else { throw ValidationError("type mismatch: element segment of \(segment.type) for a table of \(t.elementType)") }
        }
        try checkValueType(segment.type)
        switch segment.contents {
        case .functions(let indices):
          guard isSubtype(.ref(RefType(nullable: false, .func)), of: segment.type) else { throw ValidationError("type mismatch: function indices in a segment of \(segment.type)") }
          for f in indices { try requireFunction(f) }
        case .expressions(let expressions):
          for item in expressions { try validateConstant(item, type: segment.type) }
        }
      } catch var error as ValidationError {
        error.location = "element segment \(i)"
        throw error
      }
    }
    for (i, segment) in module.data.enumerated() {
      guard case .active(let memory, let offset) = segment.mode else { continue }
      do {
        try validateConstant(offset, type: try memoryAddressType(memory))
      } catch var error as ValidationError {
        error.location = "data segment \(i)"
        throw error
      }
    }
  }

  func checkImplementationLimits() throws {
    typealias L = ImplementationLimits
    for (count, limit, what) in [(types.types.count, L.types, "types"), (functionTypeIndices.count, L.functions, "functions"),
                                 (module.imports.count, L.imports, "imports"), (module.exports.count, L.exports, "exports"),
                                 (globals.count, L.globals, "globals"), (module.data.count, L.dataSegments, "data segments"),
                                 (module.elements.count, L.elementSegments, "element segments"),
                                 (tables.count, L.tables, "tables"), (memories.count, L.memories, "memories"),
                                 (tagTypeIndices.count, L.tags, "tags")]
    where count > limit {
      throw ValidationError("too many \(what): \(count), more than \(limit) (implementation limit)")
    }
    for (i, definition) in types.types.enumerated() {
      guard let type = definition.functionType else { continue }
      if type.params.count > L.functionParams {
        throw ValidationError("type \(i) has \(type.params.count) parameters, more than \(L.functionParams) (implementation limit)")
      }
      if type.results.count > L.functionResults {
        throw ValidationError("type \(i) has \(type.results.count) results, more than \(L.functionResults) (implementation limit)")
      }
    }
    for (i, body) in module.codes.enumerated() where body.codeRange.count > L.functionSize {
      throw ValidationError("function \(importedFunctionCount + i) has \(body.codeRange.count) bytes of code, more than \(L.functionSize) (implementation limit)")
    }
  }

  /// Constant expressions: constants, ref.null, ref.func, global.get of an immutable global (for a global's
  /// initializer, one of the `globalsVisible` before it), and the extended-const integer add/sub/mul; the result
  /// must be exactly one value of `type` (or a subtype).
  func validateConstant(_ expr: ConstExpr, type: ValueType, globalsVisible: Int? = nil) throws {
    let visible = globalsVisible ?? globals.count
    // Most are one instruction (an element's ref.func, a global's constant): no stack to allocate.
    if expr.instructions.count == 1, let t = try pushedType(expr.instructions[0], globalsVisible: visible) {
      guard isSubtype(t, of: type) else { throw ValidationError("type mismatch: constant expression must produce one \(type)") }
      return
    }
    var stack: [ValueType] = []
    func pop(_ t: ValueType) throws {
      guard let top = stack.popLast(), top == t else { throw ValidationError("type mismatch in constant expression") }
    }
    for instruction in expr.instructions {
      if let t = try pushedType(instruction, globalsVisible: visible) {
        stack.append(t)
        continue
      }
      switch instruction {
      case .numeric(let op) where [.i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul].contains(op):
        let t = op.resultType
        try pop(t)
        try pop(t)
        stack.append(t)
      case .gc(let g) where g == .anyConvertExtern || g == .externConvertAny:
        let toAny = g == .anyConvertExtern
        guard case .ref(let r)? = stack.popLast(), types.top(of: r.heapType) == (toAny ? .extern : .any) else {
          throw ValidationError("type mismatch in constant expression")
        }
        stack.append(.ref(RefType(nullable: r.isNullable, toAny ? .any : .extern)))
      case .gc(let g) where g.isConstant:
        stack.append(try constantGCResult(g) { types in
          for t in types.reversed() {
            guard let top = stack.popLast(), isSubtype(top, of: t) else { throw ValidationError("type mismatch in constant expression") }
          }
        })
      default:
        throw ValidationError("constant expression required")
      }
    }
    guard stack.count == 1, isSubtype(stack[0], of: type) else {
      throw ValidationError("type mismatch: constant expression must produce one \(type)")
    }
  }

  /// The type a constant instruction that takes no operand pushes (after checking its index); nil for the others.
  private func pushedType(_ instruction: Instruction, globalsVisible: Int) throws -> ValueType? {
    switch instruction {
    case .i32Const: return .i32
    case .i64Const: return .i64
    case .f32Const: return .f32
    case .f64Const: return .f64
    case .v128Const: return .v128
    case .refNull(let t): return try nullReference(t)
    case .refFunc(let f): return try functionReference(f)
    case .globalGet(let g):
      guard Int(g) < globalsVisible else { throw ValidationError("unknown global \(g) (a global's initializer may read only the globals before it)") }
      let t = try global(g)
      guard !t.mutable else { throw ValidationError("constant expression required (global \(g) is mutable)") }
      return t.valueType
    default: return nil
    }
  }
}

/// Type-checks function bodies with the specification's algorithm: an operand stack where `nil` is the
/// unknown type of unreachable code, and a stack of control frames. Reused across functions to keep its buffers.
struct FunctionValidator {
  struct Frame {
    /// `tryTable` and the legacy `legacyTry` are blocks whose body handlers cover; `legacyCatch` and
    /// `legacyCatchAll` are the handler bodies of a legacy try (Exceptions.swift).
    enum Kind { case function, block, loop, `if`, `else`, tryTable, legacyTry, legacyCatch, legacyCatchAll }
    var kind: Kind
    var params: TypeList
    var results: TypeList
    var height: Int
    /// How many entries `setLocals` had when the frame began: those after are forgotten when it ends.
    var initializedHeight = 0
    var unreachable = false
    var labelTypes: TypeList { kind == .loop ? params : results }
  }

  /// A block's parameter or result types. Most blocks have none or one: kept without an array, whose copies (at
  /// every block, end and branch) were much of the validator's reference counting.
  enum TypeList {
    case none
    case one(ValueType)
    case many([ValueType])

    init(_ types: [ValueType]) {
      switch types.count {
      case 0: self = .none
      case 1: self = .one(types[0])
      default: self = .many(types)
      }
    }

    var array: [ValueType] {
      switch self {
      case .none: return []
      case .one(let t): return [t]
      case .many(let types): return types
      }
    }

    var count: Int {
      switch self {
      case .none: return 0
      case .one: return 1
      case .many(let types): return types.count
      }
    }
  }

  let context: ModuleContext
  let features: WasmFeatures
  let values = OperandTypeStack()
  var frames: [Frame] = []
  var locals: [ValueType] = []
  /// Whether each local holds a value: false only for a local of a non-nullable reference type (which has no
  /// default) until a `local.set` or `local.tee` in an enclosing block gives it one.
  var localIsSet: [Bool] = []
  /// The locals set so far, in order, for resetting them when their block ends.
  var setLocals: [Int] = []
  var maxHeight = 0
  /// `numericSignatures`, read once here: a global's every read calls `swift_once` (on Linux a function call), and
  /// the fast path reads it for each numeric operator (0.75% of CPython's cold start).
  let numericSignatures = oneByteNumericSignatures

  init(context: ModuleContext, features: WasmFeatures = .all) {
    self.context = context
    self.features = features
  }

  /// Validates defined function `index`; returns its maximum operand-stack height.
  mutating func validate(function index: Int) throws -> Int {
    // The module's fields are read through the context (a copy of the Module would retain each of its arrays).
    try validate(function: index, body: context.module.codes[index], in: context.module.bytes)
  }

  /// Validates defined function `index` whose body is `body`, located in `bytes` (the module's, or a chunk of
  /// its code section: CodeSectionChunks.swift); returns its maximum operand-stack height.
  mutating func validate(function index: Int, body: FunctionBody, in bytes: [UInt8]) throws -> Int {
    let type = try context.type(context.module.functions[index])
    // The buffers are refilled in place: new arrays for each of a large module's functions cost allocations.
    locals.removeAll(keepingCapacity: true)
    locals.append(contentsOf: type.params)
    var total = type.params.count
    for group in body.locals {
      total += Int(group.count)
      guard total <= maxLocalsPerFunction else {
        throw ValidationError("too many locals: more than \(maxLocalsPerFunction) (implementation limit)")
      }
      try checkValueType(group.type)
      locals.append(contentsOf: repeatElement(group.type, count: Int(group.count)))
    }
    localIsSet.removeAll(keepingCapacity: true)
    localIsSet.append(contentsOf: repeatElement(true, count: type.params.count))
    localIsSet.append(contentsOf: locals[type.params.count...].lazy.map(\.isDefaultable))
    setLocals.removeAll(keepingCapacity: true)
    values.count = 0
    frames.removeAll(keepingCapacity: true)
    maxHeight = type.results.count
    frames.append(Frame(kind: .function, params: .none, results: TypeList(type.results), height: 0))

    var reader = InstructionReader(bytes: bytes, range: body.codeRange)
    reader.memoryIndexIsZeroByte = !features.contains(.multiMemory)
    let fastPath = features == .all  // ValidatorFastPath.swift
    while !frames.isEmpty {
      let offset = reader.offset
      if fastPath {
        do {
          if try checkCommonInstruction(&reader) { continue }
        } catch var error as ValidationError {
          error.offset = offset
          throw error
        }
      }
      let instruction = try reader.next()
      do {
        try check(instruction)
      } catch var error as ValidationError {
        error.offset = offset
        throw error
      }
    }
    guard reader.isAtEnd else { throw DecodeError("operators remaining after end of function", at: reader.offset) }
    return maxHeight
  }

  // MARK: operand stack

  @inline(__always)
  mutating func push(_ t: ValueType?) {
    values.append(t)
    if values.count > maxHeight { maxHeight = values.count }
  }

  mutating func push(_ types: [ValueType]) {
    for t in types { push(t) }
  }

  // The top frame's fields are read in place: a copy of the frame would retain and release its type arrays at
  // every pop.
  @discardableResult @inline(__always)
  mutating func pop() throws -> ValueType? {
    let top = frames.count - 1
    if values.count == frames[top].height {
      if frames[top].unreachable { return nil }
      throw ValidationError("type mismatch: operand stack is empty")
    }
    return values.removeLast()
  }

  @discardableResult @inline(__always)
  mutating func pop(_ expected: ValueType) throws -> ValueType? {
    let actual = try pop()
    if let actual, !actual.isSameType(as: expected), !context.isSubtype(actual, of: expected) {
      throw ValidationError("type mismatch: expected \(expected), found \(actual)")
    }
    return actual ?? expected
  }

  mutating func pop(_ types: [ValueType]) throws {
    for t in types.reversed() { try pop(t) }
  }

  @inline(__always)
  mutating func pop(_ types: TypeList) throws {
    switch types {
    case .none: break
    case .one(let t): try pop(t)
    case .many(let many): try pop(many)
    }
  }

  @inline(__always)
  mutating func push(_ types: TypeList) {
    switch types {
    case .none: break
    case .one(let t): push(t)
    case .many(let many): push(many)
    }
  }

  // MARK: control

  mutating func pushFrame(_ kind: Frame.Kind, _ params: TypeList, _ results: TypeList) {
    frames.append(Frame(kind: kind, params: params, results: results, height: values.count,
                        initializedHeight: setLocals.count))
    push(params)
  }

  /// Checks the end of the innermost frame and removes it (moved out, not copied: a copy of a frame went through
  /// its generic value witness).
  mutating func popFrame() throws -> Frame {
    let top = frames.count - 1
    try pop(frames[top].results)
    guard values.count == frames[top].height else { throw ValidationError("type mismatch: values remain at the end of a block") }
    while setLocals.count > frames[top].initializedHeight { localIsSet[setLocals.removeLast()] = false }
    return frames.removeLast()
  }

  mutating func setUnreachable() {
    let i = frames.count - 1
    values.count = frames[i].height
    frames[i].unreachable = true
  }

  func label(_ depth: UInt32) throws -> Frame {
    guard Int(depth) < frames.count else { throw ValidationError("unknown label \(depth)") }
    return frames[frames.count - 1 - Int(depth)]
  }

  /// The types a branch to label `depth` passes, read in place (`label(depth)` copies the frame, retaining its
  /// arrays).
  func labelTypes(_ depth: UInt32) throws -> [ValueType] { try labelTypeList(depth).array }

  /// `labelTypes` as the frame keeps them (no array built for none or one).
  @inline(__always)
  func labelTypeList(_ depth: UInt32) throws -> TypeList {
    guard Int(depth) < frames.count else { throw ValidationError("unknown label \(depth)") }
    return frames[frames.count - 1 - Int(depth)].labelTypes
  }

  func blockSignature(_ bt: BlockType) throws -> (TypeList, TypeList) {
    switch bt {
    case .empty: return (.none, .none)
    case .value(let t):
      try checkValueType(t)
      return (.none, .one(t))
    case .typeIndex(let i):
      let t = try context.type(i)
      if !t.params.isEmpty || t.results.count > 1 { try features.require(.multiValue, "a block with a type index") }
      return (TypeList(t.params), TypeList(t.results))
    }
  }

  func checkValueType(_ t: ValueType) throws {
    if t == .v128 { try features.require(.simd, "a v128 value") }
    if case .ref(let r) = t {
      if r.heapType == .abstract(.exn) { try features.require(.exceptions, "an exnref value") }
      if r != RefType(nullable: true, .func), r != RefType(nullable: true, .extern), r.heapType != .abstract(.exn) {
        try features.require(.functionReferences, "a typed reference")
      }
    }
    try context.checkValueType(t)
  }

  @inline(__always)
  func local(_ index: UInt32) throws -> ValueType {
    guard Int(index) < locals.count else { throw ValidationError("unknown local \(index)") }
    return locals[Int(index)]
  }

  /// Records that local `index` holds a value from here to the end of the current block.
  @inline(__always)
  mutating func setLocal(_ index: UInt32) {
    let i = Int(index)
    if !localIsSet[i] {
      localIsSet[i] = true
      setLocals.append(i)
    }
  }

  // MARK: instructions

  mutating func check(_ instruction: Instruction) throws {
    if features != .all, let (feature, what) = WasmFeatures.required(by: instruction) {
      try features.require(feature, what)
    }
    switch instruction {
    case .unreachable: setUnreachable()
    case .nop: break
    case .block(let bt): try checkBlock(.block, bt)
    case .loop(let bt): try checkBlock(.loop, bt)
    case .if(let bt): try checkBlock(.if, bt)
    case .else: try checkElse()
    case .end: try checkEnd()
    case .br(let depth): try checkBr(depth)
    case .brIf(let depth): try checkBrIf(depth)
    case .brTable(let targets, let defaultTarget):
      try pop(.i32)
      let arity = try labelTypes(defaultTarget).count
      for target in targets {
        let types = try labelTypes(target)
        guard types.count == arity else { throw ValidationError("type mismatch: br_table targets differ in arity") }
        // Check against the stack without consuming it: pop, then restore what was there.
        let height = values.count
        try pop(types)
        values.count = height
      }
      try pop(try labelTypes(defaultTarget))
      setUnreachable()
    case .return: try checkReturn()
    case .call(let f): try checkCall(f)
    case .callIndirect(let typeIndex, let table):
      guard context.isSubtype(try context.table(table).elementType, of: .funcref) else { throw ValidationError("type mismatch: call_indirect needs a funcref table") }
      let t = try context.type(typeIndex)
      try pop(try context.table(table).addressType)
      try pop(t.params)
      push(t.results)

    case .drop: try pop()
    case .select: try checkSelect()
    case .selectTyped(let types):
      guard types.count == 1 else { throw ValidationError("invalid result arity for select") }
      try checkValueType(types[0])
      try pop(.i32)
      try pop(types[0])
      try pop(types[0])
      push(types[0])

    case .localGet(let i): try checkLocalGet(i)
    case .localSet(let i): try checkLocalSet(i)
    case .localTee(let i): try checkLocalTee(i)
    case .globalGet(let i): try checkGlobalGet(i)
    case .globalSet(let i): try checkGlobalSet(i)

    case .tableGet(let t):
      let type = try context.table(t)
      try pop(type.addressType)
      push(type.elementType)
    case .tableSet(let t):
      let type = try context.table(t)
      try pop(type.elementType)
      try pop(type.addressType)
    case .tableSize(let t):
      push(try context.table(t).addressType)
    case .tableGrow(let t):
      let type = try context.table(t)
      try pop(type.addressType)
      try pop(type.elementType)
      push(type.addressType)
    case .tableFill(let t):
      let type = try context.table(t)
      try pop(type.addressType)
      try pop(type.elementType)
      try pop(type.addressType)
    case .tableCopy(let dst, let src):
      let (d, s) = (try context.table(dst), try context.table(src))
      guard context.isSubtype(s.elementType, of: d.elementType) else {
        throw ValidationError("type mismatch: table.copy between tables of different types")
      }
      // The count is an i64 only when both tables are 64-bit.
      try pop([d.addressType, s.addressType, d.addressType == .i64 && s.addressType == .i64 ? .i64 : .i32])
    case .tableInit(let segment, let table):
      let type = try context.table(table)
      guard try context.isSubtype(context.elementType(segment), of: type.elementType) else {
        throw ValidationError("type mismatch: table.init from a segment of another type")
      }
      try pop([type.addressType, .i32, .i32])
    case .elemDrop(let segment): _ = try context.elementType(segment)

    case .load(let op, let memarg): try checkLoad(op, memarg)
    case .store(let op, let memarg): try checkStore(op, memarg)
    case .memorySize(let m):
      push(try context.memoryAddressType(m))
    case .memoryGrow(let m):
      let address = try context.memoryAddressType(m)
      try pop(address)
      push(address)
    case .memoryInit(let data, let m):
      let address = try context.memoryAddressType(m)
      try context.requireData(data)
      try pop([address, .i32, .i32])
    case .dataDrop(let data): try context.requireData(data)
    case .memoryCopy(let dst, let src):
      let (d, s) = (try context.memoryAddressType(dst), try context.memoryAddressType(src))
      // The count is an i64 only when both memories are 64-bit.
      try pop([d, s, d == .i64 && s == .i64 ? .i64 : .i32])
    case .memoryFill(let m):
      let address = try context.memoryAddressType(m)
      try pop([address, .i32, address])

    case .i32Const: push(.i32)
    case .i64Const: push(.i64)
    case .f32Const: push(.f32)
    case .f64Const: push(.f64)
    case .refNull(let t): push(try context.nullReference(t))
    case .refIsNull:
      _ = try popReference()
      push(.i32)
    case .refFunc(let f):
      let t = try context.functionReference(f)
      guard context.declaredFunctions[Int(f)] else { throw ValidationError("undeclared function reference \(f)") }
      push(t)
    case .refAsNonNull, .brOnNull, .brOnNonNull, .callRef, .refEq:
      try checkTypedReference(instruction)
    case .gc(let g):
      try checkGC(g)

    case .numeric(let op):
      try pop(op.operandTypes)
      push(op.resultType)

    case .simd, .simdLane, .simdMemory, .simdMemoryLane, .v128Const, .i8x16Shuffle:
      try checkSimd(instruction)
    case .returnCall, .returnCallIndirect, .returnCallRef:
      try checkTailCall(instruction)
    case .throw, .throwRef, .tryTable, .try, .catch, .catchAll, .delegate, .rethrow:
      try checkException(instruction)
    case .atomic, .atomicFence:
      try checkAtomic(instruction)
    }
  }

  /// A memory access's memory, alignment and offset (below 2^32 for a 32-bit memory); returns the type of the
  /// memory's addresses.
  func checkAccess(_ memarg: MemArg, width: Int) throws -> ValueType {
    let address = try context.memoryAddressType(memarg.memory)
    guard memarg.align < 32, 1 << memarg.align <= width else {
      throw ValidationError("alignment must not be larger than natural")
    }
    guard address == .i64 || memarg.offset <= UInt64(UInt32.max) else {
      throw ValidationError("offset out of range: a 32-bit memory's offsets are below 2^32")
    }
    return address
  }
}

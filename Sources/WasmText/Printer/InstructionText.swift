import WasmBinary

/// One instruction in the flat text form: its name and immediates on one line, every index numeric (`br 1`,
/// `i32.load 1 offset=8`) but functions, which go by their names where the module has usable ones (`call $f`).
struct InstructionText {
  /// The module's types, for the parameters and results written beside a `(type N)` block type.
  var types: [SubType]
  var functions: FunctionNames

  func text(_ instruction: Instruction) throws -> String {
    switch instruction {
    // Control
    case .unreachable: return "unreachable"
    case .nop: return "nop"
    case .block(let type): return "block" + blockType(type)
    case .loop(let type): return "loop" + blockType(type)
    case .if(let type): return "if" + blockType(type)
    case .else: return "else"
    case .end: return "end"
    case .br(let label): return "br \(label)"
    case .brIf(let label): return "br_if \(label)"
    case .brTable(let targets, let defaultTarget):
      return "br_table " + (targets + [defaultTarget]).map(String.init).joined(separator: " ")
    case .return: return "return"
    case .call(let function): return "call " + functions.reference(function)
    case .callIndirect(let type, let table): return "call_indirect \(table) (type \(type))"
    case .returnCall(let function): return "return_call " + functions.reference(function)
    case .returnCallIndirect(let type, let table): return "return_call_indirect \(table) (type \(type))"

    // Exceptions
    case .throw(let tag): return "throw \(tag)"
    case .throwRef: return "throw_ref"
    case .tryTable(let type, let clauses): return "try_table" + blockType(type) + clauses.map(catchClause).joined()
    case .try(let type): return "try" + blockType(type)
    case .catch(let tag): return "catch \(tag)"
    case .catchAll: return "catch_all"
    case .delegate(let label): return "delegate \(label)"
    case .rethrow(let label): return "rethrow \(label)"

    // Parametric
    case .drop: return "drop"
    case .select: return "select"
    // Always with its result clause, even an empty one: without it the text would be the untyped `select`.
    case .selectTyped(let types): return "select (result" + types.map { " \($0)" }.joined() + ")"

    // Variables
    case .localGet(let index): return "local.get \(index)"
    case .localSet(let index): return "local.set \(index)"
    case .localTee(let index): return "local.tee \(index)"
    case .globalGet(let index): return "global.get \(index)"
    case .globalSet(let index): return "global.set \(index)"

    // Tables: the text puts the table first (`table.init table elem`), as the binary does not.
    case .tableGet(let table): return "table.get \(table)"
    case .tableSet(let table): return "table.set \(table)"
    case .tableInit(let elem, let table): return "table.init \(table) \(elem)"
    case .elemDrop(let elem): return "elem.drop \(elem)"
    case .tableCopy(let dst, let src): return "table.copy \(dst) \(src)"
    case .tableGrow(let table): return "table.grow \(table)"
    case .tableSize(let table): return "table.size \(table)"
    case .tableFill(let table): return "table.fill \(table)"

    // Memory
    case .load(let op, let memarg): return op.textName + (try MemoryText.memArg(memarg, width: op.width))
    case .store(let op, let memarg): return op.textName + (try MemoryText.memArg(memarg, width: op.width))
    case .memorySize(let memory): return "memory.size" + MemoryText.memoryIndex(memory)
    case .memoryGrow(let memory): return "memory.grow" + MemoryText.memoryIndex(memory)
    // The memory first, as for tables; omitted only when 0, as `memory.init data` reads as memory 0.
    case .memoryInit(let data, let memory): return "memory.init" + MemoryText.memoryIndex(memory) + " \(data)"
    case .dataDrop(let data): return "data.drop \(data)"
    case .memoryCopy(let dst, let src): return dst == 0 && src == 0 ? "memory.copy" : "memory.copy \(dst) \(src)"
    case .memoryFill(let memory): return "memory.fill" + MemoryText.memoryIndex(memory)

    // Constants: integers signed, floats in an exact form (FloatText)
    case .i32Const(let value): return "i32.const \(value)"
    case .i64Const(let value): return "i64.const \(value)"
    case .f32Const(let bits): return "f32.const " + FloatText.f32(bits)
    case .f64Const(let bits): return "f64.const " + FloatText.f64(bits)

    // References
    case .refNull(let type): return "ref.null " + heapType(type)
    case .refIsNull: return "ref.is_null"
    case .refFunc(let function): return "ref.func " + functions.reference(function)
    case .refAsNonNull: return "ref.as_non_null"
    case .brOnNull(let label): return "br_on_null \(label)"
    case .brOnNonNull(let label): return "br_on_non_null \(label)"
    case .callRef(let type): return "call_ref \(type)"
    case .returnCallRef(let type): return "return_call_ref \(type)"
    case .refEq: return "ref.eq"
    case .gc(let g): return Self.gc(g)

    case .numeric(let op): return op.name

    // SIMD
    case .simd(let op): return op.name
    case .simdLane(let op, let lane): return "\(op.name) \(lane)"
    case .simdMemory(let op, let memarg): return op.name + (try MemoryText.memArg(memarg, width: op.accessWidth))
    case .simdMemoryLane(let op, let memarg, let lane):
      return op.name + (try MemoryText.memArg(memarg, width: op.accessWidth)) + " \(lane)"
    case .v128Const(let value): return "v128.const " + Self.v128(value)
    case .i8x16Shuffle(let lanes): return "i8x16.shuffle " + lanes.bytes.map(String.init).joined(separator: " ")

    // Atomics
    case .atomic(let op, let memarg): return op.name + (try MemoryText.memArg(memarg, width: op.width))
    case .atomicFence: return "atomic.fence"
    }
  }

  /// A block type, with a leading space unless empty: `(result t)`, or `(type N)` followed by the type's
  /// parameters and results as a reader would check them (left out for an index the module has no type for).
  func blockType(_ type: BlockType) -> String {
    switch type {
    case .empty: return ""
    case .value(let result): return " (result \(result))"
    case .typeIndex(let index):
      guard Int(index) < types.count, let type = types[Int(index)].functionType else { return " (type \(index))" }
      return " (type \(index))" + Self.signature(type)
    }
  }

  /// `(param ...)` and `(result ...)` of a function type, each left out when empty; a leading space unless both are.
  static func signature(_ type: FuncType) -> String {
    var text = ""
    if !type.params.isEmpty { text += " (param" + type.params.map { " \($0)" }.joined() + ")" }
    if !type.results.isEmpty { text += " (result" + type.results.map { " \($0)" }.joined() + ")" }
    return text
  }

  private func catchClause(_ clause: CatchClause) -> String {
    switch clause.kind {
    case .catch: return " (catch \(clause.tag) \(clause.label))"
    case .catchRef: return " (catch_ref \(clause.tag) \(clause.label))"
    case .catchAll: return " (catch_all \(clause.label))"
    case .catchAllRef: return " (catch_all_ref \(clause.label))"
    }
  }

  /// A GC instruction: its name, type and field indices, reference types as `(ref null? ht)` or their shorthands.
  static func gc(_ instruction: GCInstruction) -> String {
    func suffix(_ e: GCInstruction.Extension) -> String { e == .signed ? "_s" : e == .unsigned ? "_u" : "" }
    switch instruction {
    case .structNew(let x): return "struct.new \(x)"
    case .structNewDefault(let x): return "struct.new_default \(x)"
    case .structGet(let x, let f, let e): return "struct.get\(suffix(e)) \(x) \(f)"
    case .structSet(let x, let f): return "struct.set \(x) \(f)"
    case .arrayNew(let x): return "array.new \(x)"
    case .arrayNewDefault(let x): return "array.new_default \(x)"
    case .arrayNewFixed(let x, let n): return "array.new_fixed \(x) \(n)"
    case .arrayNewData(let x, let d): return "array.new_data \(x) \(d)"
    case .arrayNewElem(let x, let e): return "array.new_elem \(x) \(e)"
    case .arrayGet(let x, let e): return "array.get\(suffix(e)) \(x)"
    case .arraySet(let x): return "array.set \(x)"
    case .arrayLen: return "array.len"
    case .arrayFill(let x): return "array.fill \(x)"
    case .arrayCopy(let x, let y): return "array.copy \(x) \(y)"
    case .arrayInitData(let x, let d): return "array.init_data \(x) \(d)"
    case .arrayInitElem(let x, let e): return "array.init_elem \(x) \(e)"
    case .refTest(let t): return "ref.test \(t)"
    case .refCast(let t): return "ref.cast \(t)"
    case .brOnCast(let l, let from, let to): return "br_on_cast \(l) \(from) \(to)"
    case .brOnCastFail(let l, let from, let to): return "br_on_cast_fail \(l) \(from) \(to)"
    case .anyConvertExtern: return "any.convert_extern"
    case .externConvertAny: return "extern.convert_any"
    case .refI31: return "ref.i31"
    case .i31Get(let signed): return signed ? "i31.get_s" : "i31.get_u"
    }
  }

  /// A heap type: its keyword (`func`, `any`, ...) or its index.
  func heapType(_ type: HeapType) -> String { type.description }

  /// A v128 constant as four i32 lanes in hex (lane 0 first), which holds any 128 bits exactly.
  static func v128(_ value: V128) -> String {
    let lanes = [value.low, value.low >> 32, value.high, value.high >> 32].map { UInt32(truncatingIfNeeded: $0) }
    return "i32x4" + lanes.map { lane in
      let digits = String(lane, radix: 16)
      return " 0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }.joined()
  }
}

extension SimdOp {
  /// The width in bytes of the access a SIMD memory instruction makes (its natural alignment); 0 for the others.
  var accessWidth: Int {
    switch immediate {
    case .memory(let width), .memoryLane(let width, _): return Int(width)
    default: return 0
    }
  }
}

import WasmBinary

/// What follows an instruction's name in the text format, and so in the binary after its opcode.
enum ImmediateKind {
  case none
  case label, labelTable
  case function, local, global, tag, type, elem, data
  /// `call_indirect` and `return_call_indirect`: a table (default 0), then a type use.
  case callIndirect
  /// An optional table index (default 0).
  case table
  /// `table.init`: a table (default 0), then an element segment.
  case tableInit
  /// `table.copy`: two optional tables.
  case tableCopy
  /// An optional memory index, encoded as its index (`memory.size`, `memory.grow`, `memory.fill`).
  case memory
  /// `memory.init`: a memory (default 0), then a data segment.
  case memoryInit
  /// `memory.copy`: two optional memories.
  case memoryCopy
  /// A memory index (optional), then `offset=` and `align=`: a memory access of `width` bytes.
  case memarg(width: Int)
  /// The same, then a lane index (SIMD lane loads and stores).
  case memargLane(width: Int)
  case i32, i64, f32, f64, v128
  case lane
  case shuffle
  case heapType
  /// `select` with an optional `(result t*)`.
  case select
  /// `atomic.fence`: one zero byte.
  case zeroByte
  // GC (GCInstructions.swift).
  /// A struct type and one of its fields (by index or name).
  case typeField
  /// An array type, then a count (`array.new_fixed`), a data or an element segment, or a second array type.
  case typeCount, typeData, typeElem, twoTypes
  /// A reference type whose nullability picks the opcode (`ref.test`, `ref.cast`: the nullable form is the next).
  case castType
  /// `br_on_cast` and `br_on_cast_fail`: a label and two reference types.
  case branchOnCast
}

struct InstructionSpec {
  var opcode: [UInt8]
  var immediate: ImmediateKind
}

enum InstructionTable {
  /// Every plain instruction by its text name (block instructions, `else`, `end` and the legacy `try` clauses are
  /// parsed on their own).
  static let plain: [Substring: InstructionSpec] = {
    var table: [Substring: InstructionSpec] = [:]
    func add(_ name: String, _ opcode: [UInt8], _ immediate: ImmediateKind = .none) {
      table[Substring(name)] = InstructionSpec(opcode: opcode, immediate: immediate)
    }
    func prefixed(_ prefix: UInt8, _ sub: UInt32) -> [UInt8] {
      var w = BinaryWriter()
      w.byte(prefix)
      w.u32(sub)
      return w.bytes
    }
    add("unreachable", [0x00])
    add("nop", [0x01])
    add("throw", [0x08], .tag)
    add("rethrow", [0x09], .label)
    add("throw_ref", [0x0A])
    add("br", [0x0C], .label)
    add("br_if", [0x0D], .label)
    add("br_table", [0x0E], .labelTable)
    add("return", [0x0F])
    add("call", [0x10], .function)
    add("call_indirect", [0x11], .callIndirect)
    add("return_call", [0x12], .function)
    add("return_call_indirect", [0x13], .callIndirect)
    add("call_ref", [0x14], .type)
    add("return_call_ref", [0x15], .type)
    add("drop", [0x1A])
    add("select", [0x1B], .select)
    add("local.get", [0x20], .local)
    add("local.set", [0x21], .local)
    add("local.tee", [0x22], .local)
    add("global.get", [0x23], .global)
    add("global.set", [0x24], .global)
    add("table.get", [0x25], .table)
    add("table.set", [0x26], .table)
    let loads: [(String, Int)] = [
      ("i32.load", 4), ("i64.load", 8), ("f32.load", 4), ("f64.load", 8), ("i32.load8_s", 1), ("i32.load8_u", 1),
      ("i32.load16_s", 2), ("i32.load16_u", 2), ("i64.load8_s", 1), ("i64.load8_u", 1), ("i64.load16_s", 2),
      ("i64.load16_u", 2), ("i64.load32_s", 4), ("i64.load32_u", 4),
      ("i32.store", 4), ("i64.store", 8), ("f32.store", 4), ("f64.store", 8), ("i32.store8", 1), ("i32.store16", 2),
      ("i64.store8", 1), ("i64.store16", 2), ("i64.store32", 4),
    ]
    for (k, (name, width)) in loads.enumerated() { add(name, [0x28 + UInt8(k)], .memarg(width: width)) }
    add("memory.size", [0x3F], .memory)
    add("memory.grow", [0x40], .memory)
    add("i32.const", [0x41], .i32)
    add("i64.const", [0x42], .i64)
    add("f32.const", [0x43], .f32)
    add("f64.const", [0x44], .f64)
    add("ref.null", [0xD0], .heapType)
    add("ref.is_null", [0xD1])
    add("ref.func", [0xD2], .function)
    add("ref.eq", [0xD3])
    add("ref.as_non_null", [0xD4])
    add("br_on_null", [0xD5], .label)
    add("br_on_non_null", [0xD6], .label)
    add("memory.init", prefixed(0xFC, 8), .memoryInit)
    add("data.drop", prefixed(0xFC, 9), .data)
    add("memory.copy", prefixed(0xFC, 10), .memoryCopy)
    add("memory.fill", prefixed(0xFC, 11), .memory)
    add("table.init", prefixed(0xFC, 12), .tableInit)
    add("elem.drop", prefixed(0xFC, 13), .elem)
    add("table.copy", prefixed(0xFC, 14), .tableCopy)
    add("table.grow", prefixed(0xFC, 15), .table)
    add("table.size", prefixed(0xFC, 16), .table)
    add("table.fill", prefixed(0xFC, 17), .table)
    add("atomic.fence", prefixed(0xFE, 3), .zeroByte)
    for op in NumericOp.allCases {
      add(op.name, op.rawValue >= 0xFC00 ? prefixed(0xFC, UInt32(op.rawValue & 0xFF)) : [UInt8(op.rawValue)])
    }
    for op in SimdOp.allCases {
      let immediate: ImmediateKind
      switch op.immediate {
      case .none: immediate = .none
      case .lane: immediate = .lane
      case .memory(let width): immediate = .memarg(width: Int(width))
      case .memoryLane(let width, _): immediate = .memargLane(width: Int(width))
      case .const: immediate = .v128
      case .shuffle: immediate = .shuffle
      }
      add(op.name, prefixed(0xFD, UInt32(op.rawValue)), immediate)
    }
    for op in AtomicOp.allCases { add(op.name, prefixed(0xFE, UInt32(op.rawValue)), .memarg(width: op.width)) }
    for (name, code, immediate) in gcInstructions { add(name, prefixed(0xFB, code), immediate) }
    return table
  }()
}

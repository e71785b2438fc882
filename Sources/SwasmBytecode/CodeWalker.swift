/// Visits every instruction of a function's code: `body(index of header slot, opcode)`.
/// Stops and returns false on an unknown opcode or an instruction that runs past the end (for untrusted code).
/// Inlinable, with the size table read through one pointer: a caller's loop (the store converting every loaded
/// function to its dispatch form) compiles to plain code, without a closure call or a lazy check per instruction.
@inlinable @discardableResult
public func forEachInstruction(_ code: UnsafeBufferPointer<UInt64>, _ body: (Int, Opcode) -> Void) -> Bool {
  Opcode.sizes.withUnsafeBufferPointer { sizes in
    var at = 0
    while at < code.count {
      guard let op = Opcode(word: code[at]) else { return false }
      let size = Int(sizes[Int(op.rawValue)]) + trailingSlots(op, code, at)
      guard at + size <= code.count else { return false }
      body(at, op)
      at += size
    }
    return true
  }
}

/// Slots that follow an instruction's fixed part: br_table's `count + 1` branch offsets, init_consts' `count`
/// constants (both keep `count` at bits 16..47 of the first operand slot), handler_table's and stack_maps' `count`
/// slots (bits 0..31). Zero for every other opcode.
@inlinable @inline(__always)
public func trailingSlots(_ op: Opcode, _ code: UnsafeBufferPointer<UInt64>, _ at: Int) -> Int {
  guard op.hasTrailingSlots, at + 1 < code.count else { return 0 }
  if op == .handler_table || op == .stack_maps { return Int(code[at + 1] & 0xFFFF_FFFF) }
  let count = Int((code[at + 1] >> 16) & 0xFFFF_FFFF)
  return op.isBranchTable ? count + 1 : count
}

public func forEachInstruction(_ code: [UInt64], _ body: (Int, Opcode) -> Void) -> Bool {
  code.withUnsafeBufferPointer { forEachInstruction($0, body) }
}

/// Where the instruction at `at` may branch to, as slot indices (empty for instructions that do not branch); for a
/// handler table, where its handlers land.
/// An offset beyond the 32-bit range, which no translator writes, gives -1 (no instruction) for the caller to
/// reject when the code is untrusted.
public func branchTargets(_ code: UnsafeBufferPointer<UInt64>, at: Int, _ op: Opcode) -> [Int] {
  var targets: [Int] = []
  forEachBranchTarget(code, at: at, op) { targets.append($0) }
  return targets
}

/// `branchTargets` without building an array (the translator calls it for every instruction).
@inlinable @inline(__always)
public func forEachBranchTarget(_ code: UnsafeBufferPointer<UInt64>, at: Int, _ op: Opcode, _ body: (Int) -> Void) {
  if op == .handler_table {
    // Sizes checked by the caller (`forEachInstruction`; the verifier checks the counts before asking).
    guard at + 2 < code.count, let base = code.baseAddress,
          HandlerTable.wellFormed(header: base + at, trailingSlots: trailingSlots(op, code, at)) else { return }
    let table = HandlerTable(header: base + at)
    for i in 0..<table.nodeCount { body(at + table.node(i).target) }
    return
  }
  if op.isBranchTable {
    for i in 0...Int((code[at + 1] >> 16) & 0xFFFF_FFFF) {
      let offset = Int64(bitPattern: code[at + 2 + i])
      body(Int64(Int32.min)...Int64(Int32.max) ~= offset ? at + Int(offset) : -1)
    }
    return
  }
  let position = Opcode.branchOffsetPosition[Int(op.rawValue)]
  guard position != UInt16.max else { return }
  body(at + Int(Int32(bitPattern: UInt32(truncatingIfNeeded: operandBits(code, at: at, position: position)))))
}

/// For every slot of `code` (and one past the end), whether a branch of the code lands there. Targets outside the
/// code are ignored (the verifier rejects those separately).
public func branchTargetFlags(_ code: UnsafeBufferPointer<UInt64>) -> [Bool] {
  var isTarget = [Bool](repeating: false, count: code.count + 1)
  forEachInstruction(code) { at, op in
    forEachBranchTarget(code, at: at, op) { if 0...code.count ~= $0 { isTarget[$0] = true } }
  }
  return isTarget
}

extension OperandField {
  /// The field names a register the instruction writes (`rd`, `rd2`, or `vd` for a v128, by the ISA's convention).
  public var isDestination: Bool {
    (kind == .register && (id == .rd || id == .rd2)) || (kind == .vectorRegister && id == .vd)
  }

  /// The field names a frame slot (one, or the first of a v128's two).
  public var isRegister: Bool { kind == .register || kind == .vectorRegister || kind == .wideRegister }

  /// The bits of a register field: 16, or 32 for a `wideRegister`.
  public var registerMask: UInt64 { kind == .wideRegister ? 0xFFFF_FFFF : 0xFFFF }

  /// The frame slots the register field covers: 2 for a v128, 1 for the others.
  public var slotCount: Int { kind == .vectorRegister ? 2 : 1 }
}

/// The operand bits at `position` (`slot << 8 | shift`, as in `Opcode.registerPositions`) of the instruction at
/// `at`, shifted down (the caller masks them to the field's width).
@inlinable @inline(__always)
public func operandBits(_ code: UnsafeBufferPointer<UInt64>, at: Int, position: UInt16) -> UInt64 {
  code[at + Int(position >> 8)] &>> UInt64(position & 0xFF)  // shifts below 64: no check for larger ones
}

/// The value of register field `field` of the instruction at `at`.
@inline(__always)
public func registerOperand(_ code: UnsafeBufferPointer<UInt64>, at: Int, _ field: OperandField) -> Int {
  Int((code[at + field.slot] >> UInt64(field.shift)) & field.registerMask)
}


extension Opcode {
  /// The opcode in an instruction's header word, or nil for an unknown id. Opcodes are numbered from 0 in
  /// declaration order, so a known id is the case's own representation (cheaper than `init(rawValue:)`'s
  /// generated switch over a thousand cases).
  @inline(__always)
  public init?(word: UInt64) {
    guard word < UInt64(Opcode.count) else { return nil }
    self = unsafeBitCast(UInt16(truncatingIfNeeded: word), to: Opcode.self)
  }

  /// `br_table`, its accumulator form and the instructions fused with it: `count + 1` branch offsets follow.
  @inlinable public var isBranchTable: Bool { Opcode.branchTables[Int(rawValue)] }

  /// The instruction branches: to an offset among its operands, or through a table of them.
  @inlinable public var isBranch: Bool { isBranchTable || Opcode.branchOffsetPosition[Int(rawValue)] != UInt16.max }

  /// Slots follow the instruction's fixed part (`trailingSlots`).
  @inlinable public var hasTrailingSlots: Bool {
    isBranchTable || self == .init_consts || self == .handler_table || self == .stack_maps
  }
}

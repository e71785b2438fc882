/// A frame-slot index. Frames hold at most 65,536 slots of 8 bytes; a v128 value takes two consecutive slots and
/// is named by the first.
public typealias Reg = UInt16

/// Accumulates bytecode for one function. Instructions are written by the generated `emit*` methods (one per
/// operand shape, see Opcode.generated.swift), which return the index of the instruction's header slot.
public struct CodeBuilder {
  public var code: [UInt64] = []
  /// Where the last few instructions start, oldest first, so that a peephole can look back past the last one.
  /// Every emitter records its start; code removed from the end loses its starts when the next instruction is
  /// emitted (and `recentInstructionStarts` ignores them before that).
  private var recentStarts: [Int] = []
  public init() {}

  mutating func noteStart(_ at: Int) {
    while let last = recentStarts.last, last >= at { recentStarts.removeLast() }
    if recentStarts.count == 16 { recentStarts.removeFirst(8) }
    recentStarts.append(at)
  }

  /// The starts of the last few instructions, oldest first, up to the end of the code.
  public var recentInstructionStarts: ArraySlice<Int> {
    recentStarts[..<(recentStarts.firstIndex { $0 >= code.count } ?? recentStarts.endIndex)]
  }

  /// The start and opcode of the last instruction, when it ends the code and starts at or after `earliest`
  /// (a label, or where the instructions of interest began).
  public func lastInstruction(startingAtOrAfter earliest: Int) -> (at: Int, op: Opcode)? {
    guard let at = recentInstructionStarts.last, at >= earliest else { return nil }
    let op = opcode(at: at)
    return at + op.size == code.count ? (at, op) : nil
  }

  /// Appends one whole instruction (words taken from elsewhere in the code).
  public mutating func appendInstruction<Words: Collection<UInt64>>(_ words: Words) {
    noteStart(code.count)
    code += words
  }

  /// Removes the instruction at `at`, one of the last few, moving the ones after it back. The caller makes sure
  /// that no branch points past `at` and that nothing after it depended on its result.
  public mutating func removeInstruction(at: Int) {
    let op = opcode(at: at)
    precondition(!op.isBranchTable && op != .init_consts && recentStarts.contains(at), "not a plain recent instruction")
    let size = op.size
    code.removeSubrange(at..<at + size)
    recentStarts = recentStarts.compactMap { $0 < at ? $0 : $0 == at ? nil : $0 - size }
  }

  /// Rewrites the branch-offset field `field` of the instruction at `at` so that it jumps to `target`.
  public mutating func patchBranch(at: Int, field: OperandField, target: Int) {
    let offset = UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: target - at)))
    let slot = at + field.slot
    let mask = UInt64(0xFFFF_FFFF) << UInt64(field.shift)
    code[slot] = (code[slot] & ~mask) | (offset << UInt64(field.shift))
  }

  /// Appends an instruction of any shape, its fields' values in the order of `op.fields` (registers, immediates
  /// and branch offsets as their bits). For instructions without an emitter of their own shape in hot paths.
  @discardableResult
  public mutating func emit(_ op: Opcode, _ values: [UInt64]) -> Int {
    let at = code.count
    noteStart(at)
    code.append(UInt64(op.rawValue))
    code += [UInt64](repeating: 0, count: op.size - 1)
    for (field, value) in zip(op.fields, values) {
      let width: UInt64
      switch field.kind {
      case .register, .vectorRegister: width = 16
      case .u32, .i32, .branchOffset: width = 32
      case .u64: width = 64
      }
      let mask = width == 64 ? UInt64.max : (1 << width) - 1
      code[at + field.slot] |= (value & mask) << UInt64(field.shift)
    }
    return at
  }

  /// Rewrites a register field of the instruction at `at`.
  public mutating func patchRegister(at: Int, field: OperandField, to reg: Reg) {
    let slot = at + field.slot
    let mask = UInt64(0xFFFF) << UInt64(field.shift)
    code[slot] = (code[slot] & ~mask) | (UInt64(reg) << UInt64(field.shift))
  }

  public func opcode(at: Int) -> Opcode { Opcode(word: code[at])! }

  /// Reads a field of the instruction at `at`, zero-extended.
  public func field(at: Int, _ field: OperandField) -> UInt64 {
    let raw = code[at + field.slot] >> UInt64(field.shift)
    switch field.kind {
    case .register, .vectorRegister: return raw & 0xFFFF
    case .u32, .i32, .branchOffset: return raw & 0xFFFF_FFFF
    case .u64: return raw
    }
  }
}

/// The translation of one function: position-independent code plus what the interpreter needs to set up its frame.
/// Frame layout: [params][declared locals][constants][operand-stack temporaries][scratch]. Temporaries come last
/// because a call's arguments are the caller's topmost temporaries and the callee's frame starts there.
public struct CompiledFunction: Sendable {
  /// The code, starting with the prologue that zeroes the declared locals and writes the constant area.
  public var code: [UInt64]
  public var paramCount: Int
  /// Params plus declared locals (and at least as many slots as results).
  public var localCount: Int
  public var resultCount: Int
  /// First slot of the constant area, which holds `constants`.
  public var constBase: Int
  public var constants: [UInt64]
  /// Total slots the frame uses (callee frames start inside this one, at a call's argument slots).
  public var frameSize: Int

  public init(code: [UInt64], paramCount: Int, localCount: Int, resultCount: Int, constBase: Int,
              constants: [UInt64], frameSize: Int) {
    self.code = code
    self.paramCount = paramCount
    self.localCount = localCount
    self.resultCount = resultCount
    self.constBase = constBase
    self.constants = constants
    self.frameSize = frameSize
  }
}

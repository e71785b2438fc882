/// A frame-slot index; a v128 value takes two consecutive slots and is named by the first. Register fields in the
/// code are 16 bits wide (`narrowRegisterLimit`): a frame that needs more slots is built in wide mode (`FrameMap`).
public typealias Reg = UInt32

/// Slots a 16-bit register field can name.
public let narrowRegisterLimit = 1 << 16

/// The most slots a frame may have (2^24 slots, 128 MiB; a store's stack limit comes first in practice). Frames of
/// more than `narrowRegisterLimit` slots are built in wide mode.
public let maxFrameSlots = 1 << 24

/// Wide mode: how a function whose frame exceeds 16-bit registers is laid out, and how its instructions reach the
/// slots beyond. The translator names registers by virtual numbers (locals, then operand-stack temporaries, in
/// order); a number below `blockStart` is its slot, the others sit `blockSize` slots higher, past a block of staging
/// slots that 16-bit fields can always name. An instruction emitted through the map gets its registers' slots; one
/// that lies beyond slot 65,535 is copied into a staging slot before the instruction (`copy_far_in`) or out of it
/// after (`copy_far_out`), and a call whose frame starts there takes its 32-bit form (`call_w` and the like).
public struct FrameMap: Sendable {
  /// The first slot of the staging block: after the parameters and the results' slots, which keep their places.
  public let blockStart: Int
  public static let blockSize = 16
  /// The register number the translator uses for the scratch slot of parallel moves (the block's last slot).
  public static let scratch = Reg.max

  public init(blockStart: Int) {
    precondition(blockStart + FrameMap.blockSize <= narrowRegisterLimit, "the staging block must be nameable")
    self.blockStart = blockStart
  }

  /// The frame slot of virtual register `register`.
  public func slot(_ register: UInt64) -> Int {
    if register == UInt64(FrameMap.scratch) { return blockStart + FrameMap.blockSize - 1 }
    return register < UInt64(blockStart) ? Int(register) : Int(register) + FrameMap.blockSize
  }

  /// Frame slots for `virtualSlots` registers.
  public func frameSize(virtualSlots: Int) -> Int { max(virtualSlots, blockStart) + FrameMap.blockSize }

  /// The form of `op` whose register `base` (the start of a callee's frame) is a 32-bit field.
  static func wideForm(_ op: Opcode) -> Opcode? {
    switch op {
    case .call: return .call_w
    case .call_import: return .call_import_w
    case .call_indirect: return .call_indirect_w
    case .return_call: return .return_call_w
    case .return_call_import: return .return_call_import_w
    case .return_call_indirect: return .return_call_indirect_w
    case .call_ref: return .call_ref_w
    case .return_call_ref: return .return_call_ref_w
    case .throw_tag: return .throw_tag_w
    default: return nil
    }
  }
}

/// Accumulates bytecode for one function. Instructions are written by the generated `emit*` methods (one per
/// operand shape, see Opcode.generated.swift), which return the index of the instruction's header slot.
public struct CodeBuilder {
  public var code: [UInt64] = []
  /// Where the last few instructions start, oldest first, so that a peephole can look back past the last one.
  /// Every emitter records its start; code removed from the end loses its starts when the next instruction is
  /// emitted (and `recentInstructionStarts` ignores them before that).
  private var recentStarts: [Int] = []
  /// Set in wide mode: registers are virtual numbers, mapped as instructions are emitted (`emitMapped`). No start
  /// is recorded then, so the translator's look-backs (which read registers back) find nothing to fuse with.
  public var frameMap: FrameMap?
  public init() {}

  mutating func noteStart(_ at: Int) {
    if frameMap != nil { return }
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
    if frameMap != nil { return emitMapped(op, values) }
    return append(op, values)
  }

  /// Appends an instruction with its fields as given.
  @discardableResult
  mutating func append(_ op: Opcode, _ values: [UInt64]) -> Int {
    let at = code.count
    noteStart(at)
    code.append(UInt64(op.rawValue))
    code += [UInt64](repeating: 0, count: op.size - 1)
    for (field, value) in zip(op.fields, values) {
      let width: UInt64
      switch field.kind {
      case .register, .vectorRegister: width = 16
      case .u32, .i32, .branchOffset, .wideRegister: width = 32
      case .u64: width = 64
      }
      let mask = width == 64 ? UInt64.max : (1 << width) - 1
      code[at + field.slot] |= (value & mask) << UInt64(field.shift)
    }
    return at
  }

  /// Wide mode: emits `op` with its registers (virtual numbers in `values`) mapped to frame slots, those beyond
  /// 16-bit fields staged through the staging block (see `FrameMap`). Returns where `op` itself starts.
  mutating func emitMapped(_ op: Opcode, _ values: [UInt64]) -> Int {
    let map = frameMap!
    var op = op, fields = op.fields
    if let i = fields.firstIndex(where: { $0.id == .base }), map.slot(values[i]) >= narrowRegisterLimit,
       let wide = FrameMap.wideForm(op) {
      op = wide
      fields = wide.fields
    }
    var mapped = values, staged = 0
    var copiesIn: [(near: Int, far: Int)] = [], copiesOut: [(far: Int, near: Int)] = []
    for (i, field) in fields.enumerated() where field.isRegister {
      let slot = map.slot(values[i])
      guard slot >= narrowRegisterLimit, field.kind != .wideRegister else {
        mapped[i] = UInt64(slot)
        continue
      }
      let near = map.blockStart + staged
      staged += field.slotCount
      precondition(staged < FrameMap.blockSize, "\(op.name) stages more registers than the block holds")
      for half in 0..<field.slotCount {
        if field.isDestination {
          copiesOut.append((slot + half, near + half))
        } else {
          copiesIn.append((near + half, slot + half))
        }
      }
      mapped[i] = UInt64(near)
    }
    for copy in copiesIn { append(.copy_far_in, [UInt64(copy.near), UInt64(copy.far)]) }
    let at = append(op, mapped)
    for copy in copiesOut { append(.copy_far_out, [UInt64(copy.far), UInt64(copy.near)]) }
    return at
  }

  /// Rewrites a register field of the instruction at `at` (`reg` a virtual number in wide mode, mapped).
  public mutating func patchRegister(at: Int, field: OperandField, to reg: Reg) {
    let slot = at + field.slot
    let value = frameMap.map { UInt64($0.slot(UInt64(reg))) } ?? UInt64(reg)
    let mask = field.registerMask << UInt64(field.shift)
    code[slot] = (code[slot] & ~mask) | (value << UInt64(field.shift))
  }

  public func opcode(at: Int) -> Opcode { Opcode(word: code[at])! }

  /// Reads a field of the instruction at `at`, zero-extended.
  public func field(at: Int, _ field: OperandField) -> UInt64 {
    let raw = code[at + field.slot] >> UInt64(field.shift)
    switch field.kind {
    case .register, .vectorRegister: return raw & 0xFFFF
    case .u32, .i32, .branchOffset, .wideRegister: return raw & 0xFFFF_FFFF
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

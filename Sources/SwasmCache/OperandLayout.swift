import SwasmBytecode

/// Each opcode's operand positions and the verifier's facts about it, as plain numbers in buffers of their own:
/// copied from the generated flat tables (`Opcode.fieldStart` and its neighbours, constant data) and derived from
/// them with integer compares. The checks that run on every instruction read these through pointers, without a
/// lazy-initialization check per access. Building all of it costs microseconds: it runs in every warm start.
/// A class: a walk refers to it (as a struct of some twenty buffers, it was copied into each call that used it).
final class OperandLayout: @unchecked Sendable {
  /// A field's place: `slot << 8 | shift`; 65535 for none.
  typealias Position = UInt16
  static let shared = OperandLayout()

  let fieldStart: UnsafeBufferPointer<UInt16>
  let fieldNames: UnsafeBufferPointer<UInt8>
  let fieldKinds: UnsafeBufferPointer<UInt8>
  let fieldPositions: UnsafeBufferPointer<Position>
  let registerStart: UnsafeBufferPointer<UInt16>
  let registerPositions: UnsafeBufferPointer<Position>
  /// The slots each register covers (2 for a v128), parallel to `registerPositions`.
  let registerSlotCounts: UnsafeBufferPointer<UInt8>
  /// The width of each register's field (16, or 32 in wide frames' instructions), parallel to them.
  let registerBits: UnsafeBufferPointer<UInt8>
  let sizes: UnsafeBufferPointer<UInt8>
  let accumulatorReadPosition: UnsafeBufferPointer<Position>
  /// The accumulator each opcode writes and reads (raw values, 0 for none), and where its `rd` is.
  let accumulatorWrites: UnsafeBufferPointer<UInt8>
  let accumulatorReads: UnsafeBufferPointer<UInt8>
  /// The register whose value an instruction leaves in its accumulator (its `rd`; `copy2`'s `rd2`).
  let accumulatorDestinationPosition: UnsafeBufferPointer<Position>
  /// A byte of the flags below per opcode.
  let flags: UnsafeBufferPointer<UInt8>
  /// It has branch offsets or is a branch table.
  static let branches: UInt8 = 1
  /// It is an accumulator form (reads an accumulator in place of a register).
  static let readsAccumulator: UInt8 = 2
  /// More than registers and branches to check (indices, memory, references: `checkIndices`), in a module
  /// without a memory, and in one with a memory (where an instruction using it needs no other check for that).
  static let notPlain: UInt8 = 4
  static let notPlainWithMemory: UInt8 = 8
  /// Slots follow its fixed part (`trailingSlots`).
  static let hasTrailingSlots: UInt8 = 16
  /// Its registers are not all 16-bit lanes of its second and third slots, or one of them is a v128's (two
  /// slots): checked one by one.
  static let registersApart: UInt8 = 32
  /// It reads or writes a v128 (the function needs the data flow over slot kinds).
  static let vector: UInt8 = 64
  /// It reads or writes the pinned-local register `l0` (PinnedLocalVerification.swift).
  static let pinned: UInt8 = 128
  /// Per opcode, two words: the lanes of its second and third slots that hold registers (0xFFFF in each such
  /// 16-bit lane), so that all its registers are checked against the frame with two compares (`lanes`).
  let registerLanes: UnsafeBufferPointer<UInt64>
  /// It reaches memory 0 without a bounds check (the guard region of a 32-bit memory 0 stands in for one).
  let usesMemory: UnsafeBufferPointer<Bool>
  /// Per opcode, two entries of the field tables that name a memory (`mem`, `dstmem`, `srcmem`: the checked
  /// accesses and bulk instructions of any memory), -1 for none.
  private let memoryIndexFields: UnsafeBufferPointer<Int16>
  /// Instructions that compute into `rd`, then copy a slot of any kind (`fp[rd2] = fp[rs]`), then branch.
  private let computesThenCopies: UnsafeBufferPointer<Bool>
  /// Instructions that write the constant `imm2` to `rd2` (before computing into `rd`: `const32_add_ri_br`).
  private let constantsToRd2: UnsafeBufferPointer<Bool>
  /// Register fields (entries of the field tables) an instruction only reads, and those it writes (`rd`, `rd2`
  /// by the ISA's convention; a compute-then-copy instruction's copy is apart), for opcode `id` at
  /// `[start[id] ..< start[id + 1]]`.
  private let sourceStart: UnsafeBufferPointer<UInt16>
  private let sourceFields: UnsafeBufferPointer<UInt16>
  private let destinationStart: UnsafeBufferPointer<UInt16>
  private let destinationFields: UnsafeBufferPointer<UInt16>
  /// The field entries of `fn`, `base` and `idx` (the names the checks of calls and globals read), three per
  /// opcode (`directSlot`), -1 for none: found without searching the opcode's fields by name.
  private let directFields: UnsafeBufferPointer<Int16>
  private static let directCount = 3
  /// A name's place among the three, by raw value (building an OperandName per field would cost a start-up a
  /// search of its cases each), or nil.
  private static func directSlot(_ name: UInt8) -> Int? {
    switch name {
    case OperandName.fn.rawValue: return 0
    case OperandName.base.rawValue: return 1
    case OperandName.idx.rawValue: return 2
    default: return nil
    }
  }

  /// Instructions with checks of their own in `checkIndices`.
  private static let checkedApart: [Opcode] = [
    .zero_slots, .init_consts, .call, .call_import, .call_indirect, .call_copy, .call_indirect_copy, .call_const,
    .call_copy2, .call_copy_const, .ref_func,
    .call_w, .call_import_w, .call_indirect_w, .return_call, .return_call_import, .return_call_indirect, .return_call_w,
    .return_call_import_w, .return_call_indirect_w, .call_ref, .call_ref_w, .return_call_ref, .return_call_ref_w,
    .global_get, .global_set, .v128_global_get, .v128_global_set, .global_add_ri, .global_set_add_ri, .table_get, .table_set, .table_size, .table_grow,
    .table_fill, .table_copy, .table_init, .elem_drop, .memory_init, .data_drop, .br_table, .br_table_acc_ra, .ret_value,
    .global_set_add_ri_ret_value,
    .halt, .load_code, .handler_table, .stack_maps, .throw_tag, .throw_tag_w, .throw_ref] + BytecodeVerifier.gcOpcodes
  /// u32 fields that are not indices (a lane index is masked by its handler).
  private static let immediates: [OperandName] = [.imm, .imm2, .count, .offset, .offset2, .cost, .shift, .lane]

  private init() {
    func buffer<T>(_ table: [T]) -> UnsafeBufferPointer<T> {
      let b = UnsafeMutableBufferPointer<T>.allocate(capacity: table.count)
      _ = b.initialize(from: table)
      return UnsafeBufferPointer(b)  // lives as long as the process
    }
    fieldStart = buffer(Opcode.fieldStart)
    fieldNames = buffer(Opcode.fieldNames)
    fieldKinds = buffer(Opcode.fieldKinds)
    fieldPositions = buffer(Opcode.fieldPositions)
    registerStart = buffer(Opcode.registerStart)
    registerPositions = buffer(Opcode.registerPositions)
    registerSlotCounts = buffer(Opcode.registerSlotCounts)
    registerBits = buffer(Opcode.registerBits)
    sizes = buffer(Opcode.sizes)
    accumulatorReadPosition = buffer(Opcode.accumulatorReadPosition)
    accumulatorWrites = buffer(Opcode.accumulatorWrites)
    accumulatorReads = buffer(Opcode.accumulatorReads)
    accumulatorDestinationPosition = buffer(Opcode.accumulatorDestinationPosition)

    // Derived tables, written through pointers into their final buffers (a Swift array's writes each check
    // uniqueness; this runs in every warm start).
    let count = Opcode.count, fieldCount = Opcode.fieldNames.count
    func zeroed<T: BinaryInteger>(_ n: Int) -> UnsafeMutableBufferPointer<T> {
      let b = UnsafeMutableBufferPointer<T>.allocate(capacity: n)
      b.initialize(repeating: 0)
      return b
    }
    let flags: UnsafeMutableBufferPointer<UInt8> = zeroed(count)
    let usesMemory = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
    usesMemory.initialize(repeating: false)
    let computesThenCopies = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
    computesThenCopies.initialize(repeating: false)
    let constantsToRd2 = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
    constantsToRd2.initialize(repeating: false)
    let sourceStart: UnsafeMutableBufferPointer<UInt16> = zeroed(count + 1)
    let destinationStart: UnsafeMutableBufferPointer<UInt16> = zeroed(count + 1)
    let sourceFields: UnsafeMutableBufferPointer<UInt16> = zeroed(fieldCount)
    let destinationFields: UnsafeMutableBufferPointer<UInt16> = zeroed(fieldCount)
    var isChecked = [Bool](repeating: false, count: count)
    for op in Self.checkedApart { isChecked[Int(op.rawValue)] = true }
    for op in [Opcode.memory_size, .memory_grow] { usesMemory[Int(op.rawValue)] = true }
    var isImmediate = [Bool](repeating: false, count: OperandName.allCases.count)
    for name in Self.immediates { isImmediate[Int(name.rawValue)] = true }
    let hasBranches = Opcode.hasBranches
    let register = OperandKind.register.rawValue, u32 = OperandKind.u32.rawValue
    let vectorRegister = OperandKind.vectorRegister.rawValue, wideRegister = OperandKind.wideRegister.rawValue
    let rd = OperandName.rd.rawValue, rd2 = OperandName.rd2.rawValue, rs = OperandName.rs.rawValue
    let imm2 = OperandName.imm2.rawValue
    let vd = OperandName.vd.rawValue
    let raddr = OperandName.raddr.rawValue
    let memoryNames = [OperandName.mem.rawValue, OperandName.dstmem.rawValue, OperandName.srcmem.rawValue]
    let memoryIndexFields = UnsafeMutableBufferPointer<Int16>.allocate(capacity: 2 * count)
    memoryIndexFields.initialize(repeating: -1)
    let registerLanes: UnsafeMutableBufferPointer<UInt64> = zeroed(2 * count)
    let directFields = UnsafeMutableBufferPointer<Int16>.allocate(capacity: count * Self.directCount)
    directFields.initialize(repeating: -1)
    var sources = 0, destinations = 0
    for id in 0..<count {
      let fields = Int(fieldStart[id])..<Int(fieldStart[id + 1])
      for f in fields {
        if let k = Self.directSlot(fieldNames[f]) { directFields[id * Self.directCount + k] = Int16(f) }
      }
      var hasRd2 = false, hasRs = false, hasImm2 = false, indexFree = !isChecked[id], memoryFieldCount = 0
      for f in fields where memoryNames.contains(fieldNames[f]) {
        memoryIndexFields[2 * id + memoryFieldCount] = Int16(f)
        memoryFieldCount += 1
      }
      for f in fields {
        let name = fieldNames[f]
        if name == raddr, memoryFieldCount == 0 { usesMemory[id] = true }
        if name == rd2 { hasRd2 = true }
        if name == rs { hasRs = true }
        if name == imm2 { hasImm2 = true }
        if fieldKinds[f] == u32, !isImmediate[Int(name)] { indexFree = false }
      }
      let copies = hasRd2 && hasRs
      computesThenCopies[id] = copies
      // By the ISA's convention (tools/generate.py checks it), `rd2` with `imm2` is a constant written there.
      constantsToRd2[id] = hasRd2 && hasImm2 && !hasRs
      // A compute-then-copy instruction has a check of its own too.
      let isPlainWithMemory = indexFree && !copies
      var f: UInt8 = 0
      if !isPlainWithMemory { f |= Self.notPlainWithMemory }
      if !isPlainWithMemory || usesMemory[id] { f |= Self.notPlain }
      if hasBranches[id] { f |= Self.branches }
      if accumulatorReadPosition[id] != .max { f |= Self.readsAccumulator }
      if Opcode.pinnedReadPosition[id] != .max || Opcode.writesPinned[id] || id == Int(Opcode.l0_load.rawValue) {
        f |= Self.pinned
      }
      // (`Opcode(word:)`, not `init(rawValue:)`, which compares with the cases one by one.)
      if Opcode(word: UInt64(id))!.hasTrailingSlots { f |= Self.hasTrailingSlots }
      for (k, (position, slots)) in zip(registerPositions[Int(registerStart[id])..<Int(registerStart[id + 1])],
                                        registerSlotCounts[Int(registerStart[id])..<Int(registerStart[id + 1])]).enumerated() {
        let slot = Int(position >> 8), shift = UInt64(position & 0xFF)
        if slots > 1 { f |= Self.registersApart | Self.vector }
        if registerBits[Int(registerStart[id]) + k] != 16 { f |= Self.registersApart }
        if (1...2).contains(slot), shift % 16 == 0 {
          registerLanes[2 * id + slot - 1] |= 0xFFFF << shift
        } else {
          f |= Self.registersApart
        }
      }
      flags[id] = f
      sourceStart[id] = UInt16(sources)
      destinationStart[id] = UInt16(destinations)
      for field in fields where fieldKinds[field] == register || fieldKinds[field] == vectorRegister
        || fieldKinds[field] == wideRegister {
        let name = fieldNames[field]
        if copies, name == rd2 || name == rs { continue }  // the copy, apart
        if name == rd || name == rd2 || name == vd {
          destinationFields[destinations] = UInt16(field)
          destinations += 1
        } else {
          sourceFields[sources] = UInt16(field)
          sources += 1
        }
      }
    }
    sourceStart[count] = UInt16(sources)
    destinationStart[count] = UInt16(destinations)
    self.usesMemory = UnsafeBufferPointer(usesMemory)
    self.memoryIndexFields = UnsafeBufferPointer(memoryIndexFields)
    self.computesThenCopies = UnsafeBufferPointer(computesThenCopies)
    self.constantsToRd2 = UnsafeBufferPointer(constantsToRd2)
    self.flags = UnsafeBufferPointer(flags)
    self.sourceStart = UnsafeBufferPointer(sourceStart)
    self.sourceFields = UnsafeBufferPointer(sourceFields)
    self.destinationStart = UnsafeBufferPointer(destinationStart)
    self.destinationFields = UnsafeBufferPointer(destinationFields)
    self.directFields = UnsafeBufferPointer(directFields)
    self.registerLanes = UnsafeBufferPointer(registerLanes)
  }

  /// `frameSize` as the addend `lanes` compares with: 0x10000 - frameSize in the low 16 bits of each 32-bit half
  /// (0 for a frame of 65,536 slots or more, which every 16-bit register lies inside: nothing carries).
  static func laneLimit(frameSize: Int) -> UInt64 {
    let c = UInt64(max(0, 0x10000 - frameSize))
    return c | c << 32
  }

  /// Whether every 16-bit lane of `word` that `mask` selects holds a value below the frame size `limit` stands
  /// for. The even and odd lanes are spread into 32-bit halves, where adding 0x10000 - frameSize carries into bit
  /// 16 exactly when a lane is at least frameSize (unselected lanes are 0, which never carries).
  @inline(__always)
  static func lanes(_ word: UInt64, _ mask: UInt64, below limit: UInt64) -> Bool {
    let selected = word & mask
    let even = selected & 0x0000_FFFF_0000_FFFF, odd = (selected >> 16) & 0x0000_FFFF_0000_FFFF
    return ((even &+ limit) | (odd &+ limit)) & 0x0001_0000_0001_0000 == 0
  }

  /// The entry of the field tables for field `name` of opcode `id`, or -1.
  func fieldIndex(_ id: Int, _ name: OperandName) -> Int {
    if let k = Self.directSlot(name.rawValue) { return Int(directFields[id * Self.directCount + k]) }
    for f in Int(fieldStart[id])..<Int(fieldStart[id + 1]) where fieldNames[f] == name.rawValue { return f }
    return -1
  }

  /// The entries of the field tables of opcode `id`'s memory indices (none, one, or two for memory.copy).
  func memoryIndexFields(_ id: Int) -> Slice<UnsafeBufferPointer<Int16>> {
    let pair = memoryIndexFields[2 * id ..< 2 * id + 2]
    return pair[pair.startIndex ..< (pair.firstIndex(of: -1) ?? pair.endIndex)]
  }

  func fieldName(_ field: Int) -> OperandName { OperandName(rawValue: fieldNames[field])! }

  /// Entry `field` of the field tables names a v128's first slot.
  func isVector(_ field: Int) -> Bool { fieldKinds[field] == OperandKind.vectorRegister.rawValue }

  func isComputeThenCopy(_ id: Int) -> Bool { computesThenCopies[id] }

  func writesConstantToRd2(_ id: Int) -> Bool { constantsToRd2[id] }

  func registers(_ id: Int) -> UnsafeBufferPointer<Position> {
    UnsafeBufferPointer(rebasing: registerPositions[Int(registerStart[id])..<Int(registerStart[id + 1])])
  }

  /// Register `k` of opcode `id` is a 32-bit field.
  func registerIsWide(_ id: Int, _ k: Int) -> Bool { registerBits[Int(registerStart[id]) + k] == 32 }

  func registerSlots(_ id: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: registerSlotCounts[Int(registerStart[id])..<Int(registerStart[id + 1])])
  }

  func sources(_ id: Int) -> UnsafeBufferPointer<UInt16> {
    UnsafeBufferPointer(rebasing: sourceFields[Int(sourceStart[id])..<Int(sourceStart[id + 1])])
  }

  func destinations(_ id: Int) -> UnsafeBufferPointer<UInt16> {
    UnsafeBufferPointer(rebasing: destinationFields[Int(destinationStart[id])..<Int(destinationStart[id + 1])])
  }

  /// The register at `position` of the instruction at `at`.
  @inline(__always)
  static func read(_ position: Position, _ code: UnsafeBufferPointer<UInt64>, _ at: Int, wide: Bool = false) -> Int {
    Int(truncatingIfNeeded: operandBits(code, at: at, position: position)) & (wide ? 0xFFFF_FFFF : 0xFFFF)
  }
}

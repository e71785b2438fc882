/// Where a function's frame holds references a garbage collection must see, at each point where one may run: the
/// `stack_maps` instruction near the start of its code (after the `handler_table`, if any, before the function's
/// entry), never executed, read only by the collector (SwasmRuntime/GC/StackRoots.swift) when it walks the frames.
///
/// A collection may run at a safepoint (`Opcode.isSafepoint`): a call (the callee, or a function it calls,
/// allocates) or an instruction that allocates a GC object. Each frame below the running one stands at the call it
/// made; the running frame at its allocating instruction. A frame's references at a safepoint are
/// - the slots of its parameters and locals whose types are references of the any or extern hierarchy (`always`);
/// - the temporaries that hold such references and stay live across the safepoint (its `entry`): for a call, the
///   operand-stack entries below its arguments (the arguments are the callee's parameters, in the callee's frame);
///   for an allocation, those and the instruction's own reference operands (most read them after allocating).
/// A frame's other slots may hold numbers or stale references; the collector reads none of them.
///
/// The instruction's operand slot holds the number of slots that follow. Those are, each a 64-bit word:
/// - `entryCount | alwaysCount << 32`;
/// - `poolCount`: how many slot numbers the pool holds;
/// - `entryCount` entries, by increasing position: `resume | first << 32`. `resume` is where the code continues
///   after the safepoint (a call's return address), as an offset from the function's entry; the entry's slots
///   are the pool's from `first` up to the next entry's `first` (the last: up to `poolCount`);
/// - the pool: 32-bit slot numbers, two per word (the low half first): `alwaysCount` slots, then the entries'.
/// A safepoint without an entry keeps only the `always` slots. Built by the translator; the cache's verifier checks
/// all of it, and that a slot it leaves out is never read as a reference after the safepoint.
public struct StackMaps {
  /// The instruction's header slot; its trailing slots follow `header[1]`.
  public let header: UnsafePointer<UInt64>
  public let entryCount: Int
  public let alwaysCount: Int
  public let poolCount: Int

  /// The maps of the instruction at `header`, whose size was checked (`wellFormed`) or which the translator wrote.
  @inlinable
  public init(header: UnsafePointer<UInt64>) {
    self.header = header
    entryCount = Int(header[2] & 0xFFFF_FFFF)
    alwaysCount = Int(header[2] >> 32)
    poolCount = Int(header[3])
  }

  /// Whether the trailing slots of the instruction at `header` hold exactly what its counts say, and each entry's
  /// slots lie inside the pool (for untrusted code; positions and slots are checked against the code).
  public static func wellFormed(header: UnsafePointer<UInt64>, trailingSlots: Int) -> Bool {
    guard trailingSlots >= 2 else { return false }
    let entries = Int(header[2] & 0xFFFF_FFFF), always = Int(header[2] >> 32)
    guard header[3] <= UInt64(UInt32.max), case let pool = Int(header[3]), always <= pool,
          trailingSlots == 2 + entries + (pool + 1) / 2 else { return false }
    let maps = StackMaps(header: header)
    var first = always
    for i in 0..<entries {
      guard maps.entryFirst(i) >= first, maps.entryFirst(i) <= pool else { return false }
      first = maps.entryFirst(i)
    }
    return true
  }

  public func resume(_ i: Int) -> Int { Int(header[4 + i] & 0xFFFF_FFFF) }
  func entryFirst(_ i: Int) -> Int { Int(header[4 + i] >> 32) }
  func entryEnd(_ i: Int) -> Int { i + 1 < entryCount ? entryFirst(i + 1) : poolCount }

  /// Pool slot number `k`.
  @inlinable
  public func poolSlot(_ k: Int) -> Int {
    let word = header[4 + entryCount + k / 2]
    return Int(truncatingIfNeeded: k & 1 == 0 ? word & 0xFFFF_FFFF : word >> 32)
  }

  /// The entry for the safepoint after which the code continues at `resume` (an offset from the entry), or nil.
  public func entry(resumingAt resume: Int) -> Int? {
    var low = 0, high = entryCount
    while low < high {
      let mid = (low + high) / 2
      if self.resume(mid) < resume { low = mid + 1 } else { high = mid }
    }
    return low < entryCount && self.resume(low) == resume ? low : nil
  }

  /// Calls `body` with every slot that holds a reference at the safepoint after which the code continues at
  /// `resume`: the `always` slots, then the entry's.
  public func forEachSlot(resumingAt resume: Int, _ body: (Int) -> Void) {
    for k in 0..<alwaysCount { body(poolSlot(k)) }
    if let i = entry(resumingAt: resume) { forEachEntrySlot(i, body) }
  }

  /// Calls `body` with each slot entry `i` lists.
  public func forEachEntrySlot(_ i: Int, _ body: (Int) -> Void) {
    for k in entryFirst(i)..<entryEnd(i) { body(poolSlot(k)) }
  }

  /// The words of the maps (header included, with opcode `stack_maps` in its header slot): the `always` slots,
  /// then one entry per safepoint with live temporaries, by increasing `resume` (which must be distinct).
  public static func encode(always: [Int], entries: [(resume: Int, slots: [Int])]) -> [UInt64] {
    var pool = always
    var entryWords: [UInt64] = []
    for entry in entries {
      entryWords.append(UInt64(entry.resume) | UInt64(pool.count) << 32)
      pool += entry.slots
    }
    var words: [UInt64] = [UInt64(Opcode.stack_maps.rawValue), UInt64(2 + entries.count + (pool.count + 1) / 2)]
    words.append(UInt64(entries.count) | UInt64(always.count) << 32)
    words.append(UInt64(pool.count))
    words += entryWords
    for k in stride(from: 0, to: pool.count, by: 2) {
      words.append(UInt64(pool[k]) | (k + 1 < pool.count ? UInt64(pool[k + 1]) << 32 : 0))
    }
    return words
  }
}

extension Opcode {
  /// An instruction at which a garbage collection may run: a call that returns here (a tail call leaves the
  /// frame), or an instruction that allocates a GC object (`any.convert_extern` boxes a host value).
  public var isSafepoint: Bool {
    (isCall && !isTailCall) || allocatesGCObject
  }

  /// An instruction that allocates a GC object; its stack map lists its reference operands.
  public var allocatesGCObject: Bool {
    switch narrowGCForm {
    case .struct_new, .struct_new_default, .array_new, .array_new_default, .array_new_fixed, .array_new_data,
         .array_new_elem, .any_convert_extern:
      return true
    default: return false
    }
  }
}

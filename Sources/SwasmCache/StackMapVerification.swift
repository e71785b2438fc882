import SwasmBytecode

// The verifier's checks of stack maps (SwasmBytecode/StackMaps.swift). A collection keeps what a frame's map lists
// at its safepoint and may free what a slot left out refers to, so after a safepoint such a slot may hold a freed
// object's address. The data flow therefore turns every slot the map leaves out into a number at the safepoint: an
// instruction that reads one as a reference afterwards fails verification. A slot the map lists must hold only
// references of the any or extern hierarchy, or null. (The collector also checks each listed value against its
// objects before following it.)

extension FunctionWalk {
  /// Where the `stack_maps` instruction must be: first in the function, or right after its handler table.
  var stackMapsPosition: Int { hasHandlers ? 2 + Int(code[1] & 0xFFFF_FFFF) : 0 }

  /// The `stack_maps` at `at`: where it must be, its slots as its counts say, every listed slot inside the frame.
  /// (Its positions are checked once every instruction start is known: `checkStackMapPositions`.)
  func checkStackMaps(_ at: Int) throws {
    guard at == stackMapsPosition else { throw fail("stack_maps not at the start of the function", at: at) }
    guard let base = code.baseAddress,
          StackMaps.wellFormed(header: base + at, trailingSlots: trailingSlots(.stack_maps, code, at))
    else { throw fail("stack_maps counts disagree with its size", at: at) }
    let maps = StackMaps(header: base + at)
    for k in 0..<maps.poolCount where maps.poolSlot(k) >= frameSize {
      throw fail("stack map slot \(maps.poolSlot(k)) outside the frame of \(frameSize)", at: at)
    }
  }

  /// The function's stack maps, if it has some (after `checkStructure`, which checked them), and where its entry
  /// is: their positions count from there.
  func stackMapsOfFunction() -> (maps: StackMaps, entry: Int)? {
    let at = stackMapsPosition
    guard at < code.count, code[at] == UInt64(Opcode.stack_maps.rawValue) else { return nil }
    return (StackMaps(header: code.baseAddress! + at), at + 2 + trailingSlots(.stack_maps, code, at))
  }

  /// Each entry's position, in increasing order, is where the code resumes after a safepoint.
  func checkStackMapPositions(_ maps: StackMaps, entry: Int) throws {
    var previous = -1
    for i in 0..<maps.entryCount {
      let resume = entry + maps.resume(i)
      // The last instruction starting before `resume`.
      let low = partitionPoint(starts.count) { starts[$0] < resume }
      guard resume > previous, low > 0, case let at = starts[low - 1], let op = Opcode(word: code[at]), op.isSafepoint,
            at + Int(layout.sizes[Int(op.rawValue)]) == resume
      else { throw fail("stack map \(i) does not follow a safepoint in order", at: stackMapsPosition) }
      previous = resume
    }
  }

  /// What a collection at the safepoint at `at` leaves in the frame: the slots its map lists keep what they hold
  /// (which must be references of the any or extern hierarchy, or null); every other slot that may hold such a
  /// reference is a number from here on. A call's slots from its base on are its callee's frame, not this one's.
  func applyStackMap(_ at: Int, _ op: Opcode, _ k: inout [Kinds]) throws {
    let traced = Verifier.anyref | Verifier.externref
    var listed: [(slot: Int, kinds: Kinds)] = []
    if let (maps, entry) = stackMaps {
      let resume = at + Int(layout.sizes[Int(op.rawValue)]) - entry
      maps.forEachSlot(resumingAt: resume) { listed.append(($0, k[$0])) }
    }
    for (slot, kinds) in listed where kinds & ~traced != 0 {
      throw fail("stack map slot \(slot) may hold a value of another type", at: at)
    }
    let end = op.isCall ? value(at, op, .base) : frameSize
    for slot in 0..<end where k[slot] & traced != 0 { k[slot] = k[slot] & ~traced | Verifier.number }
    for (slot, kinds) in listed { k[slot] = kinds }
  }
}

import SwasmBytecode

extension FunctionWalk {
  /// The pinned local (tools/isa/pinned.py): a read form takes one register's value from `l0` instead of the frame,
  /// so it must run only where `l0` holds that register's value. A forward analysis finds what `l0` mirrors before
  /// each instruction: a register, or nothing known (at the function's entry, where exception handlers land, and
  /// after an instruction that may run other code or that writes the mirrored register without writing `l0`).
  /// `l0_load` and the destination forms make it mirror their register; where paths meet, it mirrors a register
  /// only if it does on every path. Then each read form computes what its base instruction computes, and every
  /// other check treats it as that instruction.
  /// `starts` holds every instruction's start, in order (from the structural walk, which checked each size and
  /// that every branch lands on one of them).
  func checkPinnedLocal(starts: UnsafeBufferPointer<Int>) throws {
    let unknown = -1, unreached = -2
    var mirrors = [Int](repeating: unreached, count: starts.count)
    var work: [Int] = [0]
    mirrors[0] = unknown
    func reach(index j: Int, _ value: Int) {
      if mirrors[j] == unreached {
        mirrors[j] = value
        work.append(j)
      } else if mirrors[j] != value, mirrors[j] != unknown {
        mirrors[j] = unknown
        work.append(j)
      }
    }
    /// A branch target (a start): its instruction's index.
    func reach(_ target: Int, _ value: Int) { reach(index: lastIndex(in: starts, atOrBelow: target), value) }
    while let i = work.popLast() {
      let at = starts[i]
      let op = Opcode(word: code[at])!
      let id = Int(op.rawValue)
      let mirrored = mirrors[i]
      let readPosition = Opcode.pinnedReadPosition[id]
      if readPosition != .max, OperandLayout.read(readPosition, code, at) != mirrored {
        throw fail("\(op.name) reads l0 where it does not hold register \(OperandLayout.read(readPosition, code, at))", at: at)
      }
      var after = mirrored
      if op == .l0_load {
        after = value(at, op, .ra)
      } else if op.mayRunOtherCode || op == .zero_slots || op == .init_consts {
        after = unknown
      } else {
        if after >= 0, try writes(at, op, after) { after = unknown }
        if Opcode.writesPinned[id] { after = value(at, op, .rd) }
      }
      if op == .handler_table {
        forEachBranchTarget(code, at: at, op) { reach($0, unknown) }
      } else {
        forEachBranchTarget(code, at: at, op) { reach($0, after) }
      }
      if !Self.isTerminator(op), i + 1 < starts.count { reach(index: i + 1, after) }
    }
  }

  /// Whether the instruction at `at` writes register `slot`: through any of its destinations (wide ones included;
  /// both slots of a v128, also of a v128 field or element a GC get reads), the copy of a compute-then-copy
  /// instruction (`rd2`), or `copy_far_out`'s far slot. Calls and the prologue are handled before.
  func writes(_ at: Int, _ op: Opcode, _ slot: Int) throws -> Bool {
    let id = Int(op.rawValue)
    for f in layout.destinations(id) {
      let first = value(at, field: Int(f))
      var width = layout.isVector(Int(f)) ? 2 : 1
      switch op.narrowGCForm {
      case .struct_get: width = try fieldSlots(at, op)
      case .array_get: width = try elementSlots(at, op)
      default: break
      }
      if slot >= first, slot < first + width { return true }
    }
    if layout.isComputeThenCopy(id), value(at, op, .rd2) == slot { return true }
    return op == .copy_far_out && value(at, op, .far) == slot
  }
}

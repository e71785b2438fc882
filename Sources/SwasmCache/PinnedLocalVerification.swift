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
    /// A branch target's instruction index: a start, by binary search.
    func reach(_ target: Int, _ value: Int) {
      var low = 0, high = starts.count - 1
      while low < high {
        let middle = (low + high) / 2
        if starts[middle] < target { low = middle + 1 } else { high = middle }
      }
      reach(index: low, value)
    }
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
        for field in op.fields where field.isDestination {
          let first = registerOperand(code, at: at, field)
          if (first..<(first + field.slotCount)).contains(after) { after = unknown }
        }
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
}

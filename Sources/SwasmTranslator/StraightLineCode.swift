import SwasmBytecode

/// Instructions that end a stretch of straight-line code for the translator's look-back analyses: anything that
/// branches, calls, returns, traps by design, has trailing slots, writes slots beyond its `rd`/`rd2` fields, or is
/// a safepoint (whose stack map is recorded by its position: no look-back may move it).
/// Every other instruction reads its register operands, then writes exactly its destination fields.
let leavesStraightLine: [Bool] = Opcode.allCases.map { op in
  !op.fields.filter { $0.kind == .branchOffset }.isEmpty || op.isBranchTable
    || op.name.hasPrefix("call") || op.name.hasPrefix("ret")
    || [.halt, .unreachable, .fuel, .zero_slots, .init_consts, .load_code].contains(op) || op.isSafepoint
}

import SwasmBytecode

/// The declared locals (slots `params..<localCount`) that the prologue must zero, as the range from the first to
/// the last of them, or nil for none. Wasm locals start at zero, but a local that the straight-line start of the
/// body writes before anything reads it is never seen with that value: zeroing it would be work on every call for
/// nothing (a recursive `fib`'s one local costs a dispatch per call). The start ends at the first branch target,
/// branch, call or return; within it an instruction's register operands are read before its `rd`/`rd2` is
/// written, and a local read before being written keeps its zeroing.
/// `isTarget`: `branchTargetFlags` of the body.
func localsToZero(_ body: [UInt64], isTarget: [Bool], params: Int, localCount: Int) -> ClosedRange<Int>? {
  guard params < localCount else { return nil }
  var writtenFirst = [Bool](repeating: false, count: localCount)
  var readFirst = [Bool](repeating: false, count: localCount)
  body.withUnsafeBufferPointer { code in
    var at = 0
    while at < code.count, !isTarget[at], let op = Opcode(word: code[at]), !leavesStraightLine[Int(op.rawValue)] {
      let fields = op.fields
      for f in fields where f.isRegister && !f.isDestination {
        let first = registerOperand(code, at: at, f)
        for r in first..<first + f.slotCount where r < localCount && !writtenFirst[r] { readFirst[r] = true }
      }
      for f in fields where f.isDestination {
        let first = registerOperand(code, at: at, f)
        for r in first..<first + f.slotCount where r < localCount && !readFirst[r] { writtenFirst[r] = true }
      }
      at += op.size
    }
  }
  guard let first = (params..<localCount).first(where: { !writtenFirst[$0] }),
        let last = (params..<localCount).last(where: { !writtenFirst[$0] }) else { return nil }
  return first...last
}

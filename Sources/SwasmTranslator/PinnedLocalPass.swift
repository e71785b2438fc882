import SwasmBytecode

/// The pinned local (tools/isa/pinned.py): in each innermost loop without calls, the integer local that the loop
/// reads most and writes (a loop-carried value) is kept in the register `l0` while the loop runs, so that its chain
/// from one iteration to the next does not go through a store and a forwarded load.
///
/// Runs on a finished body, after the accumulator pass. A loop is a back edge's target (its header) up to the end of
/// its last back edge. It is pinned when no instruction in it may run other code (calls, throws), nothing outside it
/// branches into it past its header, and every instruction in it that writes the chosen local has a destination
/// form (`_l0d`: the slot and `l0` written); then the instructions reading the local switch to a read form where one
/// exists (`_l0_<field>`), and an `l0_load` before the header fills the register: branches from outside the loop to
/// the header land on it, back edges go past it. Inserting moves code, so every branch offset is adjusted; bodies
/// with exception handlers (whose table records positions) are left as they are.
/// `pinnable(slot)`: the slot is a parameter or declared local of type i32 or i64.
func pinLoopLocals(_ code: [UInt64], pinnable: (Int) -> Bool) -> [UInt64] {
  var starts: [Int] = []
  var ops: [Opcode] = []
  guard forEachInstruction(code, { at, op in starts.append(at); ops.append(op) }) else { return code }
  // Every branch: (source instruction index, target slot).
  var branches: [(from: Int, to: Int)] = []
  code.withUnsafeBufferPointer { c in
    for (i, at) in starts.enumerated() { forEachBranchTarget(c, at: at, ops[i]) { branches.append((i, $0)) } }
  }
  // Loops: header slot -> index of the instruction after its last back edge. Most functions have none.
  var loopEnd: [Int: Int] = [:]
  for (from, to) in branches where to <= starts[from] { loopEnd[to] = max(loopEnd[to] ?? 0, from + 1) }
  guard !loopEnd.isEmpty else { return code }
  /// The index of the instruction starting at slot `at`, or nil (`starts` is sorted).
  func instruction(at slot: Int) -> Int? {
    let i = lastIndex(in: starts, atOrBelow: slot)
    return i >= 0 && starts[i] == slot ? i : nil
  }
  // The innermost loops, in code order: those that no other header follows before the end of their last back edge.
  // (Innermost loops never overlap.)
  let headers = loopEnd.keys.sorted()
  var loops: [(body: Range<Int>, slots: Range<Int>)] = []
  for (k, headerAt) in headers.enumerated() {
    let end = loopEnd[headerAt]!
    let slots = headerAt..<(end < starts.count ? starts[end] : code.count)
    if k + 1 < headers.count, slots.contains(headers[k + 1]) { continue }
    guard let first = instruction(at: headerAt) else { return code }
    loops.append((first..<end, slots))
  }
  // A loop that a branch from outside enters past its header is not pinned.
  var enteredInside = [Bool](repeating: false, count: loops.count)
  let loopStarts = loops.map(\.slots.lowerBound)
  for (from, to) in branches {
    let k = lastIndex(in: loopStarts, atOrBelow: to)
    if k >= 0, loops[k].slots.contains(to), to != loops[k].slots.lowerBound, !loops[k].body.contains(from) {
      enteredInside[k] = true
    }
  }
  var loads: [(header: Int, end: Int, slot: Int)] = []  // header and end as instruction indices
  var rewritten = code
  for (k, loop) in loops.enumerated() where !enteredInside[k] {
    let body = loop.body
    guard !body.contains(where: { ops[$0].mayRunOtherCode }),
          let slot = chooseLocal(rewritten, starts: starts, ops: ops, body: body, pinnable: pinnable) else { continue }
    rewritten.withUnsafeBufferPointer { c in
      for i in body { ops[i] = pinnedForm(of: ops[i], c, at: starts[i], slot: slot) }
    }
    for i in body { rewritten[starts[i]] = UInt64(ops[i].rawValue) }
    loads.append((body.lowerBound, body.upperBound, slot))
  }
  guard !loads.isEmpty else { return code }
  return insertingLoads(rewritten, starts: starts, ops: ops, branches: branches, loads: loads)
}

/// The local to pin in a loop: the pinnable slot read most by instructions with a read form for it, among those
/// written in the loop by instructions that all have a destination form (after their read form); nil for none.
private func chooseLocal(_ code: [UInt64], starts: [Int], ops: [Opcode], body: Range<Int>,
                         pinnable: (Int) -> Bool) -> Int? {
  var reads: [Int: Int] = [:]
  var written: Set<Int> = []
  var unpinnable: Set<Int> = []
  code.withUnsafeBufferPointer { c in
    for i in body {
      let op = ops[i], at = starts[i]
      for form in op.pinnedReadForms { reads[registerOperand(c, at: at, op.fields[form.field]), default: 0] += 1 }
      if let base = op.accumulatorBase {
        for form in base.pinnedReadForms { reads[registerOperand(c, at: at, base.fields[form.field]), default: 0] += 1 }
      }
      for field in op.fields where field.isDestination {
        let r = registerOperand(c, at: at, field)
        for s in r..<(r + field.slotCount) {
          written.insert(s)
          let plainRd = field.id == .rd && field.kind == .register
          if !plainRd || !pinnedForm(of: op, c, at: at, slot: s).isPinnedDestination { unpinnable.insert(s) }
        }
      }
    }
  }
  return reads.filter { written.contains($0.key) && !unpinnable.contains($0.key) && pinnable($0.key) }
    .max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
}

/// `op` at `at` with `slot` pinned: its read form for the first field that reads `slot` (if it has one), then the
/// destination form of that when its `rd` is `slot`. An accumulator form that reads `slot`, or writes it and has
/// no destination form of its own, gives way to its base instruction first (the base reads from the frame what the
/// form took from the accumulator: the same value). Unchanged when nothing applies; when it writes `slot` without a destination form, the result does not
/// write `l0` (`isPinnedDestination` false), which `chooseLocal` rejects.
private func pinnedForm(of op: Opcode, _ c: UnsafeBufferPointer<UInt64>, at: Int, slot: Int) -> Opcode {
  func readForm(_ op: Opcode) -> Opcode? {
    op.pinnedReadForms.first { registerOperand(c, at: at, op.fields[$0.field]) == slot }?.form
  }
  func writesSlot(_ op: Opcode) -> Bool {
    op.fields.contains { $0.id == .rd && $0.kind == .register && registerOperand(c, at: at, $0) == slot }
  }
  var result = op
  if let base = op.accumulatorBase,
     readForm(base) != nil || (writesSlot(op) && op.pinnedDestinationForm == nil && base.pinnedDestinationForm != nil) {
    result = base
  }
  if let form = readForm(result) { result = form }
  if writesSlot(result), let destination = result.pinnedDestinationForm { result = destination }
  return result
}

extension Opcode {
  var isPinnedDestination: Bool { Opcode.writesPinned[Int(rawValue)] }
}

/// `code` with an `l0_load slot` before each pinned loop's header, every branch offset adjusted: a branch from
/// inside a loop to its header goes past the load, every other branch to a header lands on it.
private func insertingLoads(_ code: [UInt64], starts: [Int], ops: [Opcode], branches: [(from: Int, to: Int)],
                            loads: [(header: Int, end: Int, slot: Int)]) -> [UInt64] {
  let loadSize = Opcode.l0_load.size
  let points = loads.map { starts[$0.header] }.sorted()
  /// Where slot `x` of the old code lands: after the loads inserted at or before it.
  func moved(_ x: Int) -> Int { x + (lastIndex(in: points, atOrBelow: x) + 1) * loadSize }
  var loadAt: [Int: (slot: Int, body: Range<Int>)] = [:]
  for load in loads { loadAt[starts[load.header]] = (load.slot, load.header..<load.end) }
  var out: [UInt64] = []
  out.reserveCapacity(code.count + loads.count * loadSize)
  for (i, at) in starts.enumerated() {
    let next = i + 1 < starts.count ? starts[i + 1] : code.count
    if let load = loadAt[at] {
      var builder = CodeBuilder()
      builder.emitR(.l0_load, Reg(load.slot))
      out += builder.code
    }
    out += code[at..<next]
  }
  // Offsets: relative to the instruction's first slot, in its new place.
  func newTarget(_ to: Int, from: Int) -> Int {
    if let load = loadAt[to], !load.body.contains(from) { return moved(to) - loadSize }
    return moved(to)
  }
  for (i, at) in starts.enumerated() {
    let op = ops[i]
    let newAt = moved(at)
    if op.isBranchTable {
      let count = Int((code[at + 1] >> 16) & 0xFFFF_FFFF)
      for k in 0...count {
        let target = at + Int(Int64(bitPattern: code[at + 2 + k]))
        out[newAt + 2 + k] = UInt64(bitPattern: Int64(newTarget(target, from: i) - newAt))
      }
      continue
    }
    let position = Opcode.branchOffsetPosition[Int(op.rawValue)]
    guard position != UInt16.max else { continue }
    let slot = Int(position >> 8), shift = UInt64(position & 0xFF)
    let target = at + Int(Int32(truncatingIfNeeded: code[at + slot] >> shift))
    let offset = UInt64(UInt32(bitPattern: Int32(newTarget(target, from: i) - newAt)))
    out[newAt + slot] = (out[newAt + slot] & ~(0xFFFF_FFFF << shift)) | (offset << shift)
  }
  return out
}

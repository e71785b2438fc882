import SwasmBytecode

/// Switches instructions to their accumulator forms (tools/isa/accumulators.py). Where an instruction reads
/// the slot that the instruction just before it wrote, and that one also left the value in an accumulator, the
/// form reading that accumulator (`_acc_` or `_facc_`) takes the value from there: the same result without a store
/// and a dependent load through memory. Never at a branch target: reached from elsewhere, the accumulator holds
/// something else. The code keeps its layout (a form differs from its base instruction only in its opcode).
/// `isTarget`: `branchTargetFlags` of the code.
func useAccumulator(_ code: inout [UInt64], isTarget: [Bool]) {
  code.withUnsafeMutableBufferPointer { buffer in
    let code = UnsafeBufferPointer(buffer)
    var starts: [(at: Int, op: Opcode)] = []
    forEachInstruction(code) { at, op in starts.append((at, op)) }
    for (previous, current) in zip(starts, starts.dropFirst()) where !isTarget[current.at] {
      guard let accumulator = previous.op.writtenAccumulator else { continue }
      let forms = current.op.accumulatorForms
      let position = Opcode.accumulatorDestinationPosition[Int(previous.op.rawValue)]
      guard !forms.isEmpty, position != UInt16.max else { continue }
      let written = Int(operandBits(code, at: previous.at, position: position) & 0xFFFF)
      let fields = current.op.fields
      if let match = forms.first(where: {
        $0.form.readAccumulator == accumulator && registerOperand(code, at: current.at, fields[$0.field]) == written
      }) {
        buffer[current.at] = UInt64(match.form.rawValue)
      }
    }
  }
}


/// A readable listing of a function's bytecode, one instruction per line: `index: name field=value ...`.
/// Registers print as `r<N>` (a v128's as `r<N>:<N+1>`), branch targets as absolute slot indices.
public func disassemble(_ code: [UInt64]) -> String {
  var lines: [String] = []
  let complete = forEachInstruction(code) { at, op in
    let label = "\(at):"
    var parts = [label + String(repeating: " ", count: max(0, 6 - label.count)) + op.name]
    for field in op.fields {
      let raw = (code[at + field.slot] >> UInt64(field.shift))
      switch field.kind {
      case .register: parts.append("\(field.name)=r\(raw & 0xFFFF)")
      case .vectorRegister: parts.append("\(field.name)=r\(raw & 0xFFFF):\((raw & 0xFFFF) + 1)")
      case .wideRegister: parts.append("\(field.name)=r\(raw & 0xFFFF_FFFF)")
      case .u32: parts.append("\(field.name)=\(UInt32(truncatingIfNeeded: raw))")
      case .i32: parts.append("\(field.name)=\(Int32(truncatingIfNeeded: raw))")
      case .branchOffset: parts.append("->\(at + Int(Int32(truncatingIfNeeded: raw)))")
      case .u64: parts.append("\(field.name)=0x\(String(raw, radix: 16))")
      }
    }
    if op == .init_consts {
      let count = Int((code[at + 1] >> 16) & 0xFFFF_FFFF)
      parts.append("[" + (0..<count).map { "0x" + String(code[at + 2 + $0], radix: 16) }.joined(separator: " ") + "]")
    }
    if op.isBranchTable {
      let count = Int((code[at + 1] >> 16) & 0xFFFF_FFFF)
      let targets = (0...count).map { "\(at + Int(Int64(bitPattern: code[at + 2 + $0])))" }
      parts.append("[" + targets.joined(separator: " ") + "]")
    }
    if op == .stack_maps, let words = stackMapsText(code, at: at) { parts.append(words) }
    lines.append(parts.joined(separator: " "))
  }
  if !complete { lines.append("<malformed code>") }
  return lines.joined(separator: "\n")
}

/// The slots of the stack maps at `at`: `always [r0 r3]`, then `@RESUME [r7]` per entry (positions as slot
/// indices of this listing, which starts at the code's first slot); nil when malformed.
private func stackMapsText(_ code: [UInt64], at: Int) -> String? {
  code.withUnsafeBufferPointer { buffer -> String? in
    guard let base = buffer.baseAddress,
          StackMaps.wellFormed(header: base + at, trailingSlots: trailingSlots(.stack_maps, buffer, at)) else { return nil }
    let maps = StackMaps(header: base + at)
    let entry = at + 2 + trailingSlots(.stack_maps, buffer, at)
    func list(_ slots: [Int]) -> String { "[" + slots.map { "r\($0)" }.joined(separator: " ") + "]" }
    var parts = ["always " + list((0..<maps.alwaysCount).map(maps.poolSlot))]
    for i in 0..<maps.entryCount {
      var slots: [Int] = []
      maps.forEachEntrySlot(i) { slots.append($0) }
      parts.append("@\(entry + maps.resume(i)) " + list(slots))
    }
    return parts.joined(separator: " ")
  }
}

/// Visits every instruction of a function's code: `body(index of header slot, opcode)`.
/// Stops and returns false on an unknown opcode or an instruction that runs past the end (for untrusted code).
@discardableResult
public func forEachInstruction(_ code: UnsafeBufferPointer<UInt64>, _ body: (Int, Opcode) -> Void) -> Bool {
  var at = 0
  while at < code.count {
    guard code[at] <= UInt64(UInt16.max), let op = Opcode(rawValue: UInt16(code[at])) else { return false }
    let size = op.size + trailingSlots(op, code, at)
    guard at + size <= code.count else { return false }
    body(at, op)
    at += size
  }
  return true
}

/// Slots that follow an instruction's fixed part: br_table's `count + 1` branch offsets, init_consts' `count`
/// constants (both keep `count` at bits 16..47 of the first operand slot). Zero for every other opcode.
@inline(__always)
func trailingSlots(_ op: Opcode, _ code: UnsafeBufferPointer<UInt64>, _ at: Int) -> Int {
  guard op == .br_table || op == .init_consts, at + 1 < code.count else { return 0 }
  let count = Int((code[at + 1] >> 16) & 0xFFFF_FFFF)
  return op == .br_table ? count + 1 : count
}

public func forEachInstruction(_ code: [UInt64], _ body: (Int, Opcode) -> Void) -> Bool {
  code.withUnsafeBufferPointer { forEachInstruction($0, body) }
}

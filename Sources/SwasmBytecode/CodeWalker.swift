/// Visits every instruction of a function's code: `body(index of header slot, opcode)`.
/// Stops and returns false on an unknown opcode or an instruction that runs past the end (for untrusted code).
@discardableResult
public func forEachInstruction(_ code: UnsafeBufferPointer<UInt64>, _ body: (Int, Opcode) -> Void) -> Bool {
  var at = 0
  while at < code.count {
    guard code[at] <= UInt64(UInt16.max), let op = Opcode(rawValue: UInt16(code[at])) else { return false }
    var size = op.size
    if op == .br_table {
      guard at + 1 < code.count else { return false }
      let count = (code[at + 1] >> 16) & 0xFFFF_FFFF
      size += Int(count) + 1
    }
    guard at + size <= code.count else { return false }
    body(at, op)
    at += size
  }
  return true
}

public func forEachInstruction(_ code: [UInt64], _ body: (Int, Opcode) -> Void) -> Bool {
  code.withUnsafeBufferPointer { forEachInstruction($0, body) }
}

import SwasmBytecode

// The verifier's checks of exception handling (tools/isa/exceptions.py, SwasmBytecode/HandlerTable.swift). A
// function's handler table is data the unwinder trusts: it writes a payload and an exnref into the frame and jumps
// to a node's target. So the table is checked like code: only at the start of a function, sizes consistent,
// segments at instruction starts, targets at instructions, every write inside the frame, every tag existing, every
// chain ending. The data flow then treats each handler as a branch target reached from every instruction that may
// throw inside its range, with what the throw leaves in the frame.

extension FunctionWalk {
  typealias Verifier = BytecodeVerifier

  /// The `handler_table` at `at`: the function's first instruction, its slots as its counts say, and every node's
  /// fields in range (its target is checked with the other branch targets).
  func checkHandlerTable(_ at: Int) throws {
    guard at == 0 else { throw fail("handler_table after the start of the function", at: at) }
    guard let base = code.baseAddress,
          HandlerTable.wellFormed(header: base, trailingSlots: trailingSlots(.handler_table, code, 0))
    else { throw fail("handler_table counts disagree with its size", at: at) }
    let table = HandlerTable(header: base)
    for i in 0..<table.nodeCount {
      let node = table.node(i)
      if let next = node.next, next <= i || next >= table.nodeCount {
        throw fail("handler \(i) chains to handler \(next)", at: at)
      }
      if node.tag != HandlerTable.anyTag {
        guard Int(node.tag) < verifier.tagPayloads.count else { throw fail("tag \(node.tag) does not exist", at: at) }
        guard Int(node.destination) + verifier.tagPayloads[Int(node.tag)].count <= frameSize else {
          throw fail("handler \(i) writes its payload outside the frame", at: at)
        }
      }
      if node.exception != HandlerTable.none, Int(node.exception) >= frameSize {
        throw fail("handler \(i) keeps its exception outside the frame", at: at)
      }
    }
  }

  /// The table's segments: in increasing order, each starting at an instruction, each naming a node or none.
  func checkHandlerSegments(isStart: UnsafeBufferPointer<Bool>) throws {
    let table = HandlerTable(header: code.baseAddress!)
    var previous = -1
    for i in 0..<table.segmentCount {
      let start = table.segmentStart(i)
      guard start > previous, start < code.count, isStart[start] else {
        throw fail("handler segment \(i) does not start at an instruction in order", at: 0)
      }
      if let head = table.segmentHead(i), head >= table.nodeCount {
        throw fail("handler segment \(i) names handler \(head)", at: 0)
      }
      previous = start
    }
  }

  /// Merges what the slots may hold when the instruction at `at` throws into each handler that may catch it. A
  /// throw leaves the frame as it is; a call, the callee's frame from its base on (anything). The handler then
  /// writes its tag's payload and the exception.
  mutating func mergeIntoHandlers(_ kinds: [Kinds], thrownBy op: Opcode, at: Int) {
    let table = HandlerTable(header: code.baseAddress!)
    guard table.head(at: at) != nil else { return }
    var thrown = kinds
    if op.isCall {
      for i in value(at, op, .base)..<frameSize { thrown[i] = Verifier.anything }
    }
    table.forEachHandler(at: at) { node in
      var caught = thrown
      if node.tag != HandlerTable.anyTag {
        for (i, kind) in verifier.tagPayloads[Int(node.tag)].enumerated() { caught[Int(node.destination) + i] = kind }
      }
      if node.exception != HandlerTable.none { caught[Int(node.exception)] = Verifier.exnref }
      merge(caught, into: node.target, from: at)
    }
  }
}

extension Opcode {
  /// An instruction through which an exception may reach this function's handlers: a throw, or a call (not a tail
  /// call: its frame is gone when its callee throws).
  var mayThrowToHandlers: Bool {
    switch self {
    case .throw_tag, .throw_tag_w, .throw_ref: return true
    default: return isCall && !isTailCall
    }
  }
}

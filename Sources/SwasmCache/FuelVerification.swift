import SwasmBytecode

// Code from a cache entry written for fuel metering must stay bounded by its fuel, or a forged entry could run
// forever where the embedder counted on fuel to stop it. The translator puts a `fuel` check at each function's
// entry and loop header, and at the start of each legacy exception handler body; so every cycle of its code
// passes one. The verifier checks exactly that, on the control-flow graph of instructions: fall-through, branches
// and the handlers an instruction may throw to.

extension FunctionWalk {
  /// Throws unless the function's entry (after its handler table, stack maps and prologue) is a `fuel` check, which tail calls
  /// re-enter, and every cycle of its code passes a `fuel` check. `starts`: every instruction's start.
  func checkFuelBoundsEveryCycle(starts: UnsafeBufferPointer<Int>) throws {
    let fuel = UInt64(Opcode.fuel.rawValue)
    let n = starts.count
    let prologue: [Opcode] = [.handler_table, .stack_maps, .zero_slots, .init_consts]
    guard let entry = starts.first(where: { !prologue.contains(Opcode(word: code[$0])!) }), code[entry] == fuel else {
      throw fail("the function's entry has no fuel check", at: 0)
    }
    var index = [Int32](repeating: -1, count: code.count)
    for (i, at) in starts.enumerated() { index[at] = Int32(i) }
    func successors(_ i: Int) -> [Int] {
      let at = starts[i]
      let op = Opcode(word: code[at])!
      var next: [Int] = []
      if !Self.isTerminator(op), i + 1 < n { next.append(i + 1) }
      // A handler table's targets are reached by what is thrown, below; it is never executed itself.
      if op != .handler_table { forEachBranchTarget(code, at: at, op) { next.append(Int(index[$0])) } }
      if hasHandlers && op.mayThrowToHandlers {
        HandlerTable(header: code.baseAddress!).forEachHandler(at: at) { next.append(Int(index[$0.target])) }
      }
      return next
    }
    // Depth-first search of the graph without its `fuel` instructions: a back edge is a cycle without fuel.
    var state = [UInt8](repeating: 0, count: n)  // 0: not seen, 1: on the path, 2: done
    for root in 0..<n where state[root] == 0 && code[starts[root]] != fuel {
      var path: [(node: Int, successors: [Int], next: Int)] = [(root, successors(root), 0)]
      state[root] = 1
      while !path.isEmpty {
        let top = path.count - 1
        guard path[top].next < path[top].successors.count else {
          state[path[top].node] = 2
          path.removeLast()
          continue
        }
        let v = path[top].successors[path[top].next]
        path[top].next += 1
        if code[starts[v]] == fuel || state[v] == 2 { continue }
        if state[v] == 1 { throw fail("a loop without a fuel check", at: starts[v]) }
        state[v] = 1
        path.append((v, successors(v), 0))
      }
    }
  }
}

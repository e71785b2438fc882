#if SWASM_COUNT_OPCODES
  #if canImport(Glibc)
    import Glibc
  #elseif canImport(Darwin)
    import Darwin
  #endif
  import SwasmBytecode

  /// The interpreter's counting mode, for choosing superinstructions from measurements: compiled in only with
  /// `-Xswiftc -DSWASM_COUNT_OPCODES` (see Benchmarks/README.md), it counts every instruction the `switch` loop
  /// executes and every pair of consecutive ones, and prints the most frequent to stderr when the process exits.
  /// Counts cover `--dispatch switch` only; the threaded loop is left untouched.
  enum OpcodeCounts {
    nonisolated(unsafe) static var singles = [UInt64](repeating: 0, count: Opcode.count)
    nonisolated(unsafe) static var pairs = [UInt64](repeating: 0, count: Opcode.count * Opcode.count)
    /// Pairs where the second instruction reads the register the first one wrote (`rd`): how often a result
    /// flows straight into the next instruction, the case an accumulator register would serve.
    nonisolated(unsafe) static var flows = [UInt64](repeating: 0, count: Opcode.count * Opcode.count)
    nonisolated(unsafe) static var previous = 0
    nonisolated(unsafe) static var previousResult = -1
    nonisolated(unsafe) static var registered = false

    @inline(__always)
    static func record(_ id: UInt16, at pc: UnsafeMutablePointer<UInt64>) {
      let op = Int(id)
      singles[op] &+= 1
      pairs[previous * Opcode.count + op] &+= 1
      let fields = Opcode(rawValue: id)!.fields
      if previousResult >= 0, fields.contains(where: { $0.kind == .register && $0.name != "rd" && $0.name != "rd2"
        && Int((pc[$0.slot] >> UInt64($0.shift)) & 0xFFFF) == previousResult }) {
        flows[previous * Opcode.count + op] &+= 1
      }
      previousResult = fields.first(where: { $0.name == "rd" }).map { Int((pc[$0.slot] >> UInt64($0.shift)) & 0xFFFF) } ?? -1
      previous = op
      if _slowPath(!registered) {
        registered = true
        atexit { OpcodeCounts.report() }
      }
    }

    static func report() {
      let total = max(singles.reduce(0, +), 1)
      func percent(_ n: UInt64) -> String { String(Double(n * 10000 / total) / 100) + "%" }
      // SWASM_COUNT_TOP=N lists the N most frequent of each (default 40).
      let top = getenv("SWASM_COUNT_TOP").flatMap { Int(String(cString: $0)) } ?? 40
      var text = "instructions executed: \(total)\n"
      for (op, n) in singles.enumerated().sorted(by: { $0.element > $1.element }).prefix(top) where n > 0 {
        text += "  \(percent(n))\t\(n)\t\(Opcode(rawValue: UInt16(op))!.name)\n"
      }
      text += "most frequent pairs (first, then second):\n"
      for (index, n) in pairs.enumerated().sorted(by: { $0.element > $1.element }).prefix(top) where n > 0 {
        let first = Opcode(rawValue: UInt16(index / Opcode.count))!.name
        let second = Opcode(rawValue: UInt16(index % Opcode.count))!.name
        text += "  \(percent(n))\t\(n)\t\(first) -> \(second)\n"
      }
      text += "most frequent flows (the second reads the first's result):\n"
      for (index, n) in flows.enumerated().sorted(by: { $0.element > $1.element }).prefix(top) where n > 0 {
        let first = Opcode(rawValue: UInt16(index / Opcode.count))!.name
        let second = Opcode(rawValue: UInt16(index % Opcode.count))!.name
        text += "  \(percent(n))\t\(n)\t\(first) -> \(second)\n"
      }
      text += "all flows: \(percent(flows.reduce(0, +)))\n"
      fputs(text, stderr)
    }
  }
#endif

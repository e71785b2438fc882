import SwasmBytecode
import WasmBinary

/// The stack maps of a function (SwasmBytecode/StackMaps.swift): at each safepoint, which temporaries hold
/// references a garbage collection must see. The translator knows every operand-stack entry's type, so it records,
/// right after emitting a call or an allocating instruction, the temporaries of the entries left on the stack (and
/// for an allocation, its reference operands); the parameters and locals of such types are listed once for all
/// safepoints. Functions with neither get no maps, and code without references pays nothing.
///
/// Positions are those of the code as it is emitted; no peephole moves a safepoint once emitted (an allocation
/// ends straight-line code, as a call does: StraightLineCode.swift), and `finish` checks that each recorded position
/// still ends a safepoint.
extension FunctionTranslator {
  /// Records the references live across the safepoint that ends the code now: the temporaries of the stack
  /// entries that hold traced references, and `operands` (registers of an allocating instruction's traced
  /// references; a local's or a constant's register adds nothing).
  mutating func noteSafepoint(operands: [Reg] = []) {
    var slots: [Reg] = []
    for (i, entry) in stack.enumerated() where entry.operand == .temp && isTracedReference(entry.type, in: module) {
      slots.append(registers.temp(i))
    }
    // (Wide frames have no constant area: every register past the locals is a temporary there.)
    slots += operands.filter { Int($0) >= registers.localCount && (registers.wide || $0 < registers.constant(constants.count)) }
    guard !slots.isEmpty else { return }
    stackMapEntries.append((resume: builder.code.count, slots: slots))
  }

  /// The `stack_maps` instruction for a body that starts `bodyOffset` slots after the function's entry (none when
  /// no parameter, local or temporary holds a traced reference at a safepoint, or there is no safepoint: then no
  /// collection finds the frame), registers mapped by `register`. Checks that every recorded position still ends a
  /// safepoint of `body`.
  func stackMaps(of body: [UInt64], bodyOffset: Int, register: (Reg) -> Int) throws -> [UInt64] {
    guard !locals.tracedSlots.isEmpty || !stackMapEntries.isEmpty else { return [] }
    var safepointEnds = Set<Int>()
    _ = forEachInstruction(body) { at, op in if op.isSafepoint { safepointEnds.insert(at + op.size) } }
    guard !safepointEnds.isEmpty else { return [] }
    guard stackMapEntries.allSatisfy({ safepointEnds.contains($0.resume) }),
          zip(stackMapEntries, stackMapEntries.dropFirst()).allSatisfy({ $0.resume < $1.resume }) else {
      throw TranslationError("internal error: a stack map lost its safepoint")
    }
    let entries = stackMapEntries.map { (resume: bodyOffset + $0.resume, slots: $0.slots.map(register)) }
    // (A wide frame's locals past its staging block sit higher than their register numbers: mapped too.)
    return StackMaps.encode(always: locals.tracedSlots.map { register(Reg($0)) }, entries: entries)
  }
}

/// Whether values of `type` are references a collection must see: of the any hierarchy (GC objects, i31s) or the
/// extern hierarchy (which carries GC objects turned into externrefs).
func isTracedReference(_ type: ValueType, in module: Module) -> Bool {
  guard case .ref(let r) = type else { return false }
  let top = module.hierarchyTop(of: r.heapType)
  return top == .any || top == .extern
}

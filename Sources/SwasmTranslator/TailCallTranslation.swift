import SwasmBytecode
import WasmBinary

/// `return_call` and `return_call_indirect`: the arguments go to consecutive temporaries, as for a call, and the
/// instruction (tools/isa/tailcalls.py) moves them to the frame's first slots at run time. Nothing follows it.
extension FunctionTranslator {
  mutating func returnCall(index: UInt32) {
    let callee = functionTypes[Int(index)]
    let base = height - callee.params.slotCount
    materialize(from: base)
    stack.removeLast(callee.params.slotCount)
    reserveTailCallFrame(base: base, callee)
    let imported = Int(index) < importedFunctionCount
    builder.emitRU(imported ? .return_call_import : .return_call, registers.temp(base), index)
    markUnreachable()
  }

  mutating func returnCallIndirect(typeIndex: UInt32, table: UInt32) {
    let callee = module.functionType(typeIndex)
    let index = popRegisters(1)[0]
    let base = height - callee.params.slotCount
    materialize(from: base)
    stack.removeLast(callee.params.slotCount)
    reserveTailCallFrame(base: base, callee)
    builder.emitRRUU(.return_call_indirect, registers.temp(base), index, typeIndex, table)
    markUnreachable()
  }

  /// A tail call's frame, like a call's, spans `base + max(parameters, results)` slots: a host callee writes its
  /// results there before they move to the frame's first slots (SwasmRuntime's TailCalls.swift), and the cache's
  /// verifier requires it of every call. A call's results, pushed after it, make that room by themselves; nothing
  /// is pushed after a tail call (a function of no parameters tail-calling one that returns a v128 had a frame a
  /// slot short, which the verifier refused: found by libFuzzer's `translate` target).
  mutating func reserveTailCallFrame(base: Int, _ callee: FuncType) {
    maxHeight = max(maxHeight, base + max(callee.params.slotCount, callee.results.slotCount))
  }
}

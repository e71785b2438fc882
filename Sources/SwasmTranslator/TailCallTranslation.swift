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
    builder.emitRRUU(.return_call_indirect, registers.temp(base), index, typeIndex, table)
    markUnreachable()
  }
}

import SwasmBytecode
import WasmBinary

/// Functions whose frame needs more slots than 16-bit register fields name: 50,000 v128 locals, an operand
/// stack deeper than 65,535 values. `ModuleTranslator` translates a function the usual way first; when its frame
/// turns out too large (`FrameTooLarge`), it translates it again in wide mode:
/// - registers are virtual numbers (locals, then operand-stack temporaries), which the code builder maps to frame
///   slots as it emits each instruction (`FrameMap`): slots beyond 65,535 are reached through copies into a block of
///   staging slots kept below them, and a call whose arguments start beyond takes its form with a 32-bit base;
/// - there is no constant area: a constant operand is written into its own temporary when used;
/// - nothing fuses (the look-back facts are never kept): each Wasm instruction becomes its plain instruction.
/// Frames that fit are translated exactly as before and pay nothing for this.
struct FrameTooLarge: Error {
  var slots: Int
}

extension FunctionTranslator {
  /// The wide form of `finish`: the code's registers are final already; the prologue zeroes every declared local
  /// (and the staging block, which lies among them).
  mutating func finishWide(_ map: FrameMap) throws -> CompiledFunction {
    let localCount = registers.localCount
    let paramSlots = type.params.slotCount
    let frameSize = map.frameSize(virtualSlots: localCount + maxHeight)
    guard frameSize <= maxFrameSlots else {
      throw TranslationError("function needs \(frameSize) frame slots; at most \(maxFrameSlots) are supported")
    }
    var code = builder.code
    useAccumulator(&code, isTarget: branchTargets(of: code))
    var prologue = CodeBuilder()
    let zeroedEnd = map.slot(UInt64(max(localCount, map.blockStart)))
    if zeroedEnd > paramSlots {
      prologue.emitRU(.zero_slots, Reg(paramSlots), UInt32(zeroedEnd - paramSlots))
    }
    let maps = try stackMaps(of: code, bodyOffset: prologue.code.count, register: { map.slot(UInt64($0)) })
    let table = handlerTable(before: maps.count + prologue.code.count, register: { UInt32(map.slot(UInt64($0))) })
    return CompiledFunction(code: table + maps + prologue.code + code, paramCount: paramSlots, localCount: zeroedEnd,
                            resultCount: type.results.slotCount, constBase: zeroedEnd, constants: [],
                            frameSize: frameSize)
  }
}

import SwasmBytecode
import WasmBinary

extension FunctionTranslator {
  /// Fixes the frame layout now that the number of constants is known: constants move from the top of the
  /// register space to just after the locals, and temporaries (with the scratch slot) move up past them.
  /// Final layout: [params+locals][constants][temporaries][scratch].
  mutating func finish() throws -> CompiledFunction {
    if let map = registers.frameMap { return try finishWide(map) }
    let localCount = registers.localCount
    let constCount = constants.count
    let top = narrowRegisterLimit - 1  // the scratch slot while translating
    let scratch = localCount + constCount + maxHeight
    let frameSize = scratch + 1
    // While translating, temporaries grow up from the locals and constants down from the top: they must not meet.
    // A frame larger than 16-bit registers name is translated again in wide mode (WideFrames.swift).
    let firstConstant = top - constCount
    guard localCount + maxHeight < firstConstant, frameSize <= narrowRegisterLimit else {
      throw FrameTooLarge(slots: frameSize)
    }
    func relocate(_ r: Int) -> Int {
      if r == top { return scratch }
      if r >= firstConstant { return localCount + (top - 1 - r) }
      return r >= localCount ? r + constCount : r
    }
    var code = builder.code
    let complete = code.withUnsafeMutableBufferPointer { buffer -> Bool in
      forEachInstruction(UnsafeBufferPointer(buffer)) { at, op in
        for field in op.fields where field.isRegister {
          let slot = at + field.slot
          let shift = UInt64(field.shift)
          let relocated = relocate(Int((buffer[slot] >> shift) & 0xFFFF))
          buffer[slot] = (buffer[slot] & ~(0xFFFF << shift)) | (UInt64(relocated) << shift)
        }
      }
    }
    guard complete else { throw TranslationError("internal error: malformed bytecode") }
    var isTarget = branchTargets(of: code)
    useAccumulator(&code, isTarget: isTarget)
    // Pinned locals insert code: not where positions were recorded while translating (exception handlers, stack
    // maps), nor with v128 locals (whose slots are not the local indices).
    if handlers.isEmpty, stackMapEntries.isEmpty, locals.slots == nil {
      let pinned = pinLoopLocals(code) { $0 < localCount && [ValueType.i32, .i64].contains(localType($0)) }
      if pinned.count != code.count {
        code = pinned
        isTarget = branchTargets(of: code)
      }
    }
    let prologue = prologue(localCount: localCount, body: code, isTarget: isTarget)
    let maps = try stackMaps(of: code, bodyOffset: prologue.count, register: { relocate(Int($0)) })
    let table = handlerTable(before: maps.count + prologue.count, register: { UInt32(relocate(Int($0))) })
    return CompiledFunction(
      code: table + maps + prologue + code,
      paramCount: type.params.slotCount, localCount: localCount, resultCount: type.results.slotCount,
      constBase: localCount, constants: constants, frameSize: frameSize)
  }

  /// Where branches land, for the passes that must not fuse across them (the accumulator pass changes opcodes
  /// only, never the layout): branches' targets, and where exception handlers land.
  func branchTargets(of code: [UInt64]) -> [Bool] {
    var isTarget = code.withUnsafeBufferPointer { branchTargetFlags($0) }
    for target in handlers.targets { isTarget[target] = true }
    return isTarget
  }

  /// The handler table that goes first in the code (none without handlers), for a body that starts `bodyOffset`
  /// slots after it, registers mapped by `register`.
  func handlerTable(before bodyOffset: Int, register: (Reg) -> UInt32) -> [UInt64] {
    guard !handlers.isEmpty else { return [] }
    let start = handlers.encodedSize + bodyOffset
    return handlers.encode(offset: { start + $0 }, register: register)
  }

  /// Code run on entry, before the body (all branches are relative, so prepending it moves nothing): zero the
  /// declared locals the body may read before writing (`localsToZero`), write the constant area. Locals and
  /// constants are adjacent, so when there are both and few locals to zero, one `init_consts` writes the locals'
  /// zeros with the constants (one dispatch per call, not two).
  func prologue(localCount: Int, body: [UInt64], isTarget: [Bool]) -> [UInt64] {
    var prologue = CodeBuilder()
    let zeroing = localsToZero(body, isTarget: isTarget, params: type.params.slotCount, localCount: localCount)
    if let zeroing, localCount - zeroing.lowerBound <= 32, !constants.isEmpty {
      let zeros = localCount - zeroing.lowerBound
      prologue.emitRU(.init_consts, Reg(zeroing.lowerBound), UInt32(zeros + constants.count))
      prologue.code += [UInt64](repeating: 0, count: zeros) + constants
      return prologue.code
    }
    if let zeroing {
      prologue.emitRU(.zero_slots, Reg(zeroing.lowerBound), UInt32(zeroing.count))
    }
    if !constants.isEmpty {
      prologue.emitRU(.init_consts, Reg(localCount), UInt32(constants.count))
      prologue.code += constants
    }
    return prologue.code
  }
}

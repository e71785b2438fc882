import SwasmBytecode

// Throwing and catching (tools/isa/exceptions.py). Nothing here runs unless something is thrown: a function's
// handlers are a table before its code (SwasmBytecode/HandlerTable.swift), searched frame by frame from the throw.

/// `throw tag`: a new exception of the current instance's tag `tag`, its payload the frame's slots from `base`.
@inline(never)
func throwNewException(_ pcp: PPc, _ fpp: PFp, _ st: St, tag: Int, payload base: Int) -> UInt64 {
  let store = st.pointee.store.unsafelyUnwrapped.takeUnretainedValue()
  let fp = fpp.pointee
  let top = fp + (st.pointee.frameTop - 1).pointee.function.pointee.frameSize
  let object = store.exceptions.allocate(tag: st.pointee.instance.pointee.tags[tag], payload: fp + base) {
    store.exceptionRoots(stackTop: top)
  }
  return unwind(pcp, fpp, st, object.reference, thrownAt: pcp.pointee)
}

/// `throw_ref` (and the legacy `rethrow`): throws the exception `reference` again, as it is.
@inline(never)
func throwExceptionReference(_ pcp: PPc, _ fpp: PFp, _ st: St, _ reference: UInt64) -> UInt64 {
  guard reference != 0 else { return trap(pcp, st, .nullExceptionReference) }
  return unwind(pcp, fpp, st, reference, thrownAt: pcp.pointee)
}

/// Finds the innermost handler for `exception`, thrown by the instruction at `pc` of the current frame (or, with
/// `leavingFrame`, by a function the current frame tail-called, which took its place), and continues there: the
/// frames above it are dropped, the payload and the exception are written where the handler says. When no frame
/// of this run of the interpreter catches it, the run stops with `TrapCode.exception` and the exception pending;
/// the frames stay, for the backtrace.
func unwind(_ pcp: PPc, _ fpp: PFp, _ st: St, _ exception: UInt64, thrownAt pc: Pc, leavingFrame: Bool = false) -> UInt64 {
  // A loop of throws and catches has no backward branch for an interruption to stop (InterruptHandle).
  if _slowPath(st.pointee.interrupt.load(ordering: .relaxed)) { return trap(pcp, st, .interrupted) }
  let object = UnsafeMutablePointer<ExceptionHeader>(reference: exception)
  var frame = st.pointee.frameTop - 1
  var fp = fpp.pointee
  var pc = pc
  var searching = !leavingFrame
  while true {
    let function = frame.pointee.function
    if searching, let table = function.pointee.handlers,
       let handler = findHandler(HandlerTable(header: table), at: UnsafePointer(pc) - table, object.pointee.tag,
                                 function.pointee.instance.unsafelyUnwrapped) {
      st.pointee.frameTop = frame + 1
      switchInstance(to: function, st)
      if handler.tag != HandlerTable.anyTag {
        copySlots(fp + Int(handler.destination), object.payload, object.pointee.payloadSlots)
      }
      if handler.exception != HandlerTable.none { fp[Int(handler.exception)] = exception }
      fpp.pointee = fp
      let target = UnsafeMutablePointer(mutating: table) + handler.target
      pcp.pointee = target
      return target.pointee
    }
    searching = true
    // The run's first frame returns to `halt`: the exception leaves this run of the interpreter.
    if frame.pointee.returnPc == st.pointee.haltPc { break }
    pc = frame.pointee.returnPc - 1  // inside the call instruction
    fp = frame.pointee.callerFp
    frame -= 1
  }
  st.pointee.pendingException = exception
  return trap(pcp, st, .exception)
}

/// The first handler of `table` for an exception of `tag` thrown at code offset `offset`, tags resolved through
/// `instance` (the function's).
@inline(__always)
func findHandler(_ table: HandlerTable, at offset: Int, _ tag: UnsafeMutablePointer<TagEntry>,
                 _ instance: UnsafeMutablePointer<InstanceContext>) -> HandlerTable.Node? {
  table.firstHandler(at: offset) { $0.tag == HandlerTable.anyTag || instance.pointee.tags[Int($0.tag)] == tag }
}

extension Store {
  /// Where the store keeps exnrefs, for a collection: the value stack below `stackTop`, exnref globals and tables.
  func exceptionRoots(stackTop: UnsafeMutablePointer<UInt64>) -> ExceptionRoots {
    let start = state.pointee.stackStart
    var inObjects: [UInt64] = []
    gc.forEachExceptionReference { inObjects.append($0) }
    return ExceptionRoots(stack: UnsafeBufferPointer(start: start, count: max(0, stackTop - start)),
                          globals: exnrefGlobals, tables: exnrefTables, pending: state.pointee.pendingException,
                          inObjects: inObjects)
  }

  /// The exception a host function threw into the Wasm code that called it (it is the pending one: the unwinding
  /// takes it on).
  func takeThrownByHost() -> UInt64 {
    pendingHostError = nil
    let reference = state.pointee.pendingException
    state.pointee.pendingException = 0
    return reference
  }

  /// The top of the live frames when no Wasm code is running in this store, or a host function runs.
  var hostStackTopOrStart: UnsafeMutablePointer<UInt64> { hostStackTop ?? state.pointee.stackStart }
}

import CSwasmGuard

// Tail calls (tools/isa/tailcalls.py): the callee takes over the running function's frame. Its arguments, staged in
// the caller's topmost temporaries at `fp + base`, move down to the frame's first slots; the frame's call record
// keeps the return address, the caller's frame pointer and instance, and now names the callee. The callee's
// results land at the frame's first slots, where the frame's caller expects the results of the function it called.
// No frame is pushed: a chain of tail calls runs in constant stack. Inlined into the generated handlers.

/// A tail call of a function of the same module (Wasm code of the current instance).
@inline(__always)
func doInternalTailCall(_ pcp: PPc, _ fpp: PFp, _ st: St, _ callee: UnsafeMutablePointer<FunctionEntry>,
                        _ base: Int) -> UInt64 {
  let fp = fpp.pointee
  // The callee's frame may be larger than the caller's.
  guard _fastPath(fp + callee.pointee.frameSize <= st.pointee.stackEnd) else {
    return trap(pcp, st, .callStackExhausted)
  }
  copySlots(fp, fp + base, callee.pointee.paramCount)  // forward: the source lies above the destination
  (st.pointee.frameTop - 1).pointee.function = callee
  let code = afterConstantPrologue(callee.pointee.code.unsafelyUnwrapped, fp, st)
  pcp.pointee = code
  return code.pointee
}

/// A tail call of any function: a host function (called, then the frame returns its results), another instance's
/// code (the instance switches until the frame returns) or this instance's.
@inline(__always)
func doTailCall(_ pcp: PPc, _ fpp: PFp, _ st: St, _ callee: UnsafeMutablePointer<FunctionEntry>, _ base: Int) -> UInt64 {
  guard let code = callee.pointee.code else { return tailCallHost(pcp, fpp, st, callee, base) }
  let fp = fpp.pointee
  guard _fastPath(fp + callee.pointee.frameSize <= st.pointee.stackEnd) else {
    return trap(pcp, st, .callStackExhausted)
  }
  copySlots(fp, fp + base, callee.pointee.paramCount)
  (st.pointee.frameTop - 1).pointee.function = callee
  switchInstance(to: callee, st)
  let entry = afterConstantPrologue(code, fp, st)
  pcp.pointee = entry
  return entry.pointee
}

/// A tail call of a host function: called with its arguments where they are, then its results move to the frame's
/// first slots and the frame returns.
@inline(never)
func tailCallHost(_ pcp: PPc, _ fpp: PFp, _ st: St, _ callee: UnsafeMutablePointer<FunctionEntry>, _ base: Int) -> UInt64 {
  let fp = fpp.pointee
  let store = st.pointee.store.unsafelyUnwrapped.takeUnretainedValue()
  let guardedRun = swasm_guard_suspend()
  let code = store.callHostFunction(callee, args: fp + base, state: st)
  swasm_guard_resume(guardedRun)
  // The host function took the frame's place: the frame's own handlers do not see its exception.
  if code == .exception { return unwind(pcp, fpp, st, store.takeThrownByHost(), thrownAt: pcp.pointee, leavingFrame: true) }
  if code != .none { return trap(pcp, st, code) }
  copySlots(fp, fp + base, callee.pointee.resultCount)
  return doReturn(pcp, fpp, st)
}

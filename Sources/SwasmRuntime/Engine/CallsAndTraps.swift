import CSwasmGuard

// The parts of the handlers that calls, returns and traps share. All are inlined into the generated handlers.

/// Stops execution with `code`: records it and continues at the state's `halt` program.
@inline(__always)
func trap(_ pcp: PPc, _ st: St, _ code: TrapCode) -> UInt64 {
  st.pointee.trap = code
  let halt = st.pointee.haltPc
  pcp.pointee = halt
  return halt.pointee
}

@inline(__always)
func reloadMemory(_ st: St) {
  let memory = st.pointee.instance.pointee.memory
  st.pointee.memBase = memory.pointee.base
}

/// Sets the state's instance and what the state keeps of it for calls (its defined functions, its tables).
@inline(__always)
private func setInstance(_ instance: UnsafeMutablePointer<InstanceContext>, _ st: St) {
  st.pointee.instance = instance
  st.pointee.localFunctions = instance.pointee.localFunctions
  st.pointee.tables = instance.pointee.tables
}

/// Makes `instance` the current one: its functions, its tables and its memory 0.
@inline(__always)
func enterInstance(_ instance: UnsafeMutablePointer<InstanceContext>, _ st: St) {
  setInstance(instance, st)
  reloadMemory(st)
}

/// Goes back to an instance and memory base saved before a run (the base as it was: not reloaded).
@inline(__always)
func restoreInstance(_ saved: (UnsafeMutablePointer<InstanceContext>, UnsafeMutablePointer<UInt8>), _ st: St) {
  setInstance(saved.0, st)
  st.pointee.memBase = saved.1
}

/// Makes the Wasm function `callee`'s instance the current one (its memory too), when it is another's.
@inline(__always)
func switchInstance(to callee: UnsafeMutablePointer<FunctionEntry>, _ st: St) {
  let instance = callee.pointee.instance.unsafelyUnwrapped
  if _slowPath(instance != st.pointee.instance) { enterInstance(instance, st) }
}

/// Calls `callee` with its arguments already in place at `fp + base` (the callee's frame starts there, so
/// arguments are never copied). Host functions take the slow path.
@inline(__always)
func doCall(_ pcp: PPc, _ fpp: PFp, _ st: St, _ callee: UnsafeMutablePointer<FunctionEntry>, _ base: Int,
            _ returnPc: Pc) -> UInt64 {
  let fp = fpp.pointee
  let newFp = fp + base
  guard let code = callee.pointee.code else { return callHost(pcp, fpp, st, callee, newFp, returnPc) }
  let frame = st.pointee.frameTop
  guard _fastPath(newFp + callee.pointee.frameSize <= st.pointee.stackEnd && frame < st.pointee.frameEnd) else {
    return trap(pcp, st, .callStackExhausted)
  }
  frame.pointee = CallFrame(returnPc: returnPc, callerFp: fp, callerInstance: st.pointee.instance, function: callee)
  st.pointee.frameTop = frame + 1
  switchInstance(to: callee, st)
  let entry = afterConstantPrologue(code, newFp, st)
  fpp.pointee = newFp
  pcp.pointee = entry
  return entry.pointee
}

/// A call to a function of the same module: Wasm code of the current instance, so no host function and no
/// instance switch. The callee's prologue (zero_slots, init_consts) sets up its locals and constants.
@inline(__always)
func doInternalCall(_ pcp: PPc, _ fpp: PFp, _ st: St, _ callee: UnsafeMutablePointer<FunctionEntry>, _ base: Int,
                    _ returnPc: Pc) -> UInt64 {
  let fp = fpp.pointee
  let newFp = fp + base
  let frame = st.pointee.frameTop
  guard _fastPath(newFp + callee.pointee.frameSize <= st.pointee.stackEnd && frame < st.pointee.frameEnd) else {
    return trap(pcp, st, .callStackExhausted)
  }
  frame.pointee = CallFrame(returnPc: returnPc, callerFp: fp, callerInstance: st.pointee.instance, function: callee)
  st.pointee.frameTop = frame + 1
  let code = afterConstantPrologue(callee.pointee.code.unsafelyUnwrapped, newFp, st)
  fpp.pointee = newFp
  pcp.pointee = code
  return code.pointee
}

/// Where a call enters `code` with the frame `fp`: when the code starts with its constant prologue
/// (`init_consts rd count`, which the verifier keeps inside the frame), the call writes the constants itself and
/// enters after it, one dispatch fewer per call.
@inline(__always)
func afterConstantPrologue(_ code: Pc, _ fp: Fp, _ st: St) -> Pc {
  guard code.pointee == st.pointee.initConstsHeader else { return code }
  let operands = code[1]
  let count = Int(truncatingIfNeeded: operands >> 16 & 0xFFFF_FFFF)
  copySlots(fp + Int(truncatingIfNeeded: operands & 0xFFFF), code + 2, count)
  return code + 2 + count
}

/// Returns to the caller; the results are already in the callee's first slots, which are the caller's
/// argument slots.
@inline(__always)
func doReturn(_ pcp: PPc, _ fpp: PFp, _ st: St) -> UInt64 {
  let frame = st.pointee.frameTop - 1
  st.pointee.frameTop = frame
  let instance = frame.pointee.callerInstance
  if _slowPath(instance != st.pointee.instance) { enterInstance(instance, st) }
  fpp.pointee = frame.pointee.callerFp
  let pc = frame.pointee.returnPc
  pcp.pointee = pc
  return pc.pointee
}

/// Calls a host function from Wasm code. Its arguments are at `args`; it writes its results there. An exception
/// it throws is thrown from the call.
@inline(never)
func callHost(_ pcp: PPc, _ fpp: PFp, _ st: St, _ callee: UnsafeMutablePointer<FunctionEntry>, _ args: Fp,
              _ returnPc: Pc) -> UInt64 {
  let store = st.pointee.store.unsafelyUnwrapped.takeUnretainedValue()
  let guardedRun = swasm_guard_suspend()
  let code = store.callHostFunction(callee, args: args, state: st, caller: (fpp.pointee, returnPc))
  swasm_guard_resume(guardedRun)
  if code == .exception { return unwind(pcp, fpp, st, store.takeThrownByHost(), thrownAt: returnPc - 1) }
  if code != .none { return trap(pcp, st, code) }
  reloadMemory(st)
  pcp.pointee = returnPc
  return returnPc.pointee
}

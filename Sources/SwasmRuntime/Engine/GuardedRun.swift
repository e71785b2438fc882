import CSwasmGuard

/// What a guarded run of the interpreter needs, handed to the C guard as one pointer.
private struct GuardedEntry {
  let pc: Pc
  let fp: Fp
  let st: St
  let threaded: Bool
}

private let runEntry: swasm_guarded_body = { raw in
  let entry = raw.assumingMemoryBound(to: GuardedEntry.self).pointee
  if entry.threaded { runThreaded(entry.pc, entry.fp, entry.st) } else { runSwitchLoop(entry.pc, entry.fp, entry.st) }
}

/// Runs the interpreter from `pc` with frame `fp`. Loads and stores do not check bounds (see `LinearMemory`):
/// when one faults past the end of the current memory, the run stops there and the state records the trap,
/// exactly as if the handler had trapped. The frames above the entry are unwound by the caller, as for any trap.
func runInterpreter(_ pc: Pc, _ fp: Fp, _ st: St, threaded: Bool) {
  var entry = GuardedEntry(pc: pc, fp: fp, st: st, threaded: threaded)
  let faulted = withUnsafeMutablePointer(to: &entry) { entryPointer in
    // The fault handler reads the memory base the interpreter is using at the time of the fault.
    swasm_run_guarded(runEntry, entryPointer, st.pointer(to: \.memBase)!)
  }
  if faulted { st.pointee.trap = .outOfBoundsMemoryAccess }
}

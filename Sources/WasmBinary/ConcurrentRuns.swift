import Dispatch

/// Calls `body(&state, i)` for every `i` in `0..<count`: on one thread, in order, or, with `threads` above one, on
/// that many at once, in runs of consecutive indices that the threads take as they finish the last (with one run
/// per thread, the thread given python.wasm's larger functions finished a tenth of a second after the other).
/// Each run makes its own `state` (a validator whose buffers it reuses) and stops at its first error. Returns the
/// failure with the lowest index, as one thread would meet it, or nil. For work on function bodies, which are
/// independent: validation, and translation of a module whole.
public func inConcurrentRuns<State>(_ count: Int, threads: Int, state makeState: () -> State,
                                    _ body: (inout State, Int) throws -> Void) -> (index: Int, error: Error)? {
  let runs = threads <= 1 ? 1 : min(count, threads * 64)
  let runLength = runs == 0 ? 0 : (count + runs - 1) / runs
  let failures = UnsafeMutableBufferPointer<(index: Int, error: Error)?>.allocate(capacity: max(runs, 1))
  failures.initialize(repeating: nil)
  defer {
    _ = failures.deinitialize()
    failures.deallocate()
  }
  func run(_ run: Int) {
    var state = makeState()
    for i in min(count, run * runLength)..<min(count, (run + 1) * runLength) {
      do {
        try body(&state, i)
      } catch {
        failures[run] = (i, error)
        return
      }
    }
  }
  // concurrentPerform hands the runs out in order, each to the next free thread.
  if runs <= 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: runs, execute: run) }
  return failures.lazy.compactMap { $0 }.first
}

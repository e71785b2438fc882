#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Atomics
import Synchronization

/// Stops a store's running guest call from another thread, with no cost to the guest until it is used.
///
/// How: the guest is stopped at its next loop iteration or call, and neither checks anything in the hot path.
/// Interrupting *arms* the store: the first instruction of every loop (each target of a backward branch, recorded
/// as code is loaded) is overwritten with `interrupted`, which traps, and the value stack's end is moved to its
/// start, so that the next call, tail call or lazily loaded function fails its stack check (the store then
/// reports the interruption rather than an exhausted stack: `stackLimitTrap`). When the outermost call ends,
/// the store disarms: the instructions and the stack end are put back. A guest blocked in a host function stops
/// when the function returns to it; a loop made only of throws and catches stops at its next throw.
public final class InterruptHandle: @unchecked Sendable {
  /// Armed: set while the store's code is patched (read by the slow paths that must tell an interruption from
  /// their own failure).
  let flag = UnsafeAtomic<Bool>.create(false)
  /// Held while arming, disarming, recording loop headers and marking calls (the store's thread does those,
  /// another thread arms).
  private let lock = Mutex(())
  private var sites = InterruptionSites()

  deinit { flag.destroy() }

  /// Makes the running guest call trap with `TrapCode.interrupted` at its next loop iteration or call. When no
  /// call runs, nothing happens: the next call is not stopped by an interruption meant for an earlier one.
  public func interrupt() {
    lock.withLock { _ in
      // The call seen running is the one armed, and it disarms when it ends.
      guard sites.running, !flag.load(ordering: .relaxed) else { return }
      arm()
    }
  }

  /// A deadline: interrupts the call that runs once `delay` has passed, from a thread of its own; when none
  /// runs then, nothing happens (the next call is not stopped by a deadline meant for an earlier one). A guest
  /// waiting in a host call stops when the call returns.
  public func interrupt(after delay: Duration) {
    final class Deadline {
      let handle: InterruptHandle
      let delay: Duration
      init(_ handle: InterruptHandle, _ delay: Duration) {
        self.handle = handle
        self.delay = delay
      }
    }
    let context = Unmanaged.passRetained(Deadline(self, delay)).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(&thread, nil, { argument in
      let deadline = Unmanaged<Deadline>.fromOpaque(argument!).takeRetainedValue()
      let (seconds, attoseconds) = deadline.delay.components
      var wait = timespec(tv_sec: Int(max(0, seconds)), tv_nsec: Int(max(0, attoseconds) / 1_000_000_000))
      var left = timespec()
      while nanosleep(&wait, &left) != 0 && errno == EINTR { wait = left }
      deadline.handle.interrupt()
      return nil
    }, context)
    if created == 0 {
      pthread_detach(thread)
    } else {
      Unmanaged<Deadline>.fromOpaque(context).release()
      interrupt()  // no thread to wait with: interrupt at once rather than never
    }
  }

  // MARK: the store's side

  /// Called once by the store: its interpreter state, and the `interrupted` instruction in its dispatch form.
  func attach(state: St, interruptedWord: UInt64) {
    lock.withLock { _ in
      sites.state = state
      sites.interruptedWord = interruptedWord
    }
  }

  /// Records the first instruction of each loop of newly loaded code. Code loaded while armed is not patched:
  /// it is reached only through a call, which the moved stack end stops.
  func recordLoopHeaders(_ headers: [Pc]) {
    guard !headers.isEmpty else { return }
    lock.withLock { _ in sites.loopHeaders += headers }
  }

  /// The store's outermost call starts. (An uncontended lock: a few nanoseconds per call from the host.)
  func callStarted() { lock.withLock { _ in sites.running = true } }

  /// The store's outermost call ended: puts the code back if an interruption armed it.
  func callEnded() {
    lock.withLock { _ in
      sites.running = false
      disarm()
    }
  }

  /// The store is going away: nothing of it may be patched any more (the handle may live on).
  func detach() {
    lock.withLock { _ in
      disarm()
      sites = InterruptionSites()
    }
  }

  /// Patches every loop header and moves the stack end (under the lock).
  private func arm() {
    guard let state = sites.state else { return }
    flag.store(true, ordering: .sequentiallyConsistent)
    sites.savedStackEnd = state.pointee.stackEnd
    state.pointee.stackEnd = state.pointee.stackStart
    sites.savedWords = sites.loopHeaders.map { $0.pointee }
    for header in sites.loopHeaders { header.pointee = sites.interruptedWord }
  }

  /// Undoes `arm` (under the lock); nothing when not armed.
  private func disarm() {
    guard flag.load(ordering: .relaxed), let state = sites.state, let stackEnd = sites.savedStackEnd else { return }
    for (header, word) in zip(sites.loopHeaders, sites.savedWords) { header.pointee = word }
    state.pointee.stackEnd = stackEnd
    sites.savedWords = []
    sites.savedStackEnd = nil
    flag.store(false, ordering: .sequentiallyConsistent)
  }
}

/// What arming patches: the store's loop headers and its stack end, and what they held before; and whether a
/// call from the host into the store runs (only then is there something to interrupt).
struct InterruptionSites {
  var running = false
  var state: St?
  var interruptedWord: UInt64 = 0
  var loopHeaders: [Pc] = []
  var savedWords: [UInt64] = []
  var savedStackEnd: UnsafeMutablePointer<UInt64>?
}

/// The trap a stopped run reports: `reported`, except that a stack check that failed while an interruption had
/// moved the stack's end (`InterruptHandle`) is the interruption. (Decided here, after the run, so that the
/// handlers' stack checks trap with a constant and stay as small as they were.)
func stackLimitTrap(_ st: St, reported: TrapCode) -> TrapCode {
  reported == .callStackExhausted && st.pointee.interrupt.load(ordering: .relaxed) ? .interrupted : reported
}

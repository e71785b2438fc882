import Glibc
import Synchronization

/// The thread that is ending the process, once one has begun to.
private let endingThread = Mutex<pthread_t?>(nil)

/// Called before the process exits: the first thread to call it goes on to end the process (and may call it
/// again); any other thread, say a wasi-threads thread that traps while the main thread exits, waits for the end
/// instead of reporting and exiting at the same time (two concurrent `exit` calls are undefined behaviour).
func claimTheEnd() {
  let me = pthread_self()
  let mine = endingThread.withLock { owner -> Bool in
    if owner == nil { owner = me }
    return pthread_equal(owner!, me) != 0
  }
  while !mine { pause() }
}

/// Ends the process with the guest's `status`, once (`claimTheEnd`), after what this process printed.
func exitWithGuestStatus(_ status: Int32) -> Never {
  claimTheEnd()
  fflush(stdout)
  exit(status)
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Atomics
import CSwasmAtomics

/// `memory.atomic.wait32/wait64` and `memory.atomic.notify`: threads waiting on an address of a shared memory
/// until another notifies it. One lock and one list for the whole process (waits are rare and short-lived); each
/// waiter sleeps on a condition variable of its own, so that a notify wakes exactly the waiters it counts, oldest
/// first, as the proposal requires.
enum WaitQueues {
  final class Waiter {
    let address: UnsafeRawPointer
    var woken = false
    var condition = pthread_cond_t()
    init(address: UnsafeRawPointer) {
      self.address = address
      pthread_cond_init(&condition, nil)
    }
    deinit { pthread_cond_destroy(&condition) }
  }

  nonisolated(unsafe) static var lock: pthread_mutex_t = {
    var lock = pthread_mutex_t()
    pthread_mutex_init(&lock, nil)
    return lock
  }()
  nonisolated(unsafe) static var waiters: [Waiter] = []
  /// How often a waiting thread looks whether its store was interrupted (a wait may last forever otherwise).
  static let interruptionPollNanoseconds: Int64 = 20_000_000
}

/// What `atomicWait` returns when an interruption (`InterruptHandle`) stopped the wait: the handler traps.
let waitInterrupted: UInt32 = 3

/// memory.atomic.wait: 1 when the value at `address` is not `expected` (compared at `width` bytes), else waits
/// until notified (0) or until `timeout` nanoseconds have passed (2; a negative timeout waits without end). The
/// caller checked bounds, alignment and that the memory is shared. A waiting thread looks at its store's
/// interruption flag every `interruptionPollNanoseconds` and gives up with `waitInterrupted` when it is set.
func atomicWait(_ memory: UnsafeMutablePointer<MemoryStorage>, address: UInt64, expected: UInt64, width: Int,
                timeout: Int64, interrupt: UnsafeAtomic<Bool>) -> UInt32 {
  let p = UnsafeRawPointer(memory.pointee.base + Int(address))
  pthread_mutex_lock(&WaitQueues.lock)
  defer { pthread_mutex_unlock(&WaitQueues.lock) }
  let current = width == 4 ? UInt64(swasm_atomic_load32(p)) : swasm_atomic_load64(p)
  guard current == (width == 4 ? expected & 0xFFFF_FFFF : expected) else { return 1 }
  let waiter = WaitQueues.Waiter(address: p)
  WaitQueues.waiters.append(waiter)
  let start = nanosecondsNow()
  let end = timeout >= 0 && timeout < Int64.max - start ? start + timeout : Int64.max
  var result: UInt32 = 0
  while !waiter.woken {
    let now = nanosecondsNow()
    if now >= end {
      result = 2
      break
    }
    if interrupt.load(ordering: .relaxed) {
      result = waitInterrupted
      break
    }
    var slice = timespec(nanoseconds: min(end, now &+ WaitQueues.interruptionPollNanoseconds))
    _ = pthread_cond_timedwait(&waiter.condition, &WaitQueues.lock, &slice)
  }
  if waiter.woken { return 0 }
  WaitQueues.waiters.removeAll { $0 === waiter }
  return result
}

/// CLOCK_REALTIME (the clock pthread_cond_timedwait measures) in nanoseconds.
private func nanosecondsNow() -> Int64 {
  var now = timespec()
  clock_gettime(CLOCK_REALTIME, &now)
  return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
}

private extension timespec {
  init(nanoseconds: Int64) {
    self.init(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
  }
}

/// memory.atomic.notify: wakes up to `count` threads waiting on `address`, oldest first; returns how many. On a
/// memory that is not shared nobody can wait: 0.
func atomicNotify(_ memory: UnsafeMutablePointer<MemoryStorage>, address: UInt64, count: UInt32) -> UInt32 {
  guard memory.pointee.isShared, count > 0 else { return 0 }
  let p = UnsafeRawPointer(memory.pointee.base + Int(address))
  pthread_mutex_lock(&WaitQueues.lock)
  defer { pthread_mutex_unlock(&WaitQueues.lock) }
  var woken: UInt32 = 0
  WaitQueues.waiters.removeAll { waiter in
    guard woken < count, waiter.address == p else { return false }
    waiter.woken = true
    pthread_cond_signal(&waiter.condition)
    woken += 1
    return true
  }
  return woken
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
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
}

/// memory.atomic.wait: 1 when the value at `address` is not `expected` (compared at `width` bytes), else waits
/// until notified (0) or until `timeout` nanoseconds have passed (2; a negative timeout waits without end). The
/// caller checked bounds, alignment and that the memory is shared.
func atomicWait(_ memory: UnsafeMutablePointer<MemoryStorage>, address: UInt64, expected: UInt64, width: Int,
                timeout: Int64) -> UInt32 {
  let p = UnsafeRawPointer(memory.pointee.base + Int(address))
  pthread_mutex_lock(&WaitQueues.lock)
  defer { pthread_mutex_unlock(&WaitQueues.lock) }
  let current = width == 4 ? UInt64(swasm_atomic_load32(p)) : swasm_atomic_load64(p)
  guard current == (width == 4 ? expected & 0xFFFF_FFFF : expected) else { return 1 }
  let waiter = WaitQueues.Waiter(address: p)
  WaitQueues.waiters.append(waiter)
  var deadline = timespec()
  if timeout >= 0 {
    clock_gettime(CLOCK_REALTIME, &deadline)
    let total = Int64(deadline.tv_nsec) + timeout % 1_000_000_000
    deadline.tv_sec += Int(timeout / 1_000_000_000 + total / 1_000_000_000)
    deadline.tv_nsec = Int(total % 1_000_000_000)
  }
  while !waiter.woken {
    if timeout < 0 {
      pthread_cond_wait(&waiter.condition, &WaitQueues.lock)
    } else if pthread_cond_timedwait(&waiter.condition, &WaitQueues.lock, &deadline) == ETIMEDOUT {
      break
    }
  }
  if waiter.woken { return 0 }
  WaitQueues.waiters.removeAll { $0 === waiter }
  return 2
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

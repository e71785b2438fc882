import Foundation
@testable import SwasmRuntime
import WasmBinary
import XCTest

/// memory.atomic.wait and notify between threads (the runtime's wait queues, as the handlers call them: a store
/// runs on one thread, so two threads waiting on one shared memory are two callers of these functions).
final class AtomicWaitTests: XCTestCase {
  func sharedMemory() throws -> (Store, UnsafeMutablePointer<MemoryStorage>) {
    let store = Store()
    let memory = try store.createMemory(type: MemoryType(limits: Limits(min: 1, max: 1), isShared: true))
    return (store, memory.storage)
  }

  func testWaitComparesTimesOutAndIsWokenByNotify() throws {
    let (store, memory) = try sharedMemory()
    defer { withExtendedLifetime(store) {} }
    let flag = store.interruptHandle.flag  // the store's interruption, which waits look at
    UnsafeMutableRawPointer(memory.pointee.base).storeBytes(of: UInt32(5), as: UInt32.self)
    XCTAssertEqual(atomicWait(memory, address: 0, expected: 4, width: 4, timeout: -1, interrupt: flag), 1, "not equal: at once")
    let started = ContinuousClock.now
    XCTAssertEqual(atomicWait(memory, address: 0, expected: 5, width: 4, timeout: 20_000_000, interrupt: flag), 2, "timed out")
    XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(20))
    XCTAssertEqual(atomicNotify(memory, address: 0, count: 10), 0, "nobody waits")

    // Two waiters on address 8, one on 16: a notify of 8 with count 1 wakes exactly one, then the other.
    final class Results: @unchecked Sendable {
      var values: [UInt32] = []
      let lock = NSLock()
    }
    let results = Results()
    let memoryAddress = UInt(bitPattern: memory)
    var threads: [Thread] = []
    for address in [8, 8, 16] as [UInt64] {
      let thread = Thread {
        let memory = UnsafeMutablePointer<MemoryStorage>(bitPattern: memoryAddress)!
        let result = atomicWait(memory, address: address, expected: 0, width: 8, timeout: 5_000_000_000, interrupt: flag)
        results.lock.lock()
        results.values.append(result)
        results.lock.unlock()
      }
      threads.append(thread)
      thread.start()
    }
    func waiting() -> Int {
      pthread_mutex_lock(&WaitQueues.lock)
      defer { pthread_mutex_unlock(&WaitQueues.lock) }
      return WaitQueues.waiters.count
    }
    while waiting() < 3 { usleep(1000) }
    XCTAssertEqual(atomicNotify(memory, address: 8, count: 1), 1)
    XCTAssertEqual(atomicNotify(memory, address: 8, count: 5), 1)
    XCTAssertEqual(atomicNotify(memory, address: 16, count: 1), 1)
    while true {
      results.lock.lock()
      let done = results.values.count == 3
      results.lock.unlock()
      if done { break }
      usleep(1000)
    }
    XCTAssertEqual(results.values, [0, 0, 0], "all three woken, none timed out")
    XCTAssertEqual(waiting(), 0)
  }
}

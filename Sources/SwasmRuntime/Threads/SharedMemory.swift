import Synchronization

/// A shared memory (the threads proposal's `shared` limits flag) outlives the store that made it: every store that
/// imports it keeps this owner alive, and the last one to go releases the memory. Stores on different threads
/// use it at once; what they may do to it concurrently:
/// - loads, stores and atomics: any thread, any time (the bytes are plain host memory; atomics are host atomics);
/// - growth: serialised by `growthLock`. A shared memory never moves: a 32-bit one reserves all it can address,
///   a 64-bit one reserves its maximum up front and cannot grow past that reservation. So a thread that has not
///   seen a growth yet still reads and writes valid bytes, and sees the new size at its next `memory.size`;
/// - its size (`byteCount`) only increases, and is written after the system call that made the new pages
///   accessible (which orders the two for other threads).
///
/// A store on another thread finds the owner through the memory (`MemoryStorage.sharedOwner`), never through the
/// store that made it.
final class SharedMemoryOwner: @unchecked Sendable {
  let storage: UnsafeMutablePointer<MemoryStorage>

  init(_ storage: UnsafeMutablePointer<MemoryStorage>) {
    self.storage = storage
  }

  deinit {
    LinearMemory.release(storage.pointee.base, reservation: storage.pointee.reservedBytes)
    storage.deallocate()
  }

  /// Held while any shared memory grows (growth is rare, so one lock serves them all).
  static let growthLock = Mutex(())
}

extension Store {
  /// The owner of `memory` when it is a shared memory this store made or imported.
  func sharedOwner(of memory: UnsafeMutablePointer<MemoryStorage>) -> SharedMemoryOwner? {
    owned.sharedMemories.first { $0.storage == memory }
  }
}

import Atomics

/// The start of an exception object; its payload follows (one 64-bit slot per value, two per v128). An `exnref` is
/// the object's address.
struct ExceptionHeader {
  var tag: UnsafeMutablePointer<TagEntry>
  var payloadSlots: Int
  /// Host references to the object (`WasmException`s), which keep it alive. Atomic: a `WasmException` may be
  /// released on any thread.
  var pins: UnsafeAtomic<Int>.Storage
}

extension UnsafeMutablePointer where Pointee == ExceptionHeader {
  var payload: UnsafeMutablePointer<UInt64> {
    UnsafeMutableRawPointer(self + 1).assumingMemoryBound(to: UInt64.self)
  }
  var pinCount: UnsafeAtomic<Int> { UnsafeAtomic(at: pointer(to: \.pins)!) }
  var reference: UInt64 { UInt64(UInt(bitPattern: self)) }

  init(reference: UInt64) {
    self = UnsafeMutablePointer(bitPattern: UInt(reference))!
  }
}

/// Where exnrefs may be kept: the roots of a collection.
struct ExceptionRoots {
  /// The value stack up to the top of the live frames (scanned conservatively: any slot holding an object's address
  /// keeps it).
  var stack: UnsafeBufferPointer<UInt64>
  /// Cells of exnref globals, and tables of exnrefs.
  var globals: [UnsafeMutablePointer<UInt64>]
  var tables: [UnsafeMutablePointer<TableStorage>]
  /// An exception in flight (0: none).
  var pending: UInt64
  /// Exnrefs held in GC objects' fields and elements.
  var inObjects: [UInt64] = []
}

/// The store's exception objects. Each `throw` allocates one; a catch that keeps no reference leaves it garbage.
/// Objects are freed by collections, run when the number of objects doubles since the last one (and at least every
/// 1,024): an object survives while a root or a surviving object's payload refers to it, or the host holds a
/// `WasmException` of it. The value stack is scanned conservatively (a number that happens to equal an object's
/// address keeps it), which frees less, never too much: a guest that throws and catches forever runs in bounded
/// memory.
final class ExceptionHeap {
  private(set) var objects: [UnsafeMutablePointer<ExceptionHeader>] = []
  private var collectAt = 1024

  deinit {
    for object in objects { UnsafeMutableRawPointer(object).deallocate() }
  }

  /// A new object of `tag` whose payload is copied from `payload`; collects first when it is time. The new object
  /// is not pinned: the caller stores its reference where a root sees it, or pins it.
  func allocate(tag: UnsafeMutablePointer<TagEntry>, payload: UnsafePointer<UInt64>,
                roots: () -> ExceptionRoots) -> UnsafeMutablePointer<ExceptionHeader> {
    if objects.count >= collectAt { collect(roots()) }
    let slots = tag.pointee.payloadSlots
    let raw = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<ExceptionHeader>.stride + 8 * slots,
                                               alignment: MemoryLayout<ExceptionHeader>.alignment)
    let object = raw.bindMemory(to: ExceptionHeader.self, capacity: 1)
    object.initialize(to: ExceptionHeader(tag: tag, payloadSlots: slots, pins: .init(0)))
    UnsafeMutableRawPointer(object.payload).bindMemory(to: UInt64.self, capacity: slots).initialize(from: payload, count: slots)
    objects.append(object)
    return object
  }

  /// Frees every object that nothing refers to (mark from the roots, sweep).
  func collect(_ roots: ExceptionRoots) {
    objects.sort { $0.reference < $1.reference }
    guard let lowest = objects.first?.reference, let highest = objects.last?.reference else { return }
    var marked = [Bool](repeating: false, count: objects.count)
    var work: [Int] = []
    func mark(_ value: UInt64) {
      guard value >= lowest && value <= highest else { return }
      var low = 0, high = objects.count
      while low < high {
        let mid = (low + high) / 2
        if objects[mid].reference < value { low = mid + 1 } else { high = mid }
      }
      if low < objects.count, objects[low].reference == value, !marked[low] {
        marked[low] = true
        work.append(low)
      }
    }
    for slot in roots.stack { mark(slot) }
    for cell in roots.globals { mark(cell.pointee) }
    for table in roots.tables {
      for i in 0..<table.pointee.count { mark(table.pointee.elements[i]) }
    }
    mark(roots.pending)
    for reference in roots.inObjects { mark(reference) }
    for object in objects where object.pinCount.load(ordering: .acquiring) > 0 { mark(object.reference) }
    while let i = work.popLast() {
      let object = objects[i]
      for k in 0..<object.pointee.payloadSlots { mark(object.payload[k]) }
    }
    var survivors: [UnsafeMutablePointer<ExceptionHeader>] = []
    survivors.reserveCapacity(objects.count)
    for (i, object) in objects.enumerated() {
      if marked[i] { survivors.append(object) } else { UnsafeMutableRawPointer(object).deallocate() }
    }
    objects = survivors
    collectAt = max(1024, 2 * survivors.count)
  }
}

extension Store {
  /// How many exception objects the store holds now: those something refers to, and garbage not yet collected
  /// (for diagnostics: a guest that throws and catches in a loop keeps this bounded).
  public var exceptionObjectCount: Int { exceptions.objects.count }
}

import Atomics
import Synchronization

/// Where references to GC objects may be kept: the roots of a collection (StackRoots.swift finds them).
struct GCRoots {
  /// The references of the any or extern hierarchy in the frames of the calls in progress (by their stack maps),
  /// in host functions' arguments and in exception payloads (by their types). Each is checked against the heap's
  /// objects before it is followed: a stack map comes with code, which a forged cache file could make list a slot
  /// holding a number.
  var stack: [UInt64]
  /// Cells of globals and tables of references of the any or extern hierarchy, and element segments, which may
  /// hold GC references.
  var globals: [UnsafeMutablePointer<UInt64>]
  var tables: [UnsafeMutablePointer<TableStorage>]
  var segments: [UnsafeMutablePointer<SegmentStorage>]
}

/// The store's GC objects (structs and arrays): allocated zeroed, never moved, freed by a tracing collection
/// (mark from the roots, sweep) when the bytes allocated since the last one pass the larger of 16 MB and the
/// bytes that survived it. Objects refer to each other by address; a reference of the any hierarchy is 0 (null),
/// an odd number (an i31: the value shifted left by one) or an object's address. Roots are found precisely: by the
/// stack maps of the frames and the static types of globals, tables, fields and elements.
final class GCHeap {
  /// Every object, in allocation order until a collection sorts them by address.
  private(set) var objects: [UnsafeMutableRawPointer] = []
  private var bytesSinceCollection = 0
  private var collectAfter = 16 << 20
  /// Objects the host holds (`GCReference`), with their counts; locked: a reference may be dropped on any thread.
  private let pins = Mutex<[UnsafeMutableRawPointer: Int]>([:])
  /// No collection while set: instantiation allocates for constant expressions before their results are where
  /// the roots can see them.
  var collectionsPaused = false
  /// A collection before every allocation (slow; for tests and fuzzing, where a missed root then shows at once).
  var collectsOnEveryAllocation = false
  private(set) var collections = 0
  /// Bytes of the objects that survived the last collection.
  private(set) var liveBytes = 0
  /// The most bytes the heap held at once (objects and headers, garbage not collected yet included).
  private(set) var peakBytes = 0

  deinit {
    for object in objects { object.deallocate() }
  }

  /// The largest object: 2^31 bytes of data.
  static let maxDataBytes = 1 << 31

  /// A new object of `type` with `dataBytes` bytes of zeroed fields or elements (`length` elements for an
  /// array); nil when it is too large. Collects first when it is time; `roots` are asked for then.
  func allocate(_ type: UnsafeMutablePointer<GCTypeInfo>, dataBytes: Int, length: UInt32,
                roots: () -> GCRoots) -> UnsafeMutableRawPointer? {
    guard dataBytes <= Self.maxDataBytes else { return nil }
    if (bytesSinceCollection >= collectAfter || collectsOnEveryAllocation) && !collectionsPaused { collect(roots()) }
    let bytes = MemoryLayout<GCObjectHeader>.stride + dataBytes
    let object = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
    object.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
    object.gcHeader.initialize(to: GCObjectHeader(type: type, length: length, marked: 0))
    objects.append(object)
    bytesSinceCollection += bytes
    peakBytes = max(peakBytes, liveBytes + bytesSinceCollection)
    return object
  }

  func pin(_ object: UnsafeMutableRawPointer) { pins.withLock { $0[object, default: 0] += 1 } }
  func unpin(_ object: UnsafeMutableRawPointer) {
    pins.withLock { pins in
      guard let n = pins[object] else { return }
      pins[object] = n > 1 ? n - 1 : nil
    }
  }

  /// Whether `value` is the address of one of the objects (which `objects` holds sorted after a collection's
  /// first step).
  private func index(of value: UInt64, in sorted: [UnsafeMutableRawPointer]) -> Int? {
    guard value & 15 == 0, value != 0 else { return nil }
    var low = 0, high = sorted.count
    while low < high {
      let mid = (low + high) / 2
      if UInt64(UInt(bitPattern: sorted[mid])) < value { low = mid + 1 } else { high = mid }
    }
    return low < sorted.count && UInt64(UInt(bitPattern: sorted[low])) == value ? low : nil
  }

  /// Frees every object that no root and no surviving object refers to.
  func collect(_ roots: GCRoots) {
    collections += 1
    objects.sort { $0 < $1 }
    var work: [UnsafeMutableRawPointer] = []
    func markExact(_ object: UnsafeMutableRawPointer) {
      if object.gcHeader.pointee.marked == 0 {
        object.gcHeader.pointee.marked = 1
        work.append(object)
      }
    }
    /// A slot that holds a reference of the any or extern hierarchy, or may (a root found by its code's stack
    /// map, or a cell of a global, table or segment whose type says so): followed only if it is an object's address.
    func markIfObject(_ value: UInt64) {
      let candidate = value & ~(1 << 63)  // an externref that holds a GC reference has bit 63 set
      if let i = index(of: candidate, in: objects) { markExact(objects[i]) }
    }
    /// A slot that holds a reference of the any or extern hierarchy.
    func markReference(_ value: UInt64, _ storage: GCStorage) {
      switch storage {
      case .anyref:
        if value != 0 && value & 1 == 0 { markExact(UnsafeMutableRawPointer(bitPattern: UInt(value))!) }
      case .externref:
        // A host value (bit 63 clear) is no object; an externalized any reference is, unless null or an i31.
        if value & (1 << 63) != 0 { markReference(value & ~(1 << 63), .anyref) }
      default:
        break
      }
    }
    for value in roots.stack { markIfObject(value) }
    for cell in roots.globals { markIfObject(cell.pointee) }
    for table in roots.tables { for i in 0..<table.pointee.count { markIfObject(table.pointee.elements[i]) } }
    for segment in roots.segments {
      if let items = segment.pointee.bytes { for i in 0..<segment.pointee.count { markIfObject(items[i]) } }
    }
    for object in pins.withLock({ Array($0.keys) }) { markExact(object) }
    while let object = work.popLast() { Self.forEachReference(in: object, markReference) }
    var survivors: [UnsafeMutableRawPointer] = []
    survivors.reserveCapacity(objects.count)
    var survivingBytes = 0
    for object in objects {
      if object.gcHeader.pointee.marked != 0 {
        object.gcHeader.pointee.marked = 0
        survivors.append(object)
        survivingBytes += Self.dataBytes(object) + MemoryLayout<GCObjectHeader>.stride
      } else {
        object.deallocate()
      }
    }
    objects = survivors
    liveBytes = survivingBytes
    bytesSinceCollection = 0
    collectAfter = max(16 << 20, survivingBytes)
  }

  static func dataBytes(_ object: UnsafeMutableRawPointer) -> Int {
    let header = object.gcHeader.pointee
    return header.type.pointee.isArray ? header.type.pointee.size * Int(header.length) : header.type.pointee.size
  }

  /// Every exnref held in a field or an element of an object, live or garbage: roots of the exception heap's
  /// collections (so that an exception kept only in a GC object survives them).
  func forEachExceptionReference(_ body: (UInt64) -> Void) {
    for object in objects {
      Self.forEachReference(in: object) { value, storage in if storage == .exnref { body(value) } }
    }
  }

  /// Each field or element of `object` that holds a reference the collectors follow (of the any, extern or exn
  /// hierarchy), with its storage.
  private static func forEachReference(in object: UnsafeMutableRawPointer, _ body: (UInt64, GCStorage) -> Void) {
    let header = object.gcHeader.pointee
    let type = header.type.pointee
    guard type.tracesReferences else { return }
    if type.isArray {
      let elements = object.gcData.assumingMemoryBound(to: UInt64.self)
      for i in 0..<Int(header.length) { body(elements[i], type.storage[0]) }
    } else {
      for f in 0..<type.fieldCount where type.storage[f].isReference {
        body(object.gcData.load(fromByteOffset: type.offsets[f], as: UInt64.self), type.storage[f])
      }
    }
  }
}

extension Store {
  /// How many GC objects the store holds now (those something refers to, and garbage not yet collected), the
  /// most bytes its GC heap held at once, what survived the last collection, and how many collections ran:
  /// diagnostics, for tests and tools.
  public var gcObjectCount: Int { gc.objects.count }
  public var gcPeakBytes: Int { gc.peakBytes }
  /// Bytes of the objects that survived the last collection.
  public var gcLiveBytes: Int { gc.liveBytes }
  /// Whether a collection runs before every GC allocation, however little was allocated since the last: slow, for
  /// testing (a reference the collector does not see as a root is then freed at the first chance). Off by default.
  public var gcCollectsOnEveryAllocation: Bool {
    get { gc.collectsOnEveryAllocation }
    set { gc.collectsOnEveryAllocation = newValue }
  }
  public var gcCollections: Int { gc.collections }
}

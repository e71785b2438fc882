import Synchronization

/// A reference of the any hierarchy held by the host: an i31, or a GC object (a struct, an array, or a host value
/// turned into an anyref). While the host holds it the object stays alive (it is pinned: a root of the store's
/// collections) and may be passed back into the store it came from; dropping the last copy unpins it. Equal when
/// they refer to the same object or are the same i31.
public final class GCReference: Hashable, CustomStringConvertible, @unchecked Sendable {
  let store: Store
  /// The slot value: an odd number for an i31, else the object's address.
  let bits: UInt64

  init(store: Store, bits: UInt64) {
    self.store = store
    self.bits = bits
    if let object { store.gc.pin(object) }
  }

  deinit {
    if let object { store.gc.unpin(object) }
  }

  private var object: UnsafeMutableRawPointer? { bits & 1 == 0 ? UnsafeMutableRawPointer(bitPattern: UInt(bits)) : nil }

  /// The i31's value, sign-extended; nil for an object.
  public var i31: Int32? { bits & 1 == 1 ? Int32(truncatingIfNeeded: bits) >> 1 : nil }

  public static func == (a: GCReference, b: GCReference) -> Bool { a.store === b.store && a.bits == b.bits }
  public func hash(into hasher: inout Hasher) { hasher.combine(bits) }

  public var description: String { i31.map { "i31:\($0)" } ?? "object" }
}

extension Store {
  /// An i31 reference of `value`'s low 31 bits, for passing to a guest.
  public func i31Reference(_ value: Int32) -> GCReference {
    GCReference(store: self, bits: UInt64(UInt32(bitPattern: value) & 0x7FFF_FFFF) << 1 | 1)
  }
}

extension Store {
  /// The host value `value` (an externref's) as a reference of the any hierarchy: what `any.convert_extern` makes
  /// of it, a box that `extern.convert_any` opens again. Throws when `value` is out of an externref's range.
  public func anyReference(boxing value: UInt64) throws -> GCReference {
    guard value < 1 << 63 - 1 else { throw EmbeddingError("externref value out of range (host values are below 2^63 - 1)") }
    // A collection finds the roots of the frames in progress only from a safepoint: a host function's call, or no
    // Wasm code running (not, say, a memory growth limiter called in the middle of `memory.grow`).
    guard !runningWasmOutsideHostCall else { throw EmbeddingError("cannot allocate while Wasm code runs, outside a host function") }
    guard let box = gc.allocate(externBoxType, dataBytes: 8, length: 0, roots: { gcRoots(running: nil) }) else {
      throw EmbeddingError("allocation failed")
    }
    box.gcData.storeBytes(of: value + 1, as: UInt64.self)
    return GCReference(store: self, bits: UInt64(UInt(bitPattern: box)))
  }
}

extension GCReference {
  /// The host value a box made by `Store.anyReference(boxing:)` (or by `any.convert_extern`) holds; nil for an
  /// i31 or any other object.
  public var boxedValue: UInt64? {
    guard bits & 1 == 0, let object = UnsafeMutableRawPointer(bitPattern: UInt(bits)),
          object.gcHeader.pointee.type.pointee.typeID == 0 else { return nil }
    let slot = object.gcData.load(as: UInt64.self)
    return slot == 0 ? nil : slot - 1
  }
}

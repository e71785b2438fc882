import WasmBinary

/// How a field or an array element is stored in an object, and what its slot value means to the collector.
enum GCStorage: UInt8 {
  case i8, i16, i32, i64, f32, f64, v128
  /// References, by hierarchy: a funcref (a function entry), an externref (a host value, or a GC reference with
  /// bit 63 set), an exnref (an exception object), a reference of the any hierarchy (0, an i31, or a GC object).
  case funcref, externref, exnref, anyref

  init(_ storage: StorageType, _ types: StoreTypes) {
    switch storage {
    case .i8: self = .i8
    case .i16: self = .i16
    case .value(let t):
      switch t {
      case .i32: self = .i32
      case .i64: self = .i64
      case .f32: self = .f32
      case .f64: self = .f64
      case .v128: self = .v128
      case .ref(let r):
        switch types.top(of: r.heapType) {
        case .func: self = .funcref
        case .extern: self = .externref
        case .exn: self = .exnref
        default: self = .anyref
        }
      }
    }
  }

  /// Bytes the value takes in an object.
  var size: Int {
    switch self {
    case .i8: return 1
    case .i16: return 2
    case .i32, .f32: return 4
    case .v128: return 16
    default: return 8
    }
  }

  var isReference: Bool { rawValue >= GCStorage.funcref.rawValue }
}

/// What the engine knows of a struct or array type at run time, one per canonical type of the store (made when
/// a module with the type is instantiated): its layout, and its place among its supertypes for casts.
struct GCTypeInfo {
  /// The store's canonical id of the type.
  var typeID: Int
  var isArray: Bool
  /// A struct: the bytes of its fields; an array: the bytes of one element.
  var size: Int
  var fieldCount: Int
  /// Per field: its offset from the object's data, and its storage (for an array: one entry, the element).
  var offsets: UnsafeMutablePointer<Int>
  var storage: UnsafeMutablePointer<GCStorage>
  /// Whether a field (or the element) holds a reference the collector follows (any, extern or exn).
  var tracesReferences: Bool
}

/// The header of every GC object; its fields or elements follow, 16-byte aligned.
struct GCObjectHeader {
  var type: UnsafeMutablePointer<GCTypeInfo>
  /// An array's element count (0 for a struct).
  var length: UInt32
  /// Set while a collection marks.
  var marked: UInt32
}

extension UnsafeMutableRawPointer {
  var gcHeader: UnsafeMutablePointer<GCObjectHeader> { assumingMemoryBound(to: GCObjectHeader.self) }
  /// The object's fields or elements.
  var gcData: UnsafeMutableRawPointer { self + MemoryLayout<GCObjectHeader>.stride }
}

extension Store {
  /// The run-time description of type `id` (a struct or array type of the store), made on first use.
  func gcTypeInfo(_ id: Int) -> UnsafeMutablePointer<GCTypeInfo>? {
    if id < gcTypeInfos.count, let info = gcTypeInfos[id] { return info }
    let definition = types.definitions[id - 1]
    let fields: [FieldType]
    let isArray: Bool
    switch definition.composite {
    case .function: return nil
    case .structure(let f):
      fields = f
      isArray = false
    case .array(let element):
      fields = [element]
      isArray = true
    }
    let offsets = allocate(Int.self, fields.count)
    let storage = allocate(GCStorage.self, fields.count)
    var size = 0
    for (i, field) in fields.enumerated() {
      let s = GCStorage(field.storage, types)
      // Each field at a multiple of its size: natural alignment for every access.
      size = (size + s.size - 1) / s.size * s.size
      offsets[i] = isArray ? 0 : size
      storage[i] = s
      size += s.size
    }
    let info = allocate(GCTypeInfo.self, 1)
    info.initialize(to: GCTypeInfo(
      typeID: id, isArray: isArray, size: isArray ? storage[0].size : size, fieldCount: fields.count,
      offsets: offsets, storage: storage,
      tracesReferences: (0..<fields.count).contains { storage[$0] == .anyref || storage[$0] == .externref || storage[$0] == .exnref }))
    if gcTypeInfos.count <= id { gcTypeInfos += Array(repeating: nil, count: id + 1 - gcTypeInfos.count) }
    gcTypeInfos[id] = info
    return info
  }
}

extension ValueType {
  /// Whether a global or table of this type may hold a reference to a GC object (a reference of the any or extern
  /// hierarchy, or of a type index, which may name a struct or array type): what a collection takes as roots.
  var mayHoldGCReference: Bool {
    guard case .ref(let r) = self else { return false }
    guard case .abstract(let a) = r.heapType else { return true }
    return a.top == .any || a.top == .extern
  }
}

extension Store {
  /// The type of the objects that box a host value turned into an anyref (`any.convert_extern`): id 0, which no
  /// Wasm type has, one externref field.
  var externBoxType: UnsafeMutablePointer<GCTypeInfo> {
    if let type = externBox { return type }
    let offsets = allocate(Int.self, 1)
    offsets.initialize(to: 0)
    let storage = allocate(GCStorage.self, 1)
    storage.initialize(to: .externref)
    let type = allocate(GCTypeInfo.self, 1)
    type.initialize(to: GCTypeInfo(typeID: 0, isArray: false, size: 8, fieldCount: 1, offsets: offsets, storage: storage,
                                   tracesReferences: false))
    externBox = type
    return type
  }
}

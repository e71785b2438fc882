import SwasmBytecode
import WasmBinary

// What the GC instructions' handlers call (tools/isa/gc.py). Each returns the trap code, `.none` to go on.
// Besides what the specification traps on, each checks that the object is of the instruction's type (or a
// subtype): validated code always passes, and bytecode forged in a cache file cannot make a field or element be
// read as another type (a number as a reference).

@inline(__always) private func runningStore(_ st: St) -> Store { st.pointee.store.unsafelyUnwrapped.takeUnretainedValue() }

/// The run-time type of module type `index` of the running instance (nil: not a struct or array type).
@inline(__always) private func gcType(_ st: St, _ index: UInt32) -> UnsafeMutablePointer<GCTypeInfo>? {
  st.pointee.instance.pointee.gcTypes?[Int(index)]
}

/// The object `reference` points to, when it is an object of `type` or a subtype (nil for null: the caller traps).
@inline(__always) private func object(_ st: St, _ reference: UInt64, _ type: UnsafeMutablePointer<GCTypeInfo>)
  -> (UnsafeMutableRawPointer?, TrapCode)
{
  guard reference != 0 else { return (nil, .none) }
  guard reference & 15 == 0 else { return (nil, .invalidCachedCode) }
  let object = UnsafeMutableRawPointer(bitPattern: UInt(reference))!
  let actual = object.gcHeader.pointee.type
  guard actual == type || runningStore(st).types.isSubtype(id: actual.pointee.typeID, of: type.pointee.typeID) else {
    return (nil, .invalidCachedCode)
  }
  return (object, .none)
}

/// Writes the value in `slot` (two slots for a v128) as `storage` at `at`.
@inline(__always) func storeSlot(_ slot: UnsafeMutablePointer<UInt64>, _ storage: GCStorage, at: UnsafeMutableRawPointer) {
  switch storage {
  case .i8: at.storeBytes(of: UInt8(truncatingIfNeeded: slot[0]), as: UInt8.self)
  case .i16: at.storeBytes(of: UInt16(truncatingIfNeeded: slot[0]), as: UInt16.self)
  case .i32, .f32: at.storeBytes(of: UInt32(truncatingIfNeeded: slot[0]), as: UInt32.self)
  case .v128:
    at.storeBytes(of: slot[0], as: UInt64.self)
    (at + 8).storeBytes(of: slot[1], as: UInt64.self)
  default: at.storeBytes(of: slot[0], as: UInt64.self)
  }
}

extension GCTypeInfo {
  /// The frame slots a value of field `index` (or the element) takes: two for a v128, else one.
  func slots(ofField index: Int) -> Int { storage[index] == .v128 ? 2 : 1 }

  /// Writes a struct's fields, given in consecutive slots from `slots`, into its data.
  func storeFields(from slots: UnsafeMutablePointer<UInt64>, into data: UnsafeMutableRawPointer) {
    var slot = slots
    for f in 0..<fieldCount {
      storeSlot(slot, storage[f], at: data + offsets[f])
      slot += self.slots(ofField: f)
    }
  }

  /// Writes `count` array elements, given in consecutive slots from `slots`, into the array's data.
  func storeElements(_ count: Int, from slots: UnsafeMutablePointer<UInt64>, into data: UnsafeMutableRawPointer) {
    for i in 0..<count { storeSlot(slots + i * self.slots(ofField: 0), storage[0], at: data + i * size) }
  }

  /// Writes the value in `slot` into `count` array elements from element `first`.
  func fill(_ count: Int, with slot: UnsafeMutablePointer<UInt64>, from first: Int = 0, into data: UnsafeMutableRawPointer) {
    for i in first..<first + count { storeSlot(slot, storage[0], at: data + i * size) }
  }
}

/// Reads a `storage` value at `at` into `slot` (two for a v128), a packed one extended as `ext` says.
@inline(__always) private func load(_ at: UnsafeMutableRawPointer, _ storage: GCStorage, _ ext: GCInstruction.Extension,
                                    into slot: UnsafeMutablePointer<UInt64>) {
  switch storage {
  case .i8:
    let b = at.load(as: UInt8.self)
    slot[0] = ext == .signed ? UInt64(UInt32(bitPattern: Int32(Int8(bitPattern: b)))) : UInt64(b)
  case .i16:
    let h = at.load(as: UInt16.self)
    slot[0] = ext == .signed ? UInt64(UInt32(bitPattern: Int32(Int16(bitPattern: h)))) : UInt64(h)
  case .i32, .f32: slot[0] = UInt64(at.load(as: UInt32.self))
  case .v128:
    slot[0] = at.load(as: UInt64.self)
    slot[1] = (at + 8).load(as: UInt64.self)
  default: slot[0] = at.load(as: UInt64.self)
  }
}

/// A new object, collecting first when it is time: the running frame is `fp`, at the instruction after which the
/// code resumes at `resume` (its stack map's key).
private func allocate(_ st: St, _ fp: Fp, _ resume: Pc, _ type: UnsafeMutablePointer<GCTypeInfo>, dataBytes: Int,
                      length: UInt32) -> UnsafeMutableRawPointer? {
  let store = runningStore(st)
  return store.gc.allocate(type, dataBytes: dataBytes, length: length) { store.gcRoots(running: (fp, resume)) }
}

@inline(never)
func gcStructNew(_ st: St, _ fp: Fp, _ resume: Pc, rd: Int, base: Int, type: UInt32) -> TrapCode {
  guard let info = gcType(st, type), !info.pointee.isArray else { return .invalidCachedCode }
  guard let object = allocate(st, fp, resume, info, dataBytes: info.pointee.size, length: 0) else { return .allocationTooLarge }
  // (struct.new_default: the zeroed fields are the defaults.)
  if base >= 0 { info.pointee.storeFields(from: fp + base, into: object.gcData) }
  fp[rd] = UInt64(UInt(bitPattern: object))
  return .none
}

@inline(never)
func gcStructGet(_ st: St, _ fp: Fp, rd: Int, ra: Int, type: UInt32, field: UInt32, _ ext: GCInstruction.Extension) -> TrapCode {
  guard let info = gcType(st, type), Int(field) < info.pointee.fieldCount else { return .invalidCachedCode }
  let (found, code) = object(st, fp[ra], info)
  guard let found else { return code == .none ? .nullStructureReference : code }
  load(found.gcData + info.pointee.offsets[Int(field)], info.pointee.storage[Int(field)], ext, into: fp + rd)
  return .none
}

@inline(never)
func gcStructSet(_ st: St, _ fp: Fp, ra: Int, rv: Int, type: UInt32, field: UInt32) -> TrapCode {
  guard let info = gcType(st, type), Int(field) < info.pointee.fieldCount else { return .invalidCachedCode }
  let (found, code) = object(st, fp[ra], info)
  guard let found else { return code == .none ? .nullStructureReference : code }
  storeSlot(fp + rv, info.pointee.storage[Int(field)], at: found.gcData + info.pointee.offsets[Int(field)])
  return .none
}

/// A new array of `count` elements (a count that is no i32 is too large); its elements zeroed.
private func newArray(_ st: St, _ fp: Fp, _ resume: Pc, _ info: UnsafeMutablePointer<GCTypeInfo>, count: UInt64) -> UnsafeMutableRawPointer? {
  guard count <= UInt64(UInt32.max) else { return nil }
  return allocate(st, fp, resume, info, dataBytes: Int(count) * info.pointee.size, length: UInt32(count))
}

@inline(never)
func gcArrayNew(_ st: St, _ fp: Fp, _ resume: Pc, rd: Int, rv: Int, rn: Int, type: UInt32) -> TrapCode {
  guard let info = gcType(st, type), info.pointee.isArray else { return .invalidCachedCode }
  let count = Int(fp.i32(rn))
  guard let array = newArray(st, fp, resume, info, count: UInt64(count)) else { return .allocationTooLarge }
  if rv >= 0 { info.pointee.fill(count, with: fp + rv, into: array.gcData) }
  fp[rd] = UInt64(UInt(bitPattern: array))
  return .none
}

@inline(never)
func gcArrayNewFixed(_ st: St, _ fp: Fp, _ resume: Pc, rd: Int, base: Int, type: UInt32, count: Int) -> TrapCode {
  guard let info = gcType(st, type), info.pointee.isArray else { return .invalidCachedCode }
  guard let array = newArray(st, fp, resume, info, count: UInt64(count)) else { return .allocationTooLarge }
  info.pointee.storeElements(count, from: fp + base, into: array.gcData)
  fp[rd] = UInt64(UInt(bitPattern: array))
  return .none
}

/// The bytes of data segment `index` or the references of element segment `index` from `offset`, `count` of
/// them: nil when out of bounds.
private func segmentItems(_ st: St, _ index: UInt32, data: Bool, offset: UInt64, count: UInt64, size: Int)
  -> UnsafeRawPointer?
{
  let segment = data ? st.pointee.instance.pointee.dataSegments[Int(index)] : st.pointee.instance.pointee.elemSegments[Int(index)]
  let available = UInt64(segment.count)
  let itemSize = data ? 1 : 8
  guard offset <= available, count * UInt64(size) / UInt64(itemSize) <= available - offset,
        count.multipliedReportingOverflow(by: UInt64(size)).overflow == false else { return nil }
  if data { return segment.data.map { UnsafeRawPointer($0 + Int(offset)) } ?? UnsafeRawPointer(bitPattern: 16) }
  return segment.bytes.map { UnsafeRawPointer($0 + Int(offset)) } ?? UnsafeRawPointer(bitPattern: 16)
}

@inline(never)
func gcArrayNewFromSegment(_ st: St, _ fp: Fp, _ resume: Pc, rd: Int, rs: Int, rn: Int, type: UInt32, segment: UInt32, data: Bool) -> TrapCode {
  guard let info = gcType(st, type), info.pointee.isArray else { return .invalidCachedCode }
  let size = info.pointee.size, offset = UInt64(fp.i32(rs)), count = UInt64(fp.i32(rn))
  guard data || size == 8 else { return .invalidCachedCode }
  guard let items = segmentItems(st, segment, data: data, offset: offset, count: count, size: data ? size : 8) else {
    return data ? .outOfBoundsMemoryAccess : .outOfBoundsTableAccess
  }
  guard let array = newArray(st, fp, resume, info, count: count) else { return .allocationTooLarge }
  if count > 0 { array.gcData.copyMemory(from: items, byteCount: Int(count) * size) }
  fp[rd] = UInt64(UInt(bitPattern: array))
  return .none
}

/// The array `reference` points to and element `index`'s address; a trap code when null or out of bounds.
@inline(__always) private func element(_ st: St, _ reference: UInt64, _ index: UInt32, _ info: UnsafeMutablePointer<GCTypeInfo>)
  -> (UnsafeMutableRawPointer?, TrapCode)
{
  let (found, code) = object(st, reference, info)
  guard let found else { return (nil, code == .none ? .nullArrayReference : code) }
  guard index < found.gcHeader.pointee.length else { return (nil, .outOfBoundsArrayAccess) }
  return (found.gcData + Int(index) * info.pointee.size, .none)
}

@inline(never)
func gcArrayGet(_ st: St, _ fp: Fp, rd: Int, ra: Int, ri: Int, type: UInt32, _ ext: GCInstruction.Extension) -> TrapCode {
  guard let info = gcType(st, type), info.pointee.isArray else { return .invalidCachedCode }
  let (at, code) = element(st, fp[ra], fp.i32(ri), info)
  guard let at else { return code }
  load(at, info.pointee.storage[0], ext, into: fp + rd)
  return .none
}

@inline(never)
func gcArraySet(_ st: St, _ fp: Fp, ra: Int, ri: Int, rv: Int, type: UInt32) -> TrapCode {
  guard let info = gcType(st, type), info.pointee.isArray else { return .invalidCachedCode }
  let (at, code) = element(st, fp[ra], fp.i32(ri), info)
  guard let at else { return code }
  storeSlot(fp + rv, info.pointee.storage[0], at: at)
  return .none
}

@inline(never)
func gcArrayLen(_ fp: Fp, rd: Int, ra: Int) -> TrapCode {
  let reference = fp[ra]
  guard reference != 0 else { return .nullArrayReference }
  guard reference & 15 == 0 else { return .invalidCachedCode }
  let header = UnsafeMutableRawPointer(bitPattern: UInt(reference))!.gcHeader
  guard header.pointee.type.pointee.isArray else { return .invalidCachedCode }
  fp.setI32(rd, header.pointee.length)
  return .none
}

/// The array at `reference` when elements `index..<index + count` exist: a trap code when null or out of bounds.
private func range(_ st: St, _ reference: UInt64, _ index: UInt32, _ count: UInt32, _ info: UnsafeMutablePointer<GCTypeInfo>)
  -> (UnsafeMutableRawPointer?, TrapCode)
{
  let (found, code) = object(st, reference, info)
  guard let found else { return (nil, code == .none ? .nullArrayReference : code) }
  guard UInt64(index) + UInt64(count) <= UInt64(found.gcHeader.pointee.length) else { return (nil, .outOfBoundsArrayAccess) }
  return (found, .none)
}

@inline(never)
func gcArrayFill(_ st: St, _ fp: Fp, base: Int, type: UInt32) -> TrapCode {
  guard let info = gcType(st, type), info.pointee.isArray else { return .invalidCachedCode }
  let value = base + 2, count = fp.i32(value + info.pointee.slots(ofField: 0)), index = fp.i32(base + 1)
  let (array, code) = range(st, fp[base], index, count, info)
  guard let array else { return code }
  info.pointee.fill(Int(count), with: fp + value, from: Int(index), into: array.gcData)
  return .none
}

@inline(never)
func gcArrayCopy(_ st: St, _ fp: Fp, base: Int, destination: UInt32, source: UInt32) -> TrapCode {
  guard let to = gcType(st, destination), to.pointee.isArray, let from = gcType(st, source), from.pointee.isArray,
        to.pointee.storage[0] == from.pointee.storage[0] else { return .invalidCachedCode }
  let count = fp.i32(base + 4)
  let (target, code) = range(st, fp[base], fp.i32(base + 1), count, to)
  guard let target else { return code }
  let (origin, sourceCode) = range(st, fp[base + 2], fp.i32(base + 3), count, from)
  guard let origin else { return sourceCode }
  let size = to.pointee.size
  // Overlapping ranges of one array copy as if through a buffer (memmove).
  (target.gcData + Int(fp.i32(base + 1)) * size).copyMemory(from: origin.gcData + Int(fp.i32(base + 3)) * size,
                                                             byteCount: Int(count) * size)
  return .none
}

@inline(never)
func gcArrayInit(_ st: St, _ fp: Fp, base: Int, type: UInt32, segment: UInt32, data: Bool) -> TrapCode {
  guard let info = gcType(st, type), info.pointee.isArray else { return .invalidCachedCode }
  let size = info.pointee.size, index = fp.i32(base + 1), offset = UInt64(fp.i32(base + 2)), count = fp.i32(base + 3)
  guard data || size == 8 else { return .invalidCachedCode }
  let (array, code) = range(st, fp[base], index, count, info)
  guard let array else { return code }
  guard let items = segmentItems(st, segment, data: data, offset: offset, count: UInt64(count), size: data ? size : 8) else {
    return data ? .outOfBoundsMemoryAccess : .outOfBoundsTableAccess
  }
  if count > 0 { (array.gcData + Int(index) * size).copyMemory(from: items, byteCount: Int(count) * size) }
  return .none
}

/// Whether `value` (a reference of the target's hierarchy) is of the target type (`CastTarget`).
@inline(never)
func gcRefTest(_ st: St, _ value: UInt64, _ target: UInt32) -> Bool {
  guard value != 0 else { return target & CastTarget.nullable != 0 }
  if target & CastTarget.abstract != 0 {
    guard let type = AbstractHeapType(rawValue: UInt8(truncatingIfNeeded: target)) else { return false }
    // Of func, extern and exn, any non-null reference is of the top type and none of the bottom one.
    return type.top == .any ? anyValue(value, isOf: type) : !type.isBottom
  }
  let index = Int(target & ~(CastTarget.nullable | CastTarget.abstract))
  let store = runningStore(st)
  let expected = st.pointee.instance.pointee.typeIDs[index]
  if case .function = store.types.definitions[expected - 1].composite {
    guard let entry = UnsafeMutablePointer<FunctionEntry>(bitPattern: UInt(value)) else { return false }
    return store.types.isSubtype(id: entry.pointee.typeID, of: expected)
  }
  guard let actual = objectTypeID(value), actual != 0 else { return false }
  return store.types.isSubtype(id: actual, of: expected)
}

/// Whether `value`, a non-null reference of the any hierarchy (an i31 or an object), is of `type`, an abstract
/// type of that hierarchy. A boxed host value (`any.convert_extern`) is of `any` only.
func anyValue(_ value: UInt64, isOf type: AbstractHeapType) -> Bool {
  if type == .any { return true }
  guard let id = objectTypeID(value) else { return value & 1 != 0 && (type == .eq || type == .i31) }
  guard id != 0 else { return false }
  let isArray = UnsafeMutableRawPointer(bitPattern: UInt(value))!.gcHeader.pointee.type.pointee.isArray
  return type == .eq || (type == .struct && !isArray) || (type == .array && isArray)
}

/// The store's type id of the object `value` points to (0 for a boxed host value); nil for an i31 (or bits that
/// cannot be an object's address).
func objectTypeID(_ value: UInt64) -> Int? {
  guard value != 0, value & 15 == 0 else { return nil }
  return UnsafeMutableRawPointer(bitPattern: UInt(value))!.gcHeader.pointee.type.pointee.typeID
}

/// `any.convert_extern`: an externalized GC reference comes back as it was; a host value is boxed in an object of
/// its own (type id 0, not eq), so that it can travel as an anyref.
@inline(never)
func gcAnyConvertExtern(_ st: St, _ fp: Fp, _ resume: Pc, rd: Int, ra: Int) -> TrapCode {
  let value = fp[ra]
  if value == 0 || value & (1 << 63) != 0 {
    fp[rd] = value & ~(1 << 63)
    return .none
  }
  let store = runningStore(st)
  guard let box = allocate(st, fp, resume, store.externBoxType, dataBytes: 8, length: 0) else { return .allocationTooLarge }
  box.gcData.storeBytes(of: value, as: UInt64.self)
  fp[rd] = UInt64(UInt(bitPattern: box))
  return .none
}

/// `extern.convert_any`: a boxed host value comes out of its box; any other reference is marked with bit 63
/// (above every address), which `any.convert_extern` takes off.
func gcExternConvertAny(_ value: UInt64) -> UInt64 {
  guard value != 0 else { return 0 }
  if value & 15 == 0, let object = UnsafeMutableRawPointer(bitPattern: UInt(value)),
     object.gcHeader.pointee.type.pointee.typeID == 0 {
    return object.gcData.load(as: UInt64.self)
  }
  return value | (1 << 63)
}


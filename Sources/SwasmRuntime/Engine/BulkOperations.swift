#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Memory and table instructions that are not hot; the generated handlers call these out of line.

let wasmPageSize: UInt64 = 65536

/// memory.grow on a 32-bit memory 0: the old size in pages, or 0xFFFF_FFFF when the memory cannot grow.
@inline(never)
func memoryGrow(_ st: St, _ delta: UInt32) -> UInt32 {
  UInt32(truncatingIfNeeded: memoryGrow(st, memory: 0, by: UInt64(delta)))
}

/// Grows `memory` by `delta` pages (new pages read as zero). Returns the old page count, or nil when the
/// memory's maximum, `store`'s growth limiter or the system does not allow it.
func growMemory(_ memory: UnsafeMutablePointer<MemoryStorage>, by delta: UInt64, store: Store?) -> UInt64? {
  guard memory.pointee.isShared else { return growMemoryUnlocked(memory, by: delta, store: store) }
  // Other threads may grow it at the same time (SharedMemoryOwner).
  return SharedMemoryOwner.growthLock.withLock { _ in growMemoryUnlocked(memory, by: delta, store: store) }
}

/// growMemory, for a memory no other thread grows meanwhile.
private func growMemoryUnlocked(_ memory: UnsafeMutablePointer<MemoryStorage>, by delta: UInt64, store: Store?)
  -> UInt64?
{
  let old = memory.pointee.pageCount
  guard delta <= memory.pointee.maxPages, old <= memory.pointee.maxPages - delta else { return nil }
  if delta == 0 { return old }
  let new = old + delta
  guard new <= UInt64(Int.max) / wasmPageSize else { return nil }
  let newBytes = Int(new * wasmPageSize)
  if let store, let limiter = store.memoryGrowthLimiter,
     !limiter(Memory(store: store, storage: memory), Int(memory.pointee.byteCount), newBytes) {
    return nil
  }
  if newBytes > memory.pointee.reservedBytes {
    // Only a 64-bit memory outgrows its reservation (a 32-bit one reserves all it can address): it moves,
    // unless other threads use it.
    if memory.pointee.isShared { return nil }
    let reservation = max(newBytes, memory.pointee.reservedBytes.multipliedReportingOverflow(by: 2).partialValue)
    guard let base = LinearMemory.relocate(memory, newBytes: newBytes, reservation: reservation) else { return nil }
    memory.pointee.base = base
    memory.pointee.reservedBytes = reservation
  } else if !LinearMemory.commit(memory.pointee.base, from: Int(memory.pointee.byteCount), to: newBytes) {
    return nil
  }
  memory.pointee.byteCount = UInt64(newBytes)
  return old
}

/// `start + count <= size` for 64-bit operands, without overflow.
@inline(__always)
func inBounds(_ start: UInt64, _ count: UInt64, _ size: UInt64) -> Bool {
  start <= size && count <= size - start
}

// The bulk instructions, and memory.grow of a memory named by index (memory 0's memory.grow above comes here
// too; growth reloads the cached base of memory 0). Addresses and counts arrive as whole slots: an i32 sits
// zero-extended in its slot, so the same helpers serve 32-bit and 64-bit memories.

/// memory.grow: the old size in pages, or -1 of the memory's address type (0xFFFF_FFFF for a 32-bit memory).
@inline(never)
func memoryGrow(_ st: St, memory index: UInt32, by delta: UInt64) -> UInt64 {
  let memory = st.pointee.instance.pointee.memories[Int(index)]
  let result = growMemory(memory, by: delta, store: st.pointee.store?.takeUnretainedValue())
  // The memory may be the current instance's memory 0 (as another index, or a 64-bit one that moved).
  reloadMemory(st)
  return result ?? (memory.pointee.is64 ? UInt64.max : 0xFFFF_FFFF)
}

@inline(never)
func memoryFill(_ st: St, memory index: UInt32, _ dst: UInt64, _ value: UInt32, _ n: UInt64) -> TrapCode {
  let memory = st.pointee.instance.pointee.memories[Int(index)]
  guard inBounds(dst, n, memory.pointee.byteCount) else { return .outOfBoundsMemoryAccess }
  (memory.pointee.base + Int(dst)).update(repeating: UInt8(truncatingIfNeeded: value), count: Int(n))
  return .none
}

/// memory.copy between two memories, or within one (then the ranges may overlap).
@inline(never)
func memoryCopy(_ st: St, from srcIndex: UInt32, to dstIndex: UInt32, _ dst: UInt64, _ src: UInt64, _ n: UInt64)
  -> TrapCode
{
  let target = st.pointee.instance.pointee.memories[Int(dstIndex)]
  let source = st.pointee.instance.pointee.memories[Int(srcIndex)]
  guard inBounds(dst, n, target.pointee.byteCount), inBounds(src, n, source.pointee.byteCount) else {
    return .outOfBoundsMemoryAccess
  }
  memmove(target.pointee.base + Int(dst), source.pointee.base + Int(src), Int(n))
  return .none
}

@inline(never)
func memoryInit(_ st: St, memory index: UInt32, segment: UInt32, _ dst: UInt64, _ src: UInt32, _ n: UInt32)
  -> TrapCode
{
  let memory = st.pointee.instance.pointee.memories[Int(index)]
  let seg = st.pointee.instance.pointee.dataSegments[Int(segment)]
  guard inBounds(UInt64(src), UInt64(n), UInt64(seg.count)), inBounds(dst, UInt64(n), memory.pointee.byteCount) else {
    return .outOfBoundsMemoryAccess
  }
  if n > 0 { memmove(memory.pointee.base + Int(dst), seg.data! + Int(src), Int(n)) }
  return .none
}

@inline(never)
func dataDrop(_ st: St, _ segment: UInt32) {
  st.pointee.instance.pointee.dataSegments[Int(segment)].count = 0
}

/// table.grow: the old size, or -1 (0xFFFF_FFFF for a 32-bit table) when the table cannot grow.
@inline(never)
func tableGrow(_ st: St, _ table: UInt32, _ value: UInt64, _ delta: UInt64) -> UInt64 {
  let t = st.pointee.instance.pointee.tables[Int(table)]
  return growTable(t, by: delta, value: value) ?? (t.pointee.is64 ? UInt64.max : 0xFFFF_FFFF)
}

/// Grows table `t` by `delta` elements set to `value`; the old size, or nil when its maximum does not allow it.
func growTable(_ t: UnsafeMutablePointer<TableStorage>, by delta: UInt64, value: UInt64) -> UInt64? {
  let old = t.pointee.count
  // `max` is the declared maximum capped by the store's `maxTableElements` (newTable).
  let limit = min(t.pointee.max ?? UInt64.max, t.pointee.is64 ? UInt64.max : 0xFFFF_FFFF)
  guard delta <= limit, UInt64(old) <= limit - delta else { return nil }
  let new = old + Int(delta)
  if new > t.pointee.capacity {
    let capacity = max(new, t.pointee.capacity * 2)
    let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    elements.update(from: t.pointee.elements, count: old)
    t.pointee.elements.deallocate()
    t.pointee.elements = elements
    t.pointee.capacity = capacity
  }
  (t.pointee.elements + old).update(repeating: value, count: Int(delta))
  t.pointee.count = new
  return UInt64(old)
}

@inline(never)
func tableFill(_ st: St, _ table: UInt32, _ start: UInt64, _ value: UInt64, _ n: UInt64) -> TrapCode {
  let t = st.pointee.instance.pointee.tables[Int(table)]
  guard inBounds(start, n, UInt64(t.pointee.count)) else { return .outOfBoundsTableAccess }
  (t.pointee.elements + Int(start)).update(repeating: value, count: Int(n))
  return .none
}

@inline(never)
func tableCopy(_ st: St, _ dstTable: UInt32, _ srcTable: UInt32, _ dst: UInt64, _ src: UInt64, _ n: UInt64)
  -> TrapCode
{
  let d = st.pointee.instance.pointee.tables[Int(dstTable)]
  let s = st.pointee.instance.pointee.tables[Int(srcTable)]
  guard inBounds(dst, n, UInt64(d.pointee.count)), inBounds(src, n, UInt64(s.pointee.count)) else {
    return .outOfBoundsTableAccess
  }
  memmove(d.pointee.elements + Int(dst), s.pointee.elements + Int(src), Int(n) * 8)
  return .none
}

@inline(never)
func tableInit(_ st: St, _ table: UInt32, _ segment: UInt32, _ dst: UInt64, _ src: UInt32, _ n: UInt32)
  -> TrapCode
{
  let t = st.pointee.instance.pointee.tables[Int(table)]
  let seg = st.pointee.instance.pointee.elemSegments[Int(segment)]
  guard inBounds(UInt64(src), UInt64(n), UInt64(seg.count)), inBounds(dst, UInt64(n), UInt64(t.pointee.count)) else {
    return .outOfBoundsTableAccess
  }
  if n > 0 { memmove(t.pointee.elements + Int(dst), seg.bytes! + Int(src), Int(n) * 8) }
  return .none
}

@inline(never)
func elemDrop(_ st: St, _ segment: UInt32) {
  st.pointee.instance.pointee.elemSegments[Int(segment)].count = 0
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The bulk instructions and memory.grow on a memory named by index: any memory other than a 32-bit memory 0
// (multiple memories, memory64; tools/isa/memories.py). Addresses and counts arrive as whole slots: an i32 sits
// zero-extended in its slot, so the same helpers serve 32-bit and 64-bit memories. Each returns TrapCode.none or
// the trap.

/// memory.grow: the old size in pages, or -1 of the memory's address type (0xFFFF_FFFF for a 32-bit memory).
@inline(never)
func memoryGrow(_ st: St, memory index: UInt32, by delta: UInt64) -> UInt64 {
  let memory = st.pointee.instance.pointee.memories[Int(index)]
  let result = growMemory(memory, by: delta)
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

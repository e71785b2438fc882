/// Prologue helpers (`init_consts`, `zero_slots`): they write a few frame slots on every call, and a memmove or
/// memset call costs more than that (the call itself, and the registers the handler must save around it).

/// Four slots per step, then up to three: a shape the compiler does not turn back into a library call.
@inline(__always)
func copySlots(_ dst: UnsafeMutablePointer<UInt64>, _ src: UnsafePointer<UInt64>, _ count: Int) {
  var i = 0
  while i &+ 4 <= count {
    dst[i] = src[i]
    dst[i &+ 1] = src[i &+ 1]
    dst[i &+ 2] = src[i &+ 2]
    dst[i &+ 3] = src[i &+ 3]
    i &+= 4
  }
  let rest = count &- i
  if rest >= 1 { dst[i] = src[i] }
  if rest >= 2 { dst[i &+ 1] = src[i &+ 1] }
  if rest >= 3 { dst[i &+ 2] = src[i &+ 2] }
}

/// Up to eight slots straight-line (the compiler turns any zeroing loop into memset); more with memset.
@inline(__always)
func zeroSlots(_ dst: UnsafeMutablePointer<UInt64>, _ count: Int) {
  guard count <= 8 else {
    dst.update(repeating: 0, count: count)
    return
  }
  if count >= 1 { dst[0] = 0 }
  if count >= 2 { dst[1] = 0 }
  if count >= 3 { dst[2] = 0 }
  if count >= 4 { dst[3] = 0 }
  if count >= 5 { dst[4] = 0 }
  if count >= 6 { dst[5] = 0 }
  if count >= 7 { dst[6] = 0 }
  if count >= 8 { dst[7] = 0 }
}

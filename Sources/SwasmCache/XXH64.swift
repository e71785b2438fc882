/// XXH64 (xxHash, 64-bit, seed 0): the checksum of a cache file's payload. Not a defence against a forger (the
/// bytecode verifier is); it detects damage: a changed byte, a truncation, a torn write. `xxhsum -H1` computes it.
public func xxh64(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
  let p1: UInt64 = 0x9E37_79B1_85EB_CA87, p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F, p3: UInt64 = 0x1656_67B1_9E37_79F9
  let p4: UInt64 = 0x85EB_CA77_C2B2_AE63, p5: UInt64 = 0x27D4_EB2F_1656_67C5
  func round(_ acc: UInt64, _ input: UInt64) -> UInt64 { rotl(acc &+ input &* p2, 31) &* p1 }
  func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 { (acc ^ round(0, v)) &* p1 &+ p4 }
  func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
  func u32(_ at: Int) -> UInt64 { UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }

  let count = bytes.count
  var at = 0
  var h: UInt64
  if count >= 32 {
    var v1 = seed &+ p1 &+ p2, v2 = seed &+ p2, v3 = seed, v4 = seed &- p1
    while at + 32 <= count {
      v1 = round(v1, u64(at)); v2 = round(v2, u64(at + 8)); v3 = round(v3, u64(at + 16)); v4 = round(v4, u64(at + 24))
      at += 32
    }
    h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
    h = merge(merge(merge(merge(h, v1), v2), v3), v4)
  } else {
    h = seed &+ p5
  }
  h &+= UInt64(count)
  while at + 8 <= count {
    h = rotl(h ^ round(0, u64(at)), 27) &* p1 &+ p4
    at += 8
  }
  if at + 4 <= count {
    h = rotl(h ^ (u32(at) &* p1), 23) &* p2 &+ p3
    at += 4
  }
  while at < count {
    h = rotl(h ^ (UInt64(bytes[at]) &* p5), 11) &* p1
    at += 1
  }
  h ^= h >> 33; h = h &* p2
  h ^= h >> 29; h = h &* p3
  h ^= h >> 32
  return h
}

public func xxh64(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { xxh64($0) } }

@inline(__always)
private func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { (x << n) | (x >> (64 - n)) }

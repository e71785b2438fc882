import CSwasmXXH3

/// XXH3-64 (xxHash 0.8): the checksum of cache files and source records. Not a defence against a forger (the
/// bytecode verifier is); it detects damage: a changed byte, a truncation, a torn write. `xxhsum -H3` computes it
/// (seed 0). Computed by the system's xxHash code, compiled in (`Sources/CSwasmXXH3`).
public func xxh3(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
  swasm_xxh3_64(bytes.baseAddress, bytes.count, seed)
}

public func xxh3(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { xxh3($0) } }

/// `xxh3` computed by the version compiled for the target's baseline, not the one chosen for this machine (the
/// tests check both).
func xxh3Portable(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
  bytes.withUnsafeBytes { swasm_xxh3_64_portable($0.baseAddress, $0.count, seed) }
}

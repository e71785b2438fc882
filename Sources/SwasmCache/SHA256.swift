import CSwasmSHA256

/// SHA-256 (FIPS 180-4), for cache keys and engine fingerprints, computed in C (`Sources/CSwasmSHA256`; with the
/// x86 SHA extensions where the processor has them: a cache miss hashes the whole module first). A key
/// covers only the sections that can change execution, and a warm start with a source record hashes no module
/// at all. Incremental: `update` any number of times, then `finalize`.
public struct SHA256 {
  private var context = swasm_sha256_context()

  public init() {
    swasm_sha256_init(&context)
  }

  /// With the portable compression function whatever the processor (tests compare the two).
  init(portable: ()) {
    swasm_sha256_init_portable(&context)
  }

  public static func hash<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
    var h = SHA256()
    h.update(Array(bytes))
    return h.finalize()
  }

  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    swasm_sha256_update(&context, bytes.baseAddress, bytes.count)
  }

  public mutating func update(_ text: String) { update(Array(text.utf8)) }

  /// The digest (32 bytes). The value is spent: make a new one for another hash.
  public mutating func finalize() -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    digest.withUnsafeMutableBufferPointer { swasm_sha256_final(&context, $0.baseAddress!) }
    return digest
  }
}

extension Array where Element == UInt8 {
  /// Lowercase hexadecimal.
  public var hexString: String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(count * 2)
    for b in self { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
  }
}

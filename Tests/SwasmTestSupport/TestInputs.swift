// Shared helpers for test inputs: a deterministic random generator, and a module's sections.

/// A small deterministic random generator (SplitMix64), for test inputs that are the same on every run, so that a
/// failure can be reproduced.
public struct SplitMix64 {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number below `n` (0 when `n` is 0).
  public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

/// The byte ranges of a binary module's sections, in order: (id, whole section including id and size).
public func sectionRanges(of module: [UInt8]) -> [(id: UInt8, range: Range<Int>)] {
  var sections: [(UInt8, Range<Int>)] = []
  var position = 8
  while position < module.count {
    let start = position
    let id = module[position]
    position += 1
    var size = 0
    var shift = 0
    while position < module.count {
      let b = module[position]
      position += 1
      size |= Int(b & 0x7F) << shift
      shift += 7
      if b & 0x80 == 0 { break }
    }
    position = min(module.count, position + size)
    sections.append((id, start..<position))
  }
  return sections
}

/// A binary module without its custom sections (names and the like).
public func withoutCustomSections(_ module: [UInt8]) -> [UInt8] {
  Array(module.prefix(8)) + sectionRanges(of: module).filter { $0.id != 0 }.flatMap { module[$0.range] }
}

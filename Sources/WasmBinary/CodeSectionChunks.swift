/// A code section in pieces. The translation cache keeps the code of functions not translated yet as chunks of
/// consecutive function entries (each entry: the body's size, then the body, as in the code section), so that
/// translating a function decompresses its chunk only, never the whole section (74 MB for CPython).
extension Module {
  /// The byte range of each function's entry (size and body) in `section`, a code section whole (id 10, size,
  /// count, entries, as `codeSection` gives it), in function order. Nil when `section` is not one: the entries
  /// are found by their sizes, not decoded.
  public static func functionEntryRanges(ofCodeSection section: [UInt8]) -> [Range<Int>]? {
    functionEntryRanges(in: section, codeSection: section.indices)
  }

  /// `functionEntryRanges(ofCodeSection:)` for the code section at `codeSection` in `bytes` (a module's, as
  /// `codeSectionRange` locates it): the ranges index `bytes`, and nothing is copied.
  public static func functionEntryRanges(in bytes: [UInt8], codeSection: Range<Int>) -> [Range<Int>]? {
    guard codeSection.lowerBound >= 0, codeSection.upperBound <= bytes.count else { return nil }
    var r = ByteReader(bytes: bytes, position: codeSection.lowerBound, end: codeSection.upperBound)
    guard (try? r.byte()) == 10, let size = try? r.u32(), Int(size) == r.end - r.position,
          let count = try? r.count(minElementSize: 1) else { return nil }
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(count)
    for _ in 0..<count {
      let start = r.position
      guard let bodySize = try? r.u32(), Int(bodySize) <= r.end - r.position else { return nil }
      r.position += Int(bodySize)
      ranges.append(start..<r.position)
    }
    return r.isAtEnd ? ranges : nil
  }

  /// The bodies of `count` function entries that fill `entries` exactly (a chunk of a code section), located
  /// as `Module(bytes:)` locates them: their ranges index `entries`. Throws `DecodeError`.
  public static func functionBodies(inEntries entries: [UInt8], count: Int) throws -> [FunctionBody] {
    var r = ByteReader(bytes: entries)
    var bodies: [FunctionBody] = []
    bodies.reserveCapacity(count)
    for _ in 0..<count {
      guard !r.isAtEnd else { throw DecodeError("fewer function bodies than the chunk holds", at: r.position) }
      bodies.append(try functionBody(&r))
    }
    guard r.isAtEnd else { throw DecodeError("bytes after the chunk's function bodies", at: r.position) }
    return bodies
  }
}

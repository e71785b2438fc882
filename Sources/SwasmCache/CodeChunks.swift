import Dispatch
import WasmBinary

// The code of functions not translated yet, in chunks (cache-format/SPEC.md, "Code chunks"): consecutive entries
// of the module's code section, each chunk its own zstd frame of about `CacheFileLayout.codeChunkBytes`. A run
// that translates functions new to the entry decompresses the chunks that hold them (the functions of one C
// source file lie together: CPython's `import json, decimal` translates 420 new functions from 6 of 71 chunks),
// not the whole section (74 MB, a tenth of a second and 180 MB of memory); a rewrite drops the chunks whose
// functions are all translated.

/// Consecutive entries (each the body's size, then the body) of a module's code section: those of defined
/// functions `firstFunction ..< firstFunction + functionCount`.
public struct CodeChunk: Sendable {
  public var firstFunction: Int
  public var functionCount: Int
  public var entries: [UInt8]

  public init(firstFunction: Int, functionCount: Int, entries: [UInt8]) {
    self.firstFunction = firstFunction
    self.functionCount = functionCount
    self.entries = entries
  }

  var functions: Range<Int> { firstFunction..<(firstFunction + functionCount) }

  /// `section` (a code section whole, as `Module.codeSection` gives it) cut at function boundaries into chunks of
  /// at least `chunkBytes` bytes (the last one may be smaller, and one body larger). A section whose entries
  /// cannot be found becomes one chunk, as it is, for `functionCount` functions: it is refused when a function is
  /// first translated from it, as any damaged code.
  public static func chunks(ofCodeSection section: [UInt8], functionCount: Int,
                            chunkBytes: Int = CacheFileLayout.codeChunkBytes) -> [CodeChunk] {
    guard let entries = Module.functionEntryRanges(ofCodeSection: section), entries.count == functionCount else {
      return functionCount == 0 ? [] : [CodeChunk(firstFunction: 0, functionCount: functionCount, entries: section)]
    }
    var chunks: [CodeChunk] = []
    var first = 0
    while first < entries.count {
      var end = first + 1
      while end < entries.count, entries[end - 1].upperBound - entries[first].lowerBound < chunkBytes { end += 1 }
      chunks.append(CodeChunk(firstFunction: first, functionCount: end - first,
                              entries: Array(section[entries[first].lowerBound..<entries[end - 1].upperBound])))
      first = end
    }
    return chunks
  }
}

/// Whether each of functions `0..<count` that `isUntranslated` says is lies in one of the chunks `chunks`.
func covers(_ chunks: [Range<Int>], _ count: Int, _ isUntranslated: (Int) -> Bool) -> Bool {
  var covered = [Bool](repeating: false, count: count)
  for chunk in chunks { for i in chunk where i < count { covered[i] = true } }
  return (0..<count).allSatisfy { covered[$0] || !isUntranslated($0) }
}

/// `count` frames, frame `n` made by `compress(n)`, on every core when there are at least `parallelFrom` (tasks
/// take `batch` consecutive frames).
func compressedFrames(count: Int, parallelFrom: Int, batch: Int, _ compress: (Int) -> [UInt8]) -> [[UInt8]] {
  guard count >= parallelFrom else { return (0..<count).map(compress) }
  let frames = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: count)
  defer { frames.deallocate() }
  _ = frames.initialize(from: repeatElement([], count: count))
  DispatchQueue.concurrentPerform(iterations: (count + batch - 1) / batch) { task in
    for n in (task * batch)..<min(count, (task + 1) * batch) { frames[n] = compress(n) }
  }
  defer { _ = frames.deinitialize() }
  return Array(frames)
}

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
    chunks(in: section, codeSection: section.indices, functionCount: functionCount, chunkBytes: chunkBytes)
  }

  /// `chunks(ofCodeSection:)` for the code section at `codeSection` in `bytes` (a module's): the chunks are copied
  /// from there, without a copy of the whole section first (CPython's: 74 MB, 55 ms of a cache miss).
  public static func chunks(in section: [UInt8], codeSection: Range<Int>, functionCount: Int,
                            chunkBytes: Int = CacheFileLayout.codeChunkBytes) -> [CodeChunk] {
    guard let entries = Module.functionEntryRanges(in: section, codeSection: codeSection), entries.count == functionCount else {
      return functionCount == 0 ? [] : [CodeChunk(firstFunction: 0, functionCount: functionCount, entries: Array(section[codeSection]))]
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

/// A chunk of code, compressed or not: the functions whose bodies it holds.
protocol FunctionChunk {
  var functions: Range<Int> { get }
}

extension CodeChunk: FunctionChunk {}
extension CacheMember.CompressedChunk: FunctionChunk {}

extension Array where Element: FunctionChunk {
  /// The chunks that still hold a function not translated yet (`isUntranslated`): a chunk of translated functions
  /// only is of no more use. Every such function of `0..<functionCount` must lie in one of them.
  func stillNeeded(functionCount: Int, isUntranslated: (Int) -> Bool) -> [Element] {
    let needed = filter { $0.functions.contains(where: isUntranslated) }
    var covered = [Bool](repeating: false, count: functionCount)
    for chunk in needed { for i in chunk.functions where i < functionCount { covered[i] = true } }
    precondition((0..<functionCount).allSatisfy { covered[$0] || !isUntranslated($0) }, "untranslated functions need their code")
    return needed
  }
}

/// `count` frames, frame `n` made by `compress(n)`, on every core when there are at least `parallelFrom` (tasks
/// take `batch` consecutive frames).
func compressedFrames(count: Int, parallelFrom: Int, batch: Int, _ compress: (Int) -> [UInt8]) -> [[UInt8]] {
  guard count >= parallelFrom else { return (0..<count).map(compress) }
  let frames = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: count)
  _ = frames.initialize(from: repeatElement([], count: count))
  defer {
    _ = frames.deinitialize()
    frames.deallocate()
  }
  DispatchQueue.concurrentPerform(iterations: (count + batch - 1) / batch) { task in
    for n in (task * batch)..<min(count, (task + 1) * batch) { frames[n] = compress(n) }
  }
  return Array(frames)
}

import SwasmBytecode
import WasmBinary

/// Why a cache file or bundle cannot be used. For the translation cache, every one of these is a miss.
public struct CacheFileError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// One module of a cache file: its name, its declarations (the Wasm bytes without the code section; the file keeps
/// their `name` sections apart), which bundle members its imports come from, and its functions: translated, or
/// left to translate on first call from the module's code section, which the file then keeps too, in chunks
/// (CodeChunks.swift).
public struct CacheMember {
  public var name: String
  public var moduleBytesWithoutCode: [UInt8]
  /// Import module name -> index of an earlier member whose instance provides it. Other imports come from the host.
  public var wiring: [(importModule: String, member: Int)]
  /// By defined-function index: the translation, or nil for a function not translated yet (a chunk of
  /// `codeChunks` then holds its Wasm body).
  public var functions: [CompiledFunction?]
  /// The chunks of the module's code section that hold a function not translated yet.
  public var codeChunks: [CodeChunk]
  /// Functions (by index) to place first in the code groups, in this order; the others follow by index. A start-up
  /// decompresses the groups holding the functions it calls: those called first, together, make fewer groups.
  public var leadingFunctions: [Int]
  /// For a rewrite of an entry: the declarations, `name` sections and code chunks as that entry holds them
  /// compressed, written as they are (`moduleBytesWithoutCode` and `codeChunks` are then unused). Compressing
  /// a 100 MB module's code section again took half a second.
  var reusedParts: CompressedParts?

  /// A zstd frame as a cache file holds it, and the size it decompresses to.
  struct CompressedPart {
    var frame: [UInt8]
    var size: Int
  }

  struct CompressedParts {
    var declarations: CompressedPart
    var names: CompressedPart?
    /// Those of a translation-cache entry's chunks that still hold a function not translated yet.
    var codeChunks: [CompressedChunk]
  }

  /// A code chunk as a cache file holds it: compressed.
  struct CompressedChunk {
    var firstFunction: Int
    var functionCount: Int
    var part: CompressedPart

    var functions: Range<Int> { firstFunction..<(firstFunction + functionCount) }
  }

  /// For an append to an entry (a run translated functions it held untranslated): its code groups, written as they
  /// are, and the records of the functions in them, by function index (nil for the others). The functions in
  /// `functions` go into new groups after these: only what the run added is compressed.
  var keptGroups: KeptGroups?

  struct KeptGroups {
    /// Each group's frame, `size` in code slots.
    var frames: [CompressedPart]
    var records: [CacheFile.FunctionRecord?]
  }

  public init(name: String, moduleBytesWithoutCode: [UInt8], wiring: [(importModule: String, member: Int)] = [],
              functions: [CompiledFunction], leadingFunctions: [Int] = []) {
    self.init(name: name, moduleBytesWithoutCode: moduleBytesWithoutCode, wiring: wiring, functions: functions.map { $0 },
              codeChunks: [], leadingFunctions: leadingFunctions)
  }

  /// A member some of whose functions (nil in `functions`) are translated on first call, from `codeSection` (the
  /// module's code section, whole), which the file keeps in chunks of about `codeChunkBytes`.
  public init(name: String, moduleBytesWithoutCode: [UInt8], wiring: [(importModule: String, member: Int)] = [],
              functions: [CompiledFunction?], codeSection: [UInt8]?, leadingFunctions: [Int] = [],
              codeChunkBytes: Int = CacheFileLayout.codeChunkBytes) {
    let chunks = codeSection.map { CodeChunk.chunks(ofCodeSection: $0, functionCount: functions.count, chunkBytes: codeChunkBytes) }
    self.init(name: name, moduleBytesWithoutCode: moduleBytesWithoutCode, wiring: wiring, functions: functions,
              codeChunks: chunks ?? [], leadingFunctions: leadingFunctions)
  }

  /// A member some of whose functions (nil in `functions`) are translated on first call, from `codeChunks`.
  public init(name: String, moduleBytesWithoutCode: [UInt8], wiring: [(importModule: String, member: Int)] = [],
              functions: [CompiledFunction?], codeChunks: [CodeChunk], leadingFunctions: [Int] = []) {
    let needed = codeChunks.stillNeeded(functionCount: functions.count) { functions.indices.contains($0) && functions[$0] == nil }
    self.name = name
    self.moduleBytesWithoutCode = moduleBytesWithoutCode
    self.wiring = wiring
    self.functions = functions
    self.codeChunks = needed
    self.leadingFunctions = leadingFunctions
  }

  /// A member rewritten from an entry: its compressed parts copied (`CacheFile.reusableParts`), its functions
  /// translated (in `functions`, or in `kept` groups) or not (translated on first call, from the code chunks
  /// `parts` must then hold; those whose functions are all translated are dropped).
  init(name: String, parts: CompressedParts, kept: KeptGroups? = nil, functions: [CompiledFunction?], leadingFunctions: [Int]) {
    var reused = parts
    reused.codeChunks = parts.codeChunks.stillNeeded(functionCount: functions.count) {
      functions.indices.contains($0) && functions[$0] == nil && kept?.records[$0] == nil
    }
    self.name = name
    self.moduleBytesWithoutCode = []
    self.wiring = []
    self.functions = functions
    self.codeChunks = []
    self.leadingFunctions = leadingFunctions
    self.reusedParts = reused
    self.keptGroups = kept
  }

  /// Every translated function's index once: `leadingFunctions` (valid and unrepeated ones, `leading` of them),
  /// then the rest by index.
  var layoutOrder: (order: [Int], leading: Int) {
    var placed = [Bool](repeating: false, count: functions.count)
    var order: [Int] = []
    order.reserveCapacity(functions.count)
    var leading = 0
    for (n, i) in (leadingFunctions + Array(functions.indices)).enumerated()
    where functions.indices.contains(i) && !placed[i] && functions[i] != nil {
      placed[i] = true
      order.append(i)
      if n < leadingFunctions.count { leading += 1 }
    }
    return (order, leading)
  }
}

extension CacheMember {
  /// The declarations (without their `name` sections: every load decodes the declarations, only messages need the
  /// names), the `name` sections and the code chunks, compressed; the names and chunks on every core (CPython's
  /// 14 MB of names and 74 MB of code took 0.35 s on one).
  func compressedParts(level: Int32) -> CompressedParts {
    let (declarations, nameSections) = Module.separatingNameSections(of: moduleBytesWithoutCode) ?? (moduleBytesWithoutCode, [])
    // Frame 0: the names (empty when there are none, and then not written); frames 1...: the chunks.
    let frames = compressedFrames(count: 1 + codeChunks.count, parallelFrom: 2, batch: 1) { n in
      let bytes = n == 0 ? nameSections : codeChunks[n - 1].entries
      return bytes.isEmpty ? [] : bytes.withUnsafeBytes { Zstd.compress($0, level: level) }
    }
    return CompressedParts(
      declarations: CompressedPart(frame: declarations.withUnsafeBytes { Zstd.declarationsFrame($0) }, size: declarations.count),
      names: nameSections.isEmpty ? nil : CompressedPart(frame: frames[0], size: nameSections.count),
      codeChunks: zip(codeChunks, frames.dropFirst()).map { chunk, frame in
        CompressedChunk(firstFunction: chunk.firstFunction, functionCount: chunk.functionCount,
                        part: CompressedPart(frame: frame, size: chunk.entries.count))
      })
  }
}

/// The on-disk layout (cache-format/SPEC.md): a 96-byte header, then the payload: an index and zstd frames.
public enum CacheFileLayout {
  public static let magic: [UInt8] = [0x00, 0x73, 0x77, 0x61, 0x73, 0x6D, 0x63, 0x0A]  // "\0swasmc\n"
  public static let headerSize = 96
  /// Functions are compressed in groups of consecutive functions of about this many code slots (8 bytes each).
  public static let groupSlots = 4096
  public static let flagBundle: UInt32 = 1
  /// The group of a function record whose function is not translated yet (its body is in a code chunk).
  public static let untranslated: UInt32 = 0xFFFF_FFFF
  /// The code of functions not translated yet is cut into chunks of at least this many bytes (CodeChunks.swift):
  /// CPython's 74 MB in 71 chunks compress to 14.0 MB (13.1 MB whole, 15.5 MB in chunks of 256 KiB).
  public static let codeChunkBytes = 1 << 20
}

/// Writes cache files and bundles.
public enum CacheFileWriter {
  /// `level` is the zstd level of the code groups, except, with `leadingLevel`, those holding a member's leading
  /// functions: what every start decompresses, worth a slower level that decodes faster (fewer, longer matches).
  /// Declarations take `Zstd.declarationsFrame`.
  public static func encode(members: [CacheMember], fingerprint: [UInt8], key: [UInt8], bundle: Bool,
                            level: Int32 = Zstd.defaultLevel, leadingLevel: Int32? = nil) -> [UInt8] {
    precondition(fingerprint.count == 32 && key.count == 32)
    var index = ByteWriter()
    var blobs: [[UInt8]] = []
    var blobSize = 0
    // Blob offsets are relative to the payload's start; the index size is known only at the end, so offsets
    // are recorded relative to the blob area and fixed up by adding the index size.
    var fixups: [(at: Int, blobOffset: Int)] = []
    func addBlob(_ bytes: [UInt8]) -> (offset: Int, size: Int) {
      defer { blobs.append(bytes); blobSize += bytes.count }
      return (blobSize, bytes.count)
    }

    index.u32(UInt32(members.count))
    for member in members {
      index.string(member.name)
      index.u32(UInt32(member.wiring.count))
      for w in member.wiring { index.string(w.importModule); index.u32(UInt32(w.member)) }
      // A part: its size, its frame's size and offset (all 0 when absent).
      func addPart(_ part: CacheMember.CompressedPart?) {
        guard let part else {
          index.u32(0)
          index.u32(0)
          index.u64(0)
          return
        }
        let blob = addBlob(part.frame)
        index.u32(UInt32(part.size))
        index.u32(UInt32(blob.size))
        fixups.append((index.bytes.count, blob.offset))
        index.u64(0)
      }
      let parts = member.reusedParts ?? member.compressedParts(level: level)
      addPart(parts.declarations)
      addPart(parts.names)

      // Group functions in layout order; each group is one zstd frame of little-endian code slots. The index
      // lists the functions by index, each with its group and start.
      var groups: [[UInt64]] = [[]]
      var places = [(group: Int, start: Int)](repeating: (0, 0), count: member.functions.count)
      let (order, leading) = member.layoutOrder
      var leadingGroups = 0
      for (n, i) in order.enumerated() {
        if groups[groups.count - 1].count >= CacheFileLayout.groupSlots { groups.append([]) }
        places[i] = (groups.count - 1, groups[groups.count - 1].count)
        groups[groups.count - 1] += member.functions[i]!.code
        if n < leading { leadingGroups = groups.count }
      }
      if groups.last?.isEmpty == true { groups.removeLast() }
      // Groups an append keeps come first, as they are; the new ones follow them.
      let keptFrames = member.keptGroups?.frames ?? []
      index.u32(UInt32(member.functions.count))
      for (i, (f, place)) in zip(member.functions, places).enumerated() {
        if let f {
          for field in [keptFrames.count + place.group, place.start, f.code.count, f.frameSize, f.localCount, f.constBase] {
            index.u32(UInt32(field))
          }
        } else if let kept = member.keptGroups?.records[i] {
          for field in [kept.group, kept.start, kept.slots, kept.frameSize, kept.localCount, kept.constBase] {
            index.u32(UInt32(field))
          }
        } else {
          index.u32(CacheFileLayout.untranslated)
          for _ in 0..<5 { index.u32(0) }
        }
      }
      index.u32(UInt32(keptFrames.count + groups.count))
      let frames = compressedGroups(groups, level: { $0 < leadingGroups ? leadingLevel ?? level : level })
      for (frame, slots) in zip(keptFrames.map(\.frame) + frames, keptFrames.map(\.size) + groups.map(\.count)) {
        let blob = addBlob(frame)
        fixups.append((index.bytes.count, blob.offset))
        index.u64(0)
        index.u32(UInt32(blob.size))
        index.u32(UInt32(slots))
      }
      index.u32(UInt32(parts.codeChunks.count))
      for chunk in parts.codeChunks {
        let blob = addBlob(chunk.part.frame)
        index.u32(UInt32(chunk.firstFunction))
        index.u32(UInt32(chunk.functionCount))
        index.u32(UInt32(chunk.part.size))
        index.u32(UInt32(blob.size))
        fixups.append((index.bytes.count, blob.offset))
        index.u64(0)
      }
    }
    // The file is assembled in one buffer (a rewrite of CPython's 28 MB entry made two more copies of it): the
    // header's place first, then the index, its offsets fixed up, and the blobs; the header goes in last.
    let h = CacheFileLayout.headerSize
    let indexSize = index.bytes.count
    var file = [UInt8](repeating: 0, count: h)
    file.reserveCapacity(h + indexSize + blobSize)
    file += index.bytes
    file.withUnsafeMutableBytes { p in
      for f in fixups { p.storeBytes(of: UInt64(indexSize + f.blobOffset).littleEndian, toByteOffset: h + f.at, as: UInt64.self) }
    }
    for b in blobs { file += b }

    var header = ByteWriter()
    header.bytes += CacheFileLayout.magic
    header.u32(CacheIdentity.formatVersion)
    header.u32(bundle ? CacheFileLayout.flagBundle : 0)
    header.bytes += fingerprint
    header.bytes += key
    header.u64(UInt64(file.count - h))
    header.u64(file.withUnsafeBytes { checksum(headerPrefix: header.bytes, payload: UnsafeRawBufferPointer(rebasing: $0[h...])) })
    precondition(header.bytes.count == h)
    file.replaceSubrange(0..<h, with: header.bytes)
    return file
  }
}

/// Each group of code slots compressed into its own frame at `level(group)`, on every core when there are many
/// (a rewrite of CPython's entry compresses thousands of groups at the leading level).
private func compressedGroups(_ groups: [[UInt64]], level: (Int) -> Int32) -> [[UInt8]] {
  compressedFrames(count: groups.count, parallelFrom: 16, batch: 8) { n in
    let littleEndian = groups[n].map { $0.littleEndian }
    return littleEndian.withUnsafeBytes { Zstd.compress($0, level: level(n)) }
  }
}

/// The checksum of a file: XXH3 of the payload, seeded with XXH3 of the header's first 88 bytes, so that it
/// covers every byte of the file but the checksum itself.
func checksum(headerPrefix: [UInt8], payload: [UInt8]) -> UInt64 {
  payload.withUnsafeBytes { checksum(headerPrefix: headerPrefix, payload: $0) }
}

func checksum(headerPrefix: [UInt8], payload: UnsafeRawBufferPointer) -> UInt64 {
  precondition(headerPrefix.count == CacheFileLayout.headerSize - 8)
  return xxh3(payload, seed: xxh3(headerPrefix))
}

/// Little-endian encoding of the index.
struct ByteWriter {
  var bytes: [UInt8] = []
  mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  mutating func string(_ s: String) { u32(UInt32(s.utf8.count)); bytes += s.utf8 }
}

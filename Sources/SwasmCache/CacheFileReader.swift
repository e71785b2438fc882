import SwasmBytecode

/// A cache file or bundle whose header, checksum and index were checked: every offset and size in the index
/// lies inside the file. Nothing is decompressed yet.
public final class CacheFile: @unchecked Sendable {
  public struct Member {
    public var name: String
    public var wiring: [(importModule: String, member: Int)]
    var module: Blob
    var moduleSize: Int
    /// The module's `name` sections, whole; nil when it has none.
    var nameSections: Blob?
    var nameSectionsSize: Int
    var functions: [FunctionRecord]
    var groups: [GroupRecord]
    /// Chunks of the module's code section (consecutive function entries), holding every function not
    /// translated yet; by increasing function index.
    var codeChunks: [ChunkRecord]
  }
  struct Blob { var offset: Int; var size: Int }
  struct ChunkRecord {
    var firstFunction: Int; var functionCount: Int; var blob: Blob; var size: Int
    var functions: Range<Int> { firstFunction..<(firstFunction + functionCount) }
  }
  struct FunctionRecord {
    var group: Int; var start: Int; var slots: Int; var frameSize: Int; var localCount: Int; var constBase: Int
    /// Not translated yet: translated from a code chunk of the member on first call.
    var isUntranslated: Bool { group == Int(CacheFileLayout.untranslated) }
  }
  struct GroupRecord { var blob: Blob; var slots: Int }

  /// The whole file (header included); blob offsets are relative to the payload, which starts after the header.
  let file: FileBytes
  public let isBundle: Bool
  public let key: [UInt8]
  public let members: [Member]

  /// Parses `bytes`. Throws `CacheFileError` when the file is not a swasm cache file, is of another format
  /// version, was written by an engine with another fingerprint (other version, opcode table or settings), has
  /// another key than `expectedKey` (when given), is truncated, fails its checksum, or has an inconsistent index.
  public convenience init(bytes: [UInt8], expectedFingerprint: [UInt8], expectedKey: [UInt8]? = nil) throws {
    try self.init(file: FileBytes(bytes), expectedFingerprint: expectedFingerprint, expectedKey: expectedKey)
  }

  /// Parses the file at `path`, mapped rather than read. Nil (with `errno` set) when it cannot be opened.
  public convenience init?(contentsOfFile path: String, expectedFingerprint: [UInt8], expectedKey: [UInt8]? = nil) throws {
    guard let file = FileBytes(contentsOfFile: path) else { return nil }
    try self.init(file: file, expectedFingerprint: expectedFingerprint, expectedKey: expectedKey)
  }

  init(file: FileBytes, expectedFingerprint: [UInt8], expectedKey: [UInt8]?) throws {
    let h = CacheFileLayout.headerSize
    let bytes = file.buffer
    guard bytes.count >= h, Array(bytes[0..<8]) == CacheFileLayout.magic else {
      throw CacheFileError("not a swasm cache file")
    }
    var r = ByteCursor(bytes: bytes, position: 8, end: h)
    let version = try r.u32()
    guard version == CacheIdentity.formatVersion else {
      throw CacheFileError("cache format version \(version), this swasm reads version \(CacheIdentity.formatVersion)")
    }
    let flags = try r.u32()
    guard flags & ~CacheFileLayout.flagBundle == 0 else { throw CacheFileError("unknown flags \(flags)") }
    guard try r.bytes(32) == expectedFingerprint else {
      throw CacheFileError("written by another swasm version or with other settings (engine fingerprint differs)")
    }
    let key = try r.bytes(32)
    if let expectedKey, key != expectedKey { throw CacheFileError("cache key differs: the entry is for another module") }
    let length = try r.u64()
    guard length == UInt64(bytes.count - h) else {
      throw CacheFileError("file is \(bytes.count) bytes, its header says \(UInt64(h) &+ length) (truncated or extended)")
    }
    guard Self.checksumMatches(bytes), !file.isDamaged else { throw CacheFileError("checksum mismatch (the file is damaged)") }
    self.file = file
    self.isBundle = flags & CacheFileLayout.flagBundle != 0
    self.key = key
    self.members = try Self.parseIndex(bytes: bytes, payloadStart: h)
  }

  /// Whether the checksum in the header of the file `bytes` (of the length the header gives) matches its bytes.
  static func checksumMatches(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let h = CacheFileLayout.headerSize
    let stored = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: h - 8, as: UInt64.self))
    return xxh3(UnsafeRawBufferPointer(rebasing: bytes[h...]), seed: xxh3(UnsafeRawBufferPointer(rebasing: bytes[0..<(h - 8)]))) == stored
  }

  private static func parseIndex(bytes: UnsafeRawBufferPointer, payloadStart h: Int) throws -> [Member] {
    var r = ByteCursor(bytes: bytes, position: h, end: bytes.count)
    let payloadSize = bytes.count - h
    func blob(offset: UInt64, size: Int) throws -> Blob {
      guard offset <= UInt64(payloadSize), size <= payloadSize - Int(offset) else { throw CacheFileError("index points outside the file") }
      return Blob(offset: Int(offset), size: size)
    }
    /// A blob that may be absent (`u32 size, u32 compressedSize, u64 offset`, all 0 when it is): nil then.
    func optionalBlob(_ what: String, of member: String) throws -> (blob: Blob?, size: Int) {
      let size = Int(try r.u32())
      let compressed = Int(try r.u32())
      let offset = try r.u64()
      guard size != 0 || compressed == 0 && offset == 0 else {
        throw CacheFileError("module \(member): \(what) of size 0 with a frame")
      }
      return (size == 0 ? nil : try blob(offset: offset, size: compressed), size)
    }
    let memberCount = try r.count(max: payloadSize)
    guard memberCount > 0 else { throw CacheFileError("no modules in the file") }
    var members: [Member] = []
    for m in 0..<memberCount {
      let name = try r.string()
      var wiring: [(String, Int)] = []
      for _ in 0..<(try r.count(max: payloadSize)) {
        let module = try r.string()
        let member = Int(try r.u32())
        guard member < m else { throw CacheFileError("module \(name) links to a member that is not before it") }
        wiring.append((module, member))
      }
      let moduleSize = Int(try r.u32())
      let moduleCompressed = Int(try r.u32())
      let module = try blob(offset: try r.u64(), size: moduleCompressed)
      let (nameSections, nameSectionsSize) = try optionalBlob("name sections", of: name)
      let functions = try r.functionRecords(count: try r.count(max: payloadSize))
      let groupCount = try r.count(max: payloadSize)
      var groups: [GroupRecord] = []
      for _ in 0..<groupCount {
        let offset = try r.u64()
        let size = Int(try r.u32())
        groups.append(GroupRecord(blob: try blob(offset: offset, size: size), slots: Int(try r.u32())))
      }
      let codeChunks = try r.chunkRecords(count: try r.count(max: payloadSize), functionCount: functions.count,
                                          blob: { try blob(offset: $0, size: $1) }, member: name)
      var chunk = 0  // the first chunk that may hold the function below (both go by increasing index)
      for (i, f) in functions.enumerated() {
        if f.isUntranslated {
          while chunk < codeChunks.count, codeChunks[chunk].functions.upperBound <= i { chunk += 1 }
          guard chunk < codeChunks.count, codeChunks[chunk].functions.contains(i), f.start == 0, f.slots == 0, f.frameSize == 0 else {
            throw CacheFileError("module \(name): untranslated function without code, or with a translation")
          }
          continue
        }
        guard f.group < groups.count, f.start <= groups[f.group].slots, f.slots <= groups[f.group].slots - f.start,
              f.frameSize <= maxFrameSlots else {
          throw CacheFileError("module \(name): function record out of range")
        }
      }
      members.append(Member(name: name, wiring: wiring, module: module, moduleSize: moduleSize,
                            nameSections: nameSections, nameSectionsSize: nameSectionsSize,
                            functions: functions, groups: groups, codeChunks: codeChunks))
    }
    return members
  }

  /// Member `m`'s module without its code section: the declarations, then the `name` sections (moved to the end
  /// when the module had other sections after them; custom sections may go anywhere).
  public func moduleBytes(of m: Int) throws -> [UInt8] {
    let decoder = Zstd.Decoder()
    return try declarationBytes(of: m, decoder: decoder) + nameSectionBytes(of: m, decoder: decoder)
  }

  /// Member `m`'s declarations without their `name` sections: what loading the module decodes.
  func declarationBytes(of m: Int, decoder: Zstd.Decoder) throws -> [UInt8] {
    let member = members[m]
    guard member.moduleSize <= 1 << 30 else { throw CacheFileError("module too large") }
    guard let out = decompressed(member.module, count: member.moduleSize, of: UInt8.self, decoder: decoder) else {
      throw CacheFileError("module \(member.name): damaged module declarations")
    }
    return out
  }

  /// Member `m`'s `name` sections, whole (none: empty).
  func nameSectionBytes(of m: Int, decoder: Zstd.Decoder) throws -> [UInt8] {
    try bytes(of: members[m].nameSections, size: members[m].nameSectionsSize, "name section", member: m, decoder) ?? []
  }

  /// Code chunk `c` of member `m`: its function entries.
  func codeChunkEntries(of m: Int, chunk c: Int, decoder: Zstd.Decoder) throws -> [UInt8] {
    let chunk = members[m].codeChunks[c]
    return try bytes(of: chunk.blob, size: chunk.size, "code chunk \(c)", member: m, decoder) ?? []
  }

  /// An optional blob of member `m`, decompressed into `size` bytes (nil when absent).
  private func bytes(of blob: Blob?, size: Int, _ what: String, member m: Int, _ decoder: Zstd.Decoder) throws -> [UInt8]? {
    guard let blob else { return nil }
    guard size <= 1 << 30, let out = decompressed(blob, count: size, of: UInt8.self, decoder: decoder) else {
      throw CacheFileError("module \(members[m].name): damaged \(what)")
    }
    return out
  }

  /// Member `m`'s compressed declarations, `name` sections and code chunks, and with `groups` its code groups
  /// (each group's `size` in code slots; none without), copied out for a rewrite of the entry to write as they
  /// are. The mapping may have changed since the file was loaded (truncated, or written over in place): the file
  /// is checked against its checksum again after the copy, so that what was copied is what the checksum covers.
  /// (A copy of the whole file taken first, then checked, made a rewrite of CPython's entry hold it three times.)
  func reusableParts(of m: Int, groups: Bool) throws -> (parts: CacheMember.CompressedParts, groups: [CacheMember.CompressedPart]) {
    func part(_ blob: Blob?, size: Int) -> CacheMember.CompressedPart? {
      guard let blob else { return nil }
      let start = CacheFileLayout.headerSize + blob.offset
      return CacheMember.CompressedPart(frame: Array(file.buffer[start..<(start + blob.size)]), size: size)
    }
    let member = members[m]
    let parts = CacheMember.CompressedParts(declarations: part(member.module, size: member.moduleSize)!,
                                            names: part(member.nameSections, size: member.nameSectionsSize),
                                            codeChunks: member.codeChunks.map {
                                              CacheMember.CompressedChunk(firstFunction: $0.firstFunction, functionCount: $0.functionCount,
                                                                          part: part($0.blob, size: $0.size)!)
                                            })
    let copiedGroups = groups ? member.groups.map { part($0.blob, size: $0.slots)! } : []
    guard Self.checksumMatches(file.buffer), !file.isDamaged else {
      throw CacheFileError("checksum mismatch (the file is damaged)")
    }
    return (parts, copiedGroups)
  }

  /// Decompresses group `g` of member `m` into code slots.
  func groupSlots(member m: Int, group g: Int, decoder: Zstd.Decoder = Zstd.Decoder()) throws -> [UInt64] {
    let group = members[m].groups[g]
    guard group.slots <= 1 << 27 else { throw CacheFileError("code group too large") }
    guard var out = decompressed(group.blob, count: group.slots, of: UInt64.self, decoder: decoder) else {
      throw CacheFileError("module \(members[m].name): damaged code")
    }
    if 1.littleEndian != 1 { for i in out.indices { out[i] = UInt64(littleEndian: out[i]) } }
    return out
  }

  /// `blob` decompressed into `count` elements, or nil when its frame is damaged or of another size. Not
  /// zero-filled first: the frame must decode to exactly every byte (else it is refused).
  private func decompressed<T: BitwiseCopyable>(_ blob: Blob, count: Int, of: T.Type, decoder: Zstd.Decoder) -> [T]? {
    var ok = false
    let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      // A file truncated in place since it was mapped reads as zeros (FileBytes): not to be trusted.
      ok = payload(blob) { decoder.decompress($0, into: UnsafeMutableRawBufferPointer(buffer)) } && !file.isDamaged
      initialized = ok ? count : 0
    }
    return ok ? out : nil
  }

  private func payload<R>(_ blob: Blob, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    body(UnsafeRawBufferPointer(rebasing: file.buffer[(CacheFileLayout.headerSize + blob.offset)...].prefix(blob.size)))
  }
}

/// Bounds-checked little-endian reads over the file's bytes (which its owner keeps alive).
struct ByteCursor {
  let bytes: UnsafeRawBufferPointer
  var position: Int
  let end: Int

  mutating func bytes(_ n: Int) throws -> [UInt8] {
    guard n >= 0, n <= end - position else { throw CacheFileError("truncated index") }
    defer { position += n }
    return Array(bytes[position..<position + n])
  }
  mutating func u32() throws -> UInt32 {
    guard end - position >= 4 else { throw CacheFileError("truncated index") }
    defer { position += 4 }
    return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
  }
  mutating func u64() throws -> UInt64 {
    guard end - position >= 8 else { throw CacheFileError("truncated index") }
    defer { position += 8 }
    return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
  }
  /// `count` function records of six u32 fields, bounds-checked once (QuickJS's entry has 940 of them; read
  /// field by field, each with its own check, they were a sixteenth of a load).
  mutating func functionRecords(count: Int) throws -> [CacheFile.FunctionRecord] {
    let fields = 6
    guard count <= (end - position) / (4 * fields) else { throw CacheFileError("truncated index") }
    let base = bytes.baseAddress! + position
    position += count * 4 * fields
    return [CacheFile.FunctionRecord](unsafeUninitializedCapacity: count) { records, initialized in
      for i in 0..<count {
        let at = base + i * 4 * fields
        func field(_ n: Int) -> Int { Int(UInt32(littleEndian: at.loadUnaligned(fromByteOffset: 4 * n, as: UInt32.self))) }
        (records.baseAddress! + i).initialize(to: CacheFile.FunctionRecord(
          group: field(0), start: field(1), slots: field(2), frameSize: field(3), localCount: field(4), constBase: field(5)))
      }
      initialized = count
    }
  }

  /// `count` code-chunk records (`u32 firstFunction, functionCount, size, compressedSize, u64 offset`) of a member
  /// with `functionCount` functions: each of at least one function, in increasing order without overlap.
  mutating func chunkRecords(count: Int, functionCount: Int, blob: (UInt64, Int) throws -> CacheFile.Blob,
                             member: String) throws -> [CacheFile.ChunkRecord] {
    var chunks: [CacheFile.ChunkRecord] = []
    var end = 0
    for _ in 0..<count {
      let first = Int(try u32()), functions = Int(try u32()), size = Int(try u32()), compressed = Int(try u32())
      guard first >= end, functions >= 1, functions <= functionCount - first, size >= functions else {
        throw CacheFileError("module \(member): code chunks out of order or out of range")
      }
      chunks.append(CacheFile.ChunkRecord(firstFunction: first, functionCount: functions, blob: try blob(try u64(), compressed), size: size))
      end = first + functions
    }
    return chunks
  }

  /// A count of items, each at least one byte: more than `max` cannot be right.
  mutating func count(max: Int) throws -> Int {
    let n = Int(try u32())
    guard n <= max else { throw CacheFileError("index count out of range") }
    return n
  }
  mutating func string() throws -> String {
    let n = Int(try u32())
    guard let s = String(validating: try bytes(n), as: UTF8.self) else { throw CacheFileError("name is not UTF-8") }
    return s
  }
}

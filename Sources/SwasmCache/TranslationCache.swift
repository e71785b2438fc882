import FoundationEssentials
import Glibc
import SwasmBytecode
import SwasmTranslator
import WasmBinary

/// A folder of cache entries, one file per module and engine fingerprint, named by the entry's key.
/// Entries are written atomically (a temporary file in the folder, then `rename`), so concurrent processes
/// see either no entry or a whole one. The folder is created private to the user (mode 0700).
public struct TranslationCache: Sendable {
  /// The folder, as a path: a warm start works with paths only (FoundationEssentials' URL path handling builds a
  /// Set, whose first use costs a start-up a scan of every protocol conformance).
  public let folderPath: String
  public var folder: URL { URL(fileURLWithPath: folderPath) }
  /// zstd level of entries written on a miss: low, because the writer is a program waiting to start.
  public var compressionLevel: Int32 = 3
  /// zstd level of the code groups every start decompresses (those of the functions a run called first) when an
  /// entry is rewritten after a run: their frames decode faster than at level 3, and a run that translated new
  /// functions pays for compressing them. CPython's 4.5 MB of groups after `-c pass` (zstd's benchmark, 32 KiB
  /// blocks): level 3 compresses at 340 MB/s and decodes at 890 MB/s, level 9 at 50 and 1,020 MB/s, level 12 at
  /// 12 and 1,150 MB/s: level 12 cost each such rewrite 0.37 s of CPU to save a start 0.5 ms against level 9.
  public var leadingCompressionLevel: Int32 = 9
  /// The code of functions not translated yet is kept in chunks of about this many bytes (CodeChunks.swift).
  public var codeChunkBytes = CacheFileLayout.codeChunkBytes

  public static let fileExtension = "swasmc"

  /// `$XDG_CACHE_HOME/swasm`, or `~/.cache/swasm`.
  public static var defaultFolder: URL { URL(fileURLWithPath: defaultFolderPath) }

  public static var defaultFolderPath: String {
    if let xdg = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") { return xdg + "/swasm" }
    let home = getenv("HOME").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
      ?? FileManager.default.homeDirectoryForCurrentUser.path
    return home + "/.cache/swasm"
  }

  public init(folder: URL = TranslationCache.defaultFolder) {
    self.init(folderPath: folder.path)
  }

  /// `folderPath` empty: the current folder (as `URL(fileURLWithPath: "")`).
  public init(folderPath: String) {
    self.folderPath = folderPath.isEmpty ? "." : folderPath
  }

  public func entryURL(key: [UInt8]) -> URL { URL(fileURLWithPath: entryPath(key: key)) }

  /// `entryURL` as a path, made without URL operations (which cost a warm start more than reading the entry).
  public func entryPath(key: [UInt8]) -> String { folderPath + "/" + key.hexString + "." + Self.fileExtension }

  /// Which entry a module maps to: the engine fingerprint of `options` and the module's key under it. Computed
  /// once per module (hashing it is most of a cached launch) and used for both `load` and `store`.
  public struct EntryID: Sendable {
    public let fingerprint: [UInt8]
    public let key: [UInt8]

    public init(moduleBytes: [UInt8], options: TranslationOptions) {
      fingerprint = CacheIdentity.fingerprint(options: options)
      key = CacheIdentity.key(moduleBytes: moduleBytes, fingerprint: fingerprint)
    }

    public init(fingerprint: [UInt8], key: [UInt8]) {
      self.fingerprint = fingerprint
      self.key = key
    }
  }

  /// The cached translation of a module. Throws a `CacheFileError` saying why there is none: missing, or
  /// unusable (stale, foreign, truncated, damaged, failing verification of its declarations). An unusable entry
  /// is left for `store` to replace. (Throws rather than returning a `Result`, whose generic metadata alone cost
  /// a warm start a conformance scan.)
  /// `options`: the settings the entry's fingerprint stands for, to translate the functions it holds untranslated.
  public func load(_ id: EntryID, options: TranslationOptions? = nil) throws -> StoredModule {
    let path = entryPath(key: id.key)
    guard let file = try CacheFile(contentsOfFile: path, expectedFingerprint: id.fingerprint, expectedKey: id.key) else {
      throw CacheFileError("no entry")
    }
    guard !file.isBundle, file.members.count == 1 else { throw CacheFileError("entry holds a bundle") }
    let stored = try file.storedModule(0, options: options)
    stored.code.cacheEntry = (self, id)
    // The entry was used: its modification time orders `prune`.
    utime(path, nil)
    return stored
  }

  /// Writes the entry `id` for `module` (translated into `functions`), replacing any old one.
  public func store(_ id: EntryID, module: Module, functions: [CompiledFunction]) throws {
    try store(id, CacheMember(name: module.nameSection.moduleName ?? "main", moduleBytesWithoutCode: module.bytesWithoutCode,
                              functions: functions))
  }

  /// Writes the entry `id` for `module`, validated, with no function translated yet: its code section is kept, and
  /// each function translated on first use; a run adds what it translated (`StoredCode.rewriteEntryInFirstUseOrder`).
  public func storeUntranslated(_ id: EntryID, module: Module) throws {
    guard let code = module.codeSectionRange else { return try store(id, module: module, functions: []) }
    let chunks = CodeChunk.chunks(in: module.bytes, codeSection: code, functionCount: module.functions.count,
                                  chunkBytes: codeChunkBytes)
    try store(id, CacheMember(name: module.nameSection.moduleName ?? "main", moduleBytesWithoutCode: module.bytesWithoutCode,
                              functions: Array(repeating: nil, count: module.functions.count), codeChunks: chunks))
  }

  private func store(_ id: EntryID, _ member: CacheMember) throws {
    let bytes = CacheFileWriter.encode(members: [member], fingerprint: id.fingerprint, key: id.key, bundle: false,
                                       level: compressionLevel)
    try createFolder()
    try Self.writeAtomically(bytes, toPath: entryPath(key: id.key))
  }

  func createFolder() throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
  }

  /// Writes a temporary file in the destination's folder, then renames it over the destination.
  public static func writeAtomically(_ bytes: [UInt8], to url: URL) throws { try writeAtomically(bytes, toPath: url.path) }

  public static func writeAtomically(_ bytes: [UInt8], toPath path: String) throws {
    let folder = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
    let temporary = folder + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw CacheFileError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
    var written = 0
    let ok = bytes.withUnsafeBytes { p -> Bool in
      while written < p.count {
        let n = write(fd, p.baseAddress! + written, p.count - written)
        if n < 0 { if errno == EINTR { continue }; return false }
        written += n
      }
      return true
    }
    close(fd)
    guard ok, rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw CacheFileError("cannot write \(path): \(reason)")
    }
  }

  // MARK: maintenance

  public struct Entry {
    public var url: URL
    public var size: Int
    public var modified: Date
  }

  /// The entries (and leftover temporary files) in the folder.
  public func entries() -> [Entry] {
    fileNames().compactMap { name in
      guard name.hasSuffix("." + Self.fileExtension) || name.hasPrefix(".tmp-") else { return nil }
      let url = folder.appendingPathComponent(name)
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
      return Entry(url: url, size: Self.byteCount(attributes[.size]),
                   modified: (attributes[.modificationDate] as? Date) ?? .distantPast)
    }
  }

  /// A file size from `attributesOfItem`, whose integer type differs between Foundation builds.
  static func byteCount(_ value: Any?) -> Int {
    switch value {
    case let n as Int: return n
    case let n as UInt: return Int(clamping: n)
    case let n as UInt64: return Int(clamping: n)
    case let n as Int64: return Int(clamping: n)
    default: return 0
    }
  }

  /// The source records in the folder (see SourceRecord.swift).
  public func sourceRecords() -> [URL] {
    fileNames().filter { $0.hasSuffix("." + Self.sourceRecordExtension) }.map { folder.appendingPathComponent($0) }
  }

  /// The names of the files in the folder (none when it cannot be read).
  func fileNames() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] }

  /// Removes every entry, and every source record; returns how many entries.
  @discardableResult
  public func clear() -> Int {
    for record in sourceRecords() { try? FileManager.default.removeItem(at: record) }
    return entries().filter { (try? FileManager.default.removeItem(at: $0.url)) != nil }.count
  }

  /// Removes the least recently used entries until the folder holds at most `maxSize` bytes; returns how many.
  @discardableResult
  public func prune(maxSize: Int) -> Int {
    var total = entries().reduce(0) { $0 + $1.size }
    var removed = 0
    for entry in entries().sorted(by: { $0.modified < $1.modified }) where total > maxSize {
      if (try? FileManager.default.removeItem(at: entry.url)) != nil {
        total -= entry.size
        removed += 1
      }
    }
    return removed
  }
}

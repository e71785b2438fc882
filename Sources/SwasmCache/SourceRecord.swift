import FoundationEssentials
import Glibc

/// A module file's identity as `stat` reports it: device, inode, size, and modification and change times.
/// Any write to the file changes its change time, which no user call can set back (`utimes` sets it to now).
public struct SourceStamp: Equatable, Sendable {
  let fields: [UInt64]
  /// When the file was last changed (the later of its modification and change times), in seconds.
  let changed: Double

  /// The stamp of the regular file at `path`; nil when it cannot be stat'ed or is not a regular file.
  public init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    fields = [UInt64(info.st_dev), UInt64(info.st_ino), UInt64(info.st_size),
              UInt64(bitPattern: Int64(info.st_mtim.tv_sec)), UInt64(info.st_mtim.tv_nsec),
              UInt64(bitPattern: Int64(info.st_ctim.tv_sec)), UInt64(info.st_ctim.tv_nsec)]
    changed = max(Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9,
                  Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9)
  }

  init(fields: [UInt64]) {
    self.fields = fields
    changed = 0
  }

  public static func == (a: SourceStamp, b: SourceStamp) -> Bool { a.fields == b.fields }
}

/// Source records: a shortcut from a module file to its cache entry, so that a launch of an unchanged file finds
/// its entry without reading or hashing the file (hashing is most of a cached launch of a large module). A record
/// holds the file's stamp and the entry's key; it is named after the engine fingerprint and the file's absolute
/// path. A file whose stamp differs takes the long way (read, hash, look up), which rewrites the record. A record
/// is written only for a file last changed at least `settleSeconds` before, so that a change within the file
/// system's timestamp granularity, right after the record was written, cannot leave the stamp unchanged. The entry
/// a record leads to is verified as any other (fingerprint, key, checksum, bytecode), so a damaged or forged
/// record can only cause a miss.
extension TranslationCache {
  public static let sourceRecordExtension = "swasmsrc"
  static let settleSeconds = 2.0
  private static let recordMagic = Array("swasmsrc".utf8)
  private static let recordSize = 8 + 7 * 8 + 32 + 8

  func sourceRecordPath(path: String, fingerprint: [UInt8]) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var hash = SHA256()
    hash.update(fingerprint)
    hash.update(absolute)
    return folderPath + "/" + hash.finalize().hexString + "." + Self.sourceRecordExtension
  }

  /// The key recorded for the file at `path` if its stamp is still `stamp`; nil otherwise.
  public func recordedKey(forFile path: String, stamp: SourceStamp, fingerprint: [UInt8]) -> [UInt8]? {
    guard let bytes = readWholeFile(sourceRecordPath(path: path, fingerprint: fingerprint)),
          bytes.count == Self.recordSize, Array(bytes[0..<8]) == Self.recordMagic else { return nil }
    let checksum = bytes.withUnsafeBytes { xxh3(UnsafeRawBufferPointer(rebasing: $0[0..<(Self.recordSize - 8)])) }
    let u64 = { (at: Int) in bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) } }
    guard u64(Self.recordSize - 8) == checksum,
          SourceStamp(fields: (0..<7).map { u64(8 + 8 * $0) }) == stamp else { return nil }
    return Array(bytes[64..<96])
  }

  /// Records that the file at `path`, stamped `stamp`, has the entry `key`; does nothing for a file changed too
  /// recently to be told apart from a change that might follow. Failures are ignored: a record only saves time.
  public func recordKey(_ key: [UInt8], forFile path: String, stamp: SourceStamp, fingerprint: [UInt8]) {
    guard key.count == 32, Date().timeIntervalSince1970 - stamp.changed >= Self.settleSeconds else { return }
    var bytes = Self.recordMagic
    for field in stamp.fields { withUnsafeBytes(of: field.littleEndian) { bytes += $0 } }
    bytes += key
    let checksum = bytes.withUnsafeBytes { xxh3($0) }
    withUnsafeBytes(of: checksum.littleEndian) { bytes += $0 }
    try? createFolder()
    try? Self.writeAtomically(bytes, toPath: sourceRecordPath(path: path, fingerprint: fingerprint))
  }
}

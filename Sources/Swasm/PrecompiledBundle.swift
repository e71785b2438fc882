import FoundationEssentials
import Glibc
import SwasmCache
import SwasmRuntime
import WasmBinary

/// Modules translated ahead of time (`swasm compile`, `Engine.compileBundle`), loaded without their `.wasm`
/// files and without translating: an application and the libraries it imports, each under a name.
public struct PrecompiledBundle {
  /// One module of a bundle: its name, the module, and which earlier members provide its imports.
  public struct Member {
    /// The name other members import this one by.
    public let name: String
    /// The module, ready to instantiate; its functions are decoded and verified on their first call.
    public let module: PreparedModule
    /// Import module name -> index of the earlier member whose instance provides those imports.
    public let wiring: [(importModule: String, member: Int)]
  }

  /// Libraries first; the last member is the application.
  public let members: [Member]

  /// True when `bytes` start like a swasm cache file or bundle (rather than a `.wasm` module).
  public static func isPrecompiled(_ bytes: [UInt8]) -> Bool {
    bytes.starts(with: CacheFileLayout.magic)
  }
}

extension Engine {
  /// Translates modules and writes them as one precompiled bundle: `modules` in instantiation order, each with
  /// the name other members import it by. An import whose module name is an earlier member's name is wired to
  /// that member's instance; every other import comes from the host (the linker) when the bundle is instantiated.
  /// `level`: the zstd level of the code (1 to `Zstd.maxLevel`; higher is smaller and slower to write, no slower
  /// to read).
  public func compileBundle(_ modules: [(name: String, bytes: [UInt8])], level: Int32 = Zstd.defaultLevel) throws -> [UInt8] {
    var members: [CacheMember] = []
    var key = SHA256()
    for (name, source) in modules {
      let bytes = try binaryModule(source)
      let module = try Module(bytes: bytes)
      let prepared = try PreparedModule(module, options: translationOptions)
      let wiring = Set(module.imports.map(\.module)).sorted().compactMap { importModule in
        members.firstIndex { $0.name == importModule }.map { (importModule: importModule, member: $0) }
      }
      members.append(CacheMember(name: name, moduleBytesWithoutCode: module.bytesWithoutCode, wiring: wiring,
                                 functions: prepared.translatedFunctions!))
      key.update(name)
      key.update(SHA256.hash(bytes))
    }
    return CacheFileWriter.encode(members: members, fingerprint: CacheIdentity.fingerprint(options: translationOptions),
                                  key: key.finalize(), bundle: true, level: level)
  }

  /// Loads a precompiled bundle (or a cache entry). Throws `CacheFileError` when it is damaged, of another format
  /// version, or compiled by another swasm version or with other settings than this engine's (`EmbeddingError`,
  /// saying which way to run it, when only fuel metering differs). Each function is verified when it is first
  /// called; one that fails traps with `TrapCode.invalidCachedCode`.
  public func loadBundle(bytes: [UInt8]) throws -> PrecompiledBundle {
    do {
      return try bundle(of: CacheFile(bytes: bytes, expectedFingerprint: CacheIdentity.fingerprint(options: translationOptions)))
    } catch let error as CacheFileError {
      throw fuelSettingMismatch(header: Array(bytes.prefix(48))) ?? error
    }
  }

  /// Loads the precompiled bundle at `path`, mapped rather than read (its code is decoded from the mapping as its
  /// functions are first called); throws as `loadBundle(bytes:)` does, and when the file cannot be opened.
  public func loadBundle(contentsOfFile path: String) throws -> PrecompiledBundle {
    let file: CacheFile?
    do {
      file = try CacheFile(contentsOfFile: path, expectedFingerprint: CacheIdentity.fingerprint(options: translationOptions))
    } catch let error as CacheFileError {
      throw fuelSettingMismatch(header: Self.fileStart(path, count: 48)) ?? error
    }
    guard let file else { throw EmbeddingError("cannot read \(path): \(String(cString: strerror(errno)))") }
    return try bundle(of: file)
  }

  /// When a bundle's settings differ from this engine's only in fuel metering, the error that says so (a bundle
  /// compiled with `--fuel` runs with `--fuel`); nil when something else differs. `header`: the file's first 48
  /// bytes, whose last 32 are the fingerprint of the settings it was compiled with.
  func fuelSettingMismatch(header: [UInt8]) -> EmbeddingError? {
    guard header.count == 48 else { return nil }
    var other = translationOptions
    other.meterFuel.toggle()
    guard Array(header[16..<48]) == CacheIdentity.fingerprint(options: other) else { return nil }
    return EmbeddingError(other.meterFuel
      ? "compiled with fuel checks (swasm compile --fuel): run it with --fuel (or with a store that meters fuel)"
      : "compiled without fuel checks: run it without --fuel (or compile it with --fuel)")
  }

  static func fileStart(_ path: String, count: Int) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: count)
    let n = read(fd, &bytes, count)
    return n > 0 ? Array(bytes[0..<n]) : []
  }

  /// Loads the precompiled bundle at `url`: a file is mapped, as `loadBundle(contentsOfFile:)` does; another URL
  /// is read whole. Throws as `loadBundle(bytes:)` does, and when the file cannot be read.
  public func loadBundle(contentsOf url: URL) throws -> PrecompiledBundle {
    guard url.isFileURL else { return try loadBundle(bytes: Array(try Data(contentsOf: url))) }
    return try loadBundle(contentsOfFile: url.path)
  }

  private func bundle(of file: CacheFile) throws -> PrecompiledBundle {
    PrecompiledBundle(members: try file.storedModules(options: translationOptions).map { stored in
      PrecompiledBundle.Member(
        name: stored.name, module: PreparedModule(stored.module, options: translationOptions, lazyCode: stored.code),
        wiring: stored.wiring)
    })
  }
}

extension Linker {
  /// Instantiates every member of a bundle in order, each with this linker's imports plus the exports of the
  /// members it is wired to. Returns the instances, in member order (the application's last).
  public func instantiate(_ bundle: PrecompiledBundle) throws -> [Instance] {
    var instances: [Instance] = []
    for member in bundle.members {
      var imports = self.imports
      for w in member.wiring { imports.define(module: w.importModule, exportsOf: instances[w.member]) }
      instances.append(try store.instantiate(member.module, imports: imports))
    }
    return instances
  }
}

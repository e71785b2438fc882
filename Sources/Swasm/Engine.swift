import FoundationEssentials
import Glibc
import SwasmCache
import SwasmRuntime
import SwasmTranslator
import WasmBinary
import WasmText

/// Settings of an engine: how code runs, what guests may use, and where translations are cached.
public struct EngineConfiguration: Sendable {
  /// Threaded dispatch (fast) or the portable switch loop.
  public var dispatch: DispatchMode = .threaded
  /// Memory, table, stack and call-depth limits, and fuel metering, for every store of the engine.
  public var limits = StoreLimits()
  /// The Wasm features modules may use (all that swasm implements by default); validation rejects the others.
  public var features: WasmFeatures = .all
  /// Folder of the translation cache (`TranslationCache.defaultFolder` is `~/.cache/swasm`); nil: no cache.
  /// With a cache, the first `loadModule` of a module writes its entry (validated, functions not yet translated);
  /// `Engine.rewriteCacheEntryInFirstUseOrder(of:)` adds what a run translated, and later loads decode each
  /// stored function on its first call.
  public var cacheFolder: URL? {
    get { cacheFolderPath.map { URL(fileURLWithPath: $0) } }
    set { cacheFolderPath = newValue?.path }
  }
  /// `cacheFolder` as a path (setting it needs no URL operation: a cached launch of `swasm run` does this).
  public var cacheFolderPath: String?

  /// Settings with the given values; by default threaded dispatch, the default `StoreLimits`, every feature and
  /// no cache.
  public init(dispatch: DispatchMode = .threaded, limits: StoreLimits = StoreLimits(), features: WasmFeatures = .all,
              cacheFolder: URL? = nil) {
    self.dispatch = dispatch
    self.limits = limits
    self.features = features
    self.cacheFolderPath = cacheFolder?.path
  }
}

/// Whether `loadModule` used the translation cache.
public enum CacheOutcome: Sendable, Equatable {
  /// The engine has no cache folder.
  case disabled
  /// The stored translation was used.
  case hit
  /// The entry was written anew (its functions translated on first call, then added); `reason` says why the
  /// entry was not used.
  case miss(reason: String)
  /// The entry was not used (`reason`) and could not be written either (`writeFailure`: a full disk, a folder
  /// without write permission): the module runs translated on first call, uncached.
  case missNotWritten(reason: String, writeFailure: String)
}

/// Loads modules (decoded and validated once; each function translated on its first call, or loaded from the
/// translation cache) and makes stores to run them in.
///
/// An engine is immutable and may be shared between threads; each thread uses its own stores.
public final class Engine: Sendable {
  /// The engine's settings, fixed when it is made.
  public let configuration: EngineConfiguration

  /// An engine with `configuration` (by default: threaded dispatch, the default `StoreLimits`, every feature, no
  /// cache).
  public init(configuration: EngineConfiguration = EngineConfiguration()) {
    self.configuration = configuration
  }

  /// The settings that change translated code (part of every cache key and bundle fingerprint).
  public var translationOptions: TranslationOptions {
    TranslationOptions(meterFuel: configuration.limits.meterFuel, features: configuration.features)
  }

  /// A module's binary form: `bytes` themselves, or, when they are text (WAT: the first character that is not
  /// white space is `(`), the binary they parse to. Throws `TextError` (with line and column) for malformed text.
  public func binaryModule(_ bytes: [UInt8]) throws -> [UInt8] {
    try WAT.binary(bytes, features: configuration.features)
  }

  /// Decodes and validates a module, binary or text (see `binaryModule`), whose functions are then translated
  /// on first call, or loads its translation from the cache folder. Throws `TextError`, `DecodeError`,
  /// `ValidationError` or `TranslationError`.
  public func loadModule(bytes: [UInt8]) throws -> PreparedModule {
    try loadModuleReportingCache(bytes: bytes).module
  }

  /// `loadModule`, also telling whether the cache was used. A missing, stale, foreign or damaged entry is a
  /// miss: the entry is written anew (`CacheOutcome.miss`), or, when it cannot be written, the module runs
  /// uncached (`CacheOutcome.missNotWritten`).
  public func loadModuleReportingCache(bytes: [UInt8]) throws -> (module: PreparedModule, cache: CacheOutcome) {
    let bytes = try binaryModule(bytes)
    let options = translationOptions
    guard let folder = configuration.cacheFolderPath else {
      return (try PreparedModule.translatingOnFirstCall(Module(bytes: bytes), options: options), .disabled)
    }
    let entry = TranslationCache.EntryID(moduleBytes: bytes, options: options)
    return try load(bytes, entry: entry, cache: TranslationCache(folderPath: folder), options: options)
  }

  /// The cached translation of `bytes` (the module whose entry is `entry`), or a new one written to the cache.
  private func load(_ bytes: [UInt8], entry: TranslationCache.EntryID, cache: TranslationCache,
                    options: TranslationOptions) throws -> (module: PreparedModule, cache: CacheOutcome) {
    let reason: String
    do {
      return (prepared(try cache.load(entry, options: options), options: options), .hit)
    } catch {
      reason = (error as? CacheFileError)?.message ?? "\(error)"
    }
    // A miss: the module is validated, and its entry written at once with no function translated; the module
    // then runs from the entry, so that what this run translates is added to it afterwards.
    let module = try Module(bytes: bytes)
    let lazilyTranslated = try PreparedModule.translatingOnFirstCall(module, options: options)  // validates it whole
    let stored: StoredModule
    do {
      try cache.storeUntranslated(entry, module: module)
      stored = try cache.load(entry, options: options)
      stored.code.translateFromValidatedModule(module)
    } catch {
      let failure = (error as? CacheFileError)?.message ?? "\(error)"
      return (lazilyTranslated, .missNotWritten(reason: reason, writeFailure: failure))
    }
    return (prepared(stored, options: options), .miss(reason: reason))
  }

  /// `loadModuleReportingCache` for a `.wasm` file. With a cache folder, an unchanged file whose entry was
  /// found before is not even read: a source record (SwasmCache/SourceRecord.swift) maps the file's identity to
  /// its entry. Throws `EmbeddingError` when the file cannot be read.
  public func loadModuleReportingCache(contentsOf path: String) throws -> (module: PreparedModule, cache: CacheOutcome) {
    guard let folder = configuration.cacheFolderPath, let stamp = SourceStamp(path: path) else {
      return try loadModuleReportingCache(bytes: try readModuleFile(path))
    }
    let options = translationOptions
    let cache = TranslationCache(folderPath: folder)
    let fingerprint = CacheIdentity.fingerprint(options: options)
    if let key = cache.recordedKey(forFile: path, stamp: stamp, fingerprint: fingerprint),
       let stored = try? cache.load(TranslationCache.EntryID(fingerprint: fingerprint, key: key), options: options) {
      return (prepared(stored, options: options), .hit)
    }
    // The long way; the stamp was taken before reading, so a change while reading cannot be recorded as unchanged.
    let bytes = try binaryModule(try readModuleFile(path))
    let entry = TranslationCache.EntryID(fingerprint: fingerprint, key: CacheIdentity.key(moduleBytes: bytes, fingerprint: fingerprint))
    let result = try load(bytes, entry: entry, cache: cache, options: options)
    cache.recordKey(entry.key, forFile: path, stamp: stamp, fingerprint: fingerprint)
    return result
  }

  /// After running `module`, loaded from the translation cache: when the run translated functions the entry held
  /// untranslated, appends them to its entry in the order of their first call (the entry's code is copied as it
  /// is), so that the next load translates nothing it ran before; when the functions it called lie spread over far
  /// more code than they fill, rewrites the entry with them first, in the order of their first call, so that the
  /// next load decompresses only the code groups at the front. Does nothing for other modules or when neither
  /// holds (so a rewrite happens about once per entry and workload). Returns whether it rewrote the entry.
  @discardableResult
  public func rewriteCacheEntryInFirstUseOrder(of module: PreparedModule) -> Bool {
    (module.lazyCodeSource as? StoredCode)?.rewriteEntryInFirstUseOrder() ?? false
  }

  /// A module loaded from the cache: its functions are decoded and verified on first call.
  private func prepared(_ stored: StoredModule, options: TranslationOptions) -> PreparedModule {
    PreparedModule(stored.module, options: options, lazyCode: stored.code)
  }

  private func readModuleFile(_ path: String) throws -> [UInt8] {
    guard let bytes = readInputFile(path) else {
      throw EmbeddingError("cannot read \(path): \(String(cString: strerror(errno)))")
    }
    return bytes
  }

  /// Loads a module from a `.wasm` file. With a cache folder, an unchanged file's translation is found through
  /// its source record, without reading or hashing the file (see `loadModuleReportingCache(contentsOf:)`).
  public func loadModule(contentsOf url: URL) throws -> PreparedModule {
    guard url.isFileURL else { return try loadModule(bytes: Array(try Data(contentsOf: url))) }
    return try loadModuleReportingCache(contentsOf: url.path).module
  }

  /// A new store: the unit of isolation (its instances share memories, tables and functions). Not thread-safe;
  /// use one store per thread.
  public func makeStore() -> Store {
    Store(dispatch: configuration.dispatch, limits: configuration.limits)
  }
}

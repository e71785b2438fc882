import ArgumentParser
import FoundationEssentials
import Glibc
import Swasm
import SwasmTranslator

struct CacheCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cache",
    abstract: "Inspect and trim the translation cache that `swasm run --cache` fills.",
    subcommands: [Stats.self, Clear.self, Prune.self, Key.self])

  struct Location: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The cache folder (default $XDG_CACHE_HOME/swasm or ~/.cache/swasm).",
                                            valueName: "DIR"))
    var cacheDir: String?

    var cache: TranslationCache {
      TranslationCache(folder: cacheDir.map { URL(fileURLWithPath: $0) } ?? TranslationCache.defaultFolder)
    }
  }

  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stats", abstract: "Print the folder, its entries and their total size.")
    @OptionGroup var location: Location

    func run() {
      let cache = location.cache
      let entries = cache.entries()
      print("folder: \(cache.folder.path)")
      print("entries: \(entries.count)")
      print("size: \(entries.reduce(0) { $0 + $1.size }) bytes")
      print("source records: \(cache.sourceRecords().count) (files whose entry is found without reading them)")
      print("engine: swasm \(CacheIdentity.runtimeVersion), cache format \(CacheIdentity.formatVersion)")
    }
  }

  struct Clear: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Remove every entry.")
    @OptionGroup var location: Location

    func run() {
      print("removed \(location.cache.clear()) entries")
    }
  }

  struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "key",
      abstract: "Print the cache entry a module maps to (its key is SHA-256 of the engine fingerprint and the module).")
    @OptionGroup var location: Location
    @Argument(help: "The .wasm (or .wat) file.") var file: String

    func run() {
      let entry = TranslationCache.EntryID(moduleBytes: readModuleFile(file), options: TranslationOptions())
      print(location.cache.entryURL(key: entry.key).path)
    }
  }

  struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "prune",
      abstract: "Remove the least recently used entries until the cache fits in SIZE.")
    @OptionGroup var location: Location

    @Option(name: .long, help: ArgumentHelp("Bytes, or with a suffix K, M or G (powers of 1024).", valueName: "SIZE"))
    var maxSize: String

    func run() {
      guard let bytes = parseSize(maxSize) else { fail("--max-size expects a size such as 500M, got \"\(maxSize)\"") }
      print("removed \(location.cache.prune(maxSize: bytes)) entries")
    }
  }
}

/// "123", "64K", "500M", "2G" (powers of 1024).
func parseSize(_ text: String) -> Int? {
  let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
  var digits = text.uppercased()
  var unit = 1
  if let last = digits.last, let u = units[last] {
    unit = u
    digits.removeLast()
  }
  guard let n = Int(digits), n >= 0, n <= Int.max / unit else { return nil }
  return n * unit
}

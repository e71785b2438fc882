import FoundationEssentials
import Glibc
import Swasm

/// What `swasm run`'s limits and wasmtime-style options come to, checked: `--fuel`, `--timeout`, `--max-memory`,
/// `--max-wasm-stack`, and their `-W` spellings; `-W FEATURE=y|n`; `-S inherit-env`, `-S tcplisten=` and `-S threads`. A
/// wasmtime command line works unchanged where swasm has the feature, and names what it does not have.
struct RunSettings {
  var fuel: Int64?
  var timeout: Duration?
  /// The text the user gave for the timeout, for the trap message.
  var timeoutText = ""
  var maxMemoryBytes: UInt64?
  var maxWasmStackBytes: Int?
  var maxTableElements: Int?
  var features = WasmFeatures.all
  var inheritEnv = false
  var tcplisten: [String] = []
  /// wasi-threads (`thread-spawn`) for programs that import it; on unless `-S threads=n`.
  var wasiThreads = true

  /// Fuel needs code that checks at function entries and loop headers (`StoreLimits.meterFuel`); the timeout
  /// does not (an interruption patches the running code).
  var meterFuel: Bool { fuel != nil }

  /// The store limits these settings make, on top of the defaults.
  var limits: StoreLimits {
    var limits = StoreLimits(meterFuel: meterFuel)
    if let maxMemoryBytes { limits.maxMemoryPages = maxMemoryBytes / 65536 }
    if let maxWasmStackBytes {
      limits.stackSlots = max(1024, maxWasmStackBytes / 8)
      limits.maxCallDepth = min(limits.maxCallDepth, max(1, limits.stackSlots / 4))
    }
    if let maxTableElements { limits.maxTableElements = maxTableElements }
    return limits
  }

  /// wasmtime's names of the proposals swasm implements, and swasm's feature for each.
  static let featureNames: [(String, WasmFeatures)] = [
    ("simd", .simd), ("relaxed-simd", .relaxedSimd), ("tail-call", .tailCall), ("exceptions", .exceptions),
    ("legacy-exceptions", .legacyExceptions), ("multi-memory", .multiMemory), ("memory64", .memory64),
    ("extended-const", .extendedConst), ("bulk-memory", .bulkMemory), ("reference-types", .referenceTypes),
    ("multi-value", .multiValue), ("threads", .threads),
  ]
  /// Proposals wasmtime knows that swasm does not implement (yet): turning one on is refused by name.
  static let missingFeatures = ["gc", "function-references", "custom-page-sizes", "wide-arithmetic",
                                "component-model", "shared-everything-threads", "stack-switching"]

  init(_ options: RunOptions) throws {
    inheritEnv = options.inheritEnv
    tcplisten = options.tcplisten
    if let text = options.fuel { fuel = try Self.fuel(text, option: "--fuel") }
    if let text = options.timeout { try setTimeout(text, option: "--timeout") }
    if let text = options.maxMemory { maxMemoryBytes = try Self.size(text, option: "--max-memory") }
    if let text = options.maxWasmStack { maxWasmStackBytes = Int(clamping: try Self.size(text, option: "--max-wasm-stack")) }
    for group in options.wasmtimeOptions { try applyW(group) }
    for group in options.wasiOptions { try applyS(group) }
  }

  /// `-W KEY[=VALUE],...`: limits and proposals, as wasmtime spells them.
  mutating func applyW(_ group: String) throws {
    for (key, value) in try Self.pairs(group, option: "-W") {
      let option = "-W \(key)"
      switch key {
      case "fuel": fuel = try Self.fuel(try Self.required(value, option), option: option)
      case "timeout": try setTimeout(try Self.required(value, option), option: option)
      case "max-memory-size": maxMemoryBytes = try Self.size(try Self.required(value, option), option: option)
      case "max-wasm-stack": maxWasmStackBytes = Int(clamping: try Self.size(try Self.required(value, option), option: option))
      case "max-table-elements":
        guard let n = Int(try Self.required(value, option)), n >= 0 else { throw UsageError("\(option) expects a number of elements") }
        maxTableElements = n
      case _ where Self.featureNames.contains { $0.0 == key }:
        let feature = Self.featureNames.first { $0.0 == key }!.1
        if try Self.flag(value, option) { features.insert(feature) } else { features.remove(feature) }
      case _ where Self.missingFeatures.contains(key):
        if try Self.flag(value, option) { throw UsageError("\(option): swasm does not implement the \(key) proposal yet") }
      default:
        throw UsageError("\(option) is not an option swasm knows (it has -W fuel, timeout, max-memory-size, "
                         + "max-wasm-stack, max-table-elements and FEATURE=y|n)")
      }
    }
  }

  /// `-S KEY[=VALUE],...`: the WASI options swasm has, as wasmtime spells them.
  mutating func applyS(_ group: String) throws {
    for (key, value) in try Self.pairs(group, option: "-S") {
      let option = "-S \(key)"
      switch key {
      case "inherit-env": inheritEnv = try Self.flag(value, option)
      case "tcplisten": tcplisten.append(try Self.required(value, option))
      case "threads": wasiThreads = try Self.flag(value, option)
      case "cli", "preview2":  // what swasm always gives: WASI preview 1 for command-line programs
        guard key == "cli" ? try Self.flag(value, option) : !(try Self.flag(value, option)) else {
          throw UsageError("\(option): swasm runs WASI preview 1 command-line programs only")
        }
      default:
        throw UsageError("\(option) is not a WASI option swasm has (it has -S inherit-env, -S tcplisten=ADDR and -S threads)")
      }
    }
  }

  mutating func setTimeout(_ text: String, option: String) throws {
    timeout = try Self.duration(text, option: option)
    timeoutText = text
  }

  // MARK: values

  /// `KEY[=VALUE]` items separated by commas.
  static func pairs(_ group: String, option: String) throws -> [(String, String?)] {
    try group.split(separator: ",", omittingEmptySubsequences: false).map { item in
      guard !item.isEmpty else { throw UsageError("\(option) expects KEY[=VALUE], got \"\(group)\"") }
      guard let eq = item.firstIndex(of: "=") else { return (String(item), nil) }
      return (String(item[..<eq]), String(item[item.index(after: eq)...]))
    }
  }

  static func required(_ value: String?, _ option: String) throws -> String {
    guard let value, !value.isEmpty else { throw UsageError("\(option) needs a value (\(option)=...)") }
    return value
  }

  /// A boolean as wasmtime reads one: the bare key, or `=y|n|yes|no|true|false`.
  static func flag(_ value: String?, _ option: String) throws -> Bool {
    switch value {
    case nil, "y", "yes", "true": return true
    case "n", "no", "false": return false
    default: throw UsageError("\(option) expects y or n, got \"\(value!)\"")
    }
  }

  static func fuel(_ text: String, option: String) throws -> Int64 {
    guard let n = Int64(text.filter { $0 != "_" }), n >= 0 else {
      throw UsageError("\(option) expects a number of units of fuel (one per Wasm instruction), got \"\(text)\"")
    }
    return n
  }

  /// A size in bytes: a number with an optional suffix K, M, G, T (powers of 1024; `KiB`, `KB`, ... alike).
  static func size(_ text: String, option: String) throws -> UInt64 {
    let digits = text.prefix { $0.isASCII && $0.isNumber }
    let suffix = text.dropFirst(digits.count).uppercased()
    let shifts: [String: UInt64] = ["": 0, "B": 0, "K": 10, "KB": 10, "KIB": 10, "M": 20, "MB": 20, "MIB": 20,
                                    "G": 30, "GB": 30, "GIB": 30, "T": 40, "TB": 40, "TIB": 40]
    guard let n = UInt64(digits), let shift = shifts[suffix], n <= UInt64.max >> shift else {
      throw UsageError("\(option) expects a size in bytes such as 65536, 512K, 64MiB or 4G, got \"\(text)\"")
    }
    return n << shift
  }

  /// A duration: a number with a unit (ns, us, ms, s, m, h), or seconds without one; `1m30s` adds up.
  static func duration(_ text: String, option: String) throws -> Duration {
    let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
    var rest = Substring(text), seconds = 0.0
    func bad() -> UsageError {
      UsageError("\(option) expects a duration such as 500ms, 10s, 2m or 1m30s, got \"\(text)\"")
    }
    guard !rest.isEmpty else { throw bad() }
    while !rest.isEmpty {
      let number = rest.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
      guard let value = Double(number) else { throw bad() }
      rest = rest.dropFirst(number.count)
      let unit = rest.prefix { $0.isLetter }
      rest = rest.dropFirst(unit.count)
      if unit.isEmpty, rest.isEmpty, seconds == 0 {
        seconds = value
        break
      }
      guard let scale = units.first(where: { $0.0 == unit })?.1 else { throw bad() }
      seconds += value * scale
    }
    guard seconds > 0, seconds < 1e9 else { throw bad() }
    return .nanoseconds(Int64(seconds * 1e9))
  }
}

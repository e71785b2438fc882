import FoundationEssentials
import Glibc
import SwasmCache
import SwasmRuntime
import SwasmTranslator
import WasmBinary
import WasmText

enum CommandOutcome {
  case passed
  case failed(expected: String, actual: String)
  case skipped(String)
}

/// The state of one command file: its store, the current module, named and registered instances.
struct SpecSession {
  let folder: URL
  let store: Store
  /// Round-trip every module through the cache file format before running it (see `prepare`).
  let throughCache: Bool
  let features: WasmFeatures
  var imports: Imports
  /// The current module: nil before the first one, or when it failed to load (`loadError` says why).
  var current: Instance?
  var loadError: String?
  var named: [String: Instance] = [:]
  /// Modules from `module_definition`, instantiated by `module_instance`.
  var definitions: [String: Module] = [:]

  static let textModuleSkip = "text module without a binary (run its .wast with `swasm wast`)"

  init(folder: URL, store: Store, throughCache: Bool, features: WasmFeatures) {
    self.folder = folder
    self.store = store
    self.throughCache = throughCache
    self.features = features
    self.imports = spectestImports(store)
  }

  /// Validates `module`, whose functions are translated on first call as the engine does; with `throughCache`,
  /// translates every function, writes them in the cache file format, reads them back, verifies every function and
  /// runs the code read back (decoded lazily, as from a real cache).
  func prepare(_ module: Module) throws -> PreparedModule {
    let options = TranslationOptions(meterFuel: store.limits.meterFuel, features: features)
    guard throughCache else { return try PreparedModule.translatingOnFirstCall(module, options: options) }
    let translated = try PreparedModule(module, options: options)
    let fingerprint = CacheIdentity.fingerprint(options: options)
    let bytes = CacheFileWriter.encode(
      members: [CacheMember(name: "spec", moduleBytesWithoutCode: module.bytesWithoutCode,
                            functions: translated.translatedFunctions!)],
      fingerprint: fingerprint, key: CacheIdentity.key(moduleBytes: module.bytes, fingerprint: fingerprint),
      bundle: false, level: 1)
    let stored = try CacheFile(bytes: bytes, expectedFingerprint: fingerprint).storedModule(0, options: options)
    try stored.code.verifyAll()
    return PreparedModule(stored.module, options: options, lazyCode: stored.code)
  }

  mutating func run(_ c: [String: Any]) -> CommandOutcome {
    do {
      return try dispatch(c)
    } catch {
      return .failed(expected: "the command to run", actual: "harness error: \(error)")
    }
  }

  private mutating func dispatch(_ c: [String: Any]) throws -> CommandOutcome {
    if let error = c["parse_error"] as? String {
      return .failed(expected: "a script that parses", actual: "text error \(error)")
    }
    switch c["type"] as? String ?? "" {
    case "module": return moduleCommand(c)
    case "module_definition":
      guard let bytes = try binary(c) else { return .skipped(Self.textModuleSkip) }
      do {
        let module = try Module(bytes: bytes)
        _ = try module.validate(features: features)
        if let name = c["name"] as? String { definitions[name] = module }
        return .passed
      } catch {
        return .failed(expected: "a valid module", actual: "\(error)")
      }
    case "module_instance":
      guard let name = c["module"] as? String, let module = definitions[name] else {
        return .failed(expected: "a module definition", actual: "none")
      }
      do {
        let instance = try store.instantiate(try prepare(module), imports: imports)
        current = instance
        if let as_ = c["instance"] as? String { named[as_] = instance }
        return .passed
      } catch {
        return .failed(expected: "instantiation", actual: "\(error)")
      }
    case "register":
      let instance = (c["name"] as? String).flatMap { named[$0] } ?? current
      guard let instance, let name = c["as"] as? String else {
        return .failed(expected: "a module to register", actual: loadError ?? "none")
      }
      imports.define(module: name, exportsOf: instance)
      return .passed
    case "action":
      return try perform(c["action"]) { _ in .passed }
    case "assert_return":
      let expected = try ((c["expected"] as? [[String: Any]]) ?? []).map(SpecValue.init(json:))
      if let bad = expected.first(where: { !$0.isSupported }) { return .skipped("\(bad) value") }
      return try perform(c["action"]) { results in
        guard results.count == expected.count, zip(expected, results).allSatisfy({ $0.matches($1) }) else {
          return .failed(expected: "\(expected)", actual: "\(results)")
        }
        return .passed
      }
    case "assert_trap", "assert_exhaustion":
      let exhaustion = c["type"] as? String == "assert_exhaustion"
      let text = c["text"] as? String ?? "a trap"
      return try perform(c["action"], onTrap: { trap in
        if exhaustion && trap.code != .callStackExhausted {
          return .failed(expected: "trap \(text)", actual: "trap \(trap.message)")
        }
        return .passed
      }) { results in .failed(expected: "trap \(text)", actual: "\(results)") }
    case "assert_exception":
      return try perform(c["action"], onException: { _ in .passed }) { results in
        .failed(expected: "an uncaught exception", actual: "\(results)")
      }
    case "assert_malformed" where c["module_quote"] != nil:
      // Malformed text: the text parser must refuse it.
      do {
        _ = try WAT.parse(bytes: c["module_quote"] as! [UInt8], features: features)
        return .failed(expected: "malformed text (\(c["text"] ?? ""))", actual: "the text parsed")
      } catch {
        return .passed
      }
    case "assert_malformed", "assert_invalid":
      guard let bytes = try binary(c) else { return .skipped(Self.textModuleSkip) }
      do {
        _ = try Module(bytes: bytes).validate(features: features)
        return .failed(expected: "\(c["type"]!) (\(c["text"] ?? ""))", actual: "the module loaded")
      } catch {
        return .passed
      }
    case "assert_unlinkable":
      guard let bytes = try binary(c) else { return .skipped(Self.textModuleSkip) }
      let module: Module
      do {
        module = try Module(bytes: bytes)
      } catch {
        return .failed(expected: "unlinkable (\(c["text"] ?? ""))", actual: "\(error)")
      }
      do {
        _ = try store.instantiate(try prepare(module), imports: imports)
        return .failed(expected: "unlinkable (\(c["text"] ?? ""))", actual: "instantiated")
      } catch is LinkError {
        return .passed
      } catch {
        return .failed(expected: "unlinkable (\(c["text"] ?? ""))", actual: "\(error)")
      }
    case "assert_uninstantiable":
      guard let bytes = try binary(c) else { return .skipped(Self.textModuleSkip) }
      do {
        _ = try store.instantiate(try prepare(try Module(bytes: bytes)), imports: imports)
        return .failed(expected: "a trap while instantiating (\(c["text"] ?? ""))", actual: "instantiated")
      } catch is Trap {
        return .passed
      } catch {
        return .failed(expected: "a trap while instantiating (\(c["text"] ?? ""))", actual: "\(error)")
      }
    case let other:
      return .skipped("command \(other)")
    }
  }

  private mutating func moduleCommand(_ c: [String: Any]) -> CommandOutcome {
    current = nil
    loadError = nil
    do {
      guard let bytes = try binary(c) else { return .skipped(Self.textModuleSkip) }
      let instance = try store.instantiate(try prepare(try Module(bytes: bytes)), imports: imports)
      current = instance
      if let name = c["name"] as? String { named[name] = instance }
      return .passed
    } catch {
      loadError = "module failed to load: \(error)"
      return .failed(expected: "the module to load", actual: "\(error)")
    }
  }

  /// The binary module a command names or holds, or nil for a text module without a binary form.
  private func binary(_ c: [String: Any]) throws -> [UInt8]? {
    if let bytes = c["module_bytes"] as? [UInt8] { return bytes }
    if let text = c["module_quote"] as? [UInt8] { return try WAT.parse(bytes: text, features: features) }
    let isText = (c["module_type"] as? String) == "text"
    guard let name = (isText ? c["binary_filename"] : c["filename"]) as? String else {
      if isText { return nil }
      throw SpecError("command without a module file")
    }
    return Array(try Data(contentsOf: folder.appendingPathComponent(name)))
  }

  /// Runs an `invoke` or `get` action and hands its results (or its trap) to the checks.
  private func perform(_ action: Any?, onTrap: (Trap) -> CommandOutcome = { .failed(expected: "results", actual: "\($0)") },
                       onException: (WasmException) -> CommandOutcome = {
                         .failed(expected: "results", actual: "uncaught exception of tag \($0.tag.name)")
                       },
                       _ check: ([Value]) -> CommandOutcome) throws -> CommandOutcome {
    guard let action = action as? [String: Any], let field = action["field"] as? String else {
      throw SpecError("malformed action")
    }
    let target = (action["module"] as? String).flatMap { named[$0] } ?? ((action["module"] == nil) ? current : nil)
    guard let instance = target else {
      return .failed(expected: "a module to act on", actual: loadError ?? "no module")
    }
    switch action["type"] as? String {
    case "get":
      guard case .global(let g) = instance.export(field) else {
        return .failed(expected: "global export \(field)", actual: "none")
      }
      return check([g.value])
    case "invoke":
      guard let function = instance.function(field) else {
        return .failed(expected: "function export \(field)", actual: "none")
      }
      let args = try ((action["args"] as? [[String: Any]]) ?? []).map(SpecValue.init(json:))
      if let bad = args.first(where: { !$0.isSupported }) { return .skipped("\(bad) argument") }
      do {
        return check(try function.invoke(try args.map { try $0.argument(in: store) }))
      } catch let trap as Trap {
        return onTrap(trap)
      } catch let exception as WasmException {
        return onException(exception)
      } catch {
        return .failed(expected: "results", actual: "\(error)")
      }
    default:
      throw SpecError("unknown action \(action["type"] ?? "")")
    }
  }
}

// The coverage-guided fuzz targets (libFuzzer, tools/fuzz/libfuzzer.sh) and their deterministic replay
// (Entry.swift). Each takes arbitrary bytes and must neither crash nor hang; each checks an invariant besides:
//   decode     the decoder and validator: any bytes give a module or an error; and what a cache miss reads the
//              quick way agrees with the long way (the module name without the function names, code chunks cut
//              from the module's bytes in place)
//   translate  a valid module translates, and every translated function passes the cache's bytecode verifier
//              (what the translator emits, the verifier must accept)
//   cache      the bytes as a cache file's payload, behind a header with their correct checksum (so that the
//              fuzzer explores the index, the declarations and the code, not the checksum): loading and verifying
//              it gives an error or code, and code that passes verification runs (under fuel) without crashing
//   path       WASI path resolution beneath a sandbox folder holding symlinks that point in and out: a path
//              resolves inside the sandbox or not at all
//   wat        the text format: any bytes read as a .wast script and as one module give commands, a binary or an
//              error; a binary module that parses is decoded and validated (which must not crash either)
import Foundation
@_spi(Fuzzing) import SwasmWASI
import Swasm
import SwasmCache
import SwasmTranslator
import WasmText

enum FuzzTarget: String, CaseIterable {
  case decode, translate, cache, path, wat

  func run(_ data: [UInt8]) {
    switch self {
    case .decode: decodeAndCompare(data)
    case .translate: translateAndVerify(data)
    case .cache: loadCachePayload(data)
    case .path: resolveInSandbox(data)
    case .wat: parseText(data)
    }
  }
}

func decodeAndCompare(_ data: [UInt8]) {
  guard let module = try? Module(bytes: data) else { return }
  _ = try? module.validate()
  let quickName = module.nameSection.moduleName  // before anything decodes the whole map
  guard quickName == module.names.moduleName else { fatalError("the module name read alone differs from the name map's") }
  guard let range = module.codeSectionRange else { return }
  let count = module.functions.count
  let inPlace = CodeChunk.chunks(in: module.bytes, codeSection: range, functionCount: count, chunkBytes: 64)
  let copied = CodeChunk.chunks(ofCodeSection: Array(module.bytes[range]), functionCount: count, chunkBytes: 64)
  guard inPlace.map(\.firstFunction) == copied.map(\.firstFunction), inPlace.map(\.entries) == copied.map(\.entries) else {
    fatalError("code chunks cut in place differ from those of the copied section")
  }
}

func parseText(_ data: [UInt8]) {
  let text = String(decoding: data, as: UTF8.self)
  for command in (try? WastScript.commands(text)) ?? [] {
    if let quoted = command["module_quote"] as? [UInt8] { _ = try? WAT.parse(bytes: quoted) }
    if let bytes = command["module_bytes"] as? [UInt8] { _ = try? Module(bytes: bytes).validate() }
  }
  if let bytes = try? WAT.parse(bytes: data) { _ = try? Module(bytes: bytes).validate() }
}

func translateAndVerify(_ data: [UInt8]) {
  guard let module = try? Module(bytes: data), let validation = try? module.validate() else { return }
  let translator = ModuleTranslator(module: module, validation: validation)
  let verifier = BytecodeVerifier(module: module)
  for i in module.codes.indices {
    guard let function = try? translator.translate(definedFunction: i) else { continue }  // a limit, reported
    do {
      try verifier.verify(function, definedFunction: i)
    } catch {
      fatalError("function \(i): the translator's code fails verification: \(error)")
    }
  }
}

/// The engine fingerprint the cache target writes and reads files with: fuel-metered, so that code which passes
/// verification can be run with a budget.
let cacheOptions = TranslationOptions(meterFuel: true)
let cacheFingerprint = CacheIdentity.fingerprint(options: cacheOptions)

/// A cache file around `payload`: the header, with the payload's length and checksum (format in
/// cache-format/SPEC.md). `bundle`: set the bundle flag.
func cacheFile(payload: [UInt8], bundle: Bool) -> [UInt8] {
  var header: [UInt8] = Array("\0swasmc\n".utf8)
  func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { header += $0 } }
  func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { header += $0 } }
  u32(CacheIdentity.formatVersion)
  u32(bundle ? 1 : 0)
  header += cacheFingerprint
  header += [UInt8](repeating: 0, count: 32)  // the key, not checked without an expected one
  u64(UInt64(payload.count))
  let checksum = payload.withUnsafeBytes { xxh3($0, seed: xxh3(header)) }
  u64(checksum)
  return header + payload
}

func loadCachePayload(_ data: [UInt8]) {
  guard let first = data.first else { return }
  let file = cacheFile(payload: Array(data.dropFirst()), bundle: first & 1 == 1)
  guard let cache = try? CacheFile(bytes: file, expectedFingerprint: cacheFingerprint) else { return }
  for m in cache.members.indices {
    guard let stored = try? cache.storedModule(m, options: cacheOptions), (try? stored.code.verifyAll()) != nil else { continue }
    // Verified code runs: under fuel, with no imports (a module that needs some is not instantiated).
    let store = Store(limits: StoreLimits(maxMemoryPages: 256, meterFuel: true))
    store.fuel = 100_000
    guard stored.module.imports.isEmpty,
          let instance = try? store.instantiate(PreparedModule(stored.module, options: cacheOptions, lazyCode: stored.code),
                                                imports: Imports()) else { continue }
    for (_, export) in instance.exports {
      guard case .function(let f) = export else { continue }
      _ = try? f.invoke(f.type.params.map(Value.zero))
    }
  }
}

/// A sandbox for the path target: a folder with a file, a subfolder, and symlinks within it and out of it.
let sandbox: (path: String, fd: Int32) = {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-fuzz-sandbox-\(getpid())")
  let inside = root.appendingPathComponent("inside")
  let fm = FileManager.default
  try? fm.createDirectory(at: inside.appendingPathComponent("d/e"), withIntermediateDirectories: true)
  try? fm.createDirectory(at: root.appendingPathComponent("outside"), withIntermediateDirectories: true)
  try? Data("x".utf8).write(to: inside.appendingPathComponent("f"))
  for (name, target) in [("up", ".."), ("abs", "/etc"), ("out", "../outside"), ("loop", "loop"), ("ok", "d/e"),
                         ("d/back", ".."), ("d/e/deep", "../../../outside"), ("self", ".")] {
    try? fm.createSymbolicLink(atPath: inside.appendingPathComponent(name).path, withDestinationPath: target)
  }
  let real = URL(fileURLWithPath: inside.path).resolvingSymlinksInPath().path
  return (real, open(real, O_RDONLY | O_DIRECTORY))
}()

func resolveInSandbox(_ data: [UInt8]) {
  guard let flags = data.first else { return }
  let path = String(decoding: data.dropFirst(), as: UTF8.self)
  guard let resolved = try? PathResolver.resolve(path, beneath: sandbox.fd, followFinal: flags & 1 == 1) else { return }
  defer { close(resolved.parent) }
  // The folder it resolved to, as the system names it: inside the sandbox, or the resolver let the path out.
  let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(resolved.parent)")) ?? ""
  guard target == sandbox.path || target.hasPrefix(sandbox.path + "/") else {
    fatalError("\(path.debugDescription) resolved to \(target), outside the sandbox \(sandbox.path)")
  }
  _ = resolved.name
}

import FoundationEssentials
import Glibc
import Swasm
import WasmBinary
import WasmText

/// Reads a file, turning every problem into a one-line error.
func readFile(_ path: String) -> [UInt8] {
  guard let bytes = readInputFile(path) else { fail("cannot read \(path): \(String(cString: strerror(errno)))") }
  return bytes
}

/// The first `count` bytes of a file (fewer if it is shorter); fails like `readFile`.
func readFileStart(_ path: String, count: Int) -> [UInt8] {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { fail("cannot read \(path): \(String(cString: strerror(errno)))") }
  defer { close(fd) }
  var bytes = [UInt8](repeating: 0, count: count)
  let n = read(fd, &bytes, count)
  guard n >= 0 else { fail("cannot read \(path): \(String(cString: strerror(errno)))") }
  return Array(bytes[0..<n])
}

/// Reads a module file, binary or text (WAT, parsed to its binary form), turning every problem into a one-line
/// error.
func readModuleFile(_ path: String) -> [UInt8] {
  do {
    return try WAT.binary(readFile(path))
  } catch {
    fail(errorMessage(error, in: path))
  }
}

/// `path: message`, or for an error in text `path:line:column: message`, the form editors jump to.
func errorMessage(_ error: Error, in path: String) -> String {
  error is TextError ? "\(path):\(error)" : "\(path): \(error)"
}

/// Reads and decodes a module file, binary or text, turning every problem into a one-line error.
func loadModule(_ path: String) -> Module {
  do {
    return try Module(bytes: readModuleFile(path))
  } catch {
    fail(errorMessage(error, in: path))
  }
}

/// A module ready to instantiate, with the name other modules import it by and the earlier modules of its bundle
/// that provide some of its imports.
struct ModuleToRun {
  var name: String
  var module: PreparedModule
  var wiring: [(importModule: String, member: Int)] = []
}

/// Loads `path`: a `.wasm` module (translated, or from the engine's cache) or a precompiled bundle, whose
/// members come in instantiation order. `first` is the index the first member will have among all modules.
func loadForRunning(_ path: String, name: String, engine: Engine, first: Int, verbose: Bool) -> [ModuleToRun] {
  func members(_ bundle: PrecompiledBundle) -> [ModuleToRun] {
    bundle.members.map { m in
      ModuleToRun(name: m.name, module: m.module, wiring: m.wiring.map { ($0.importModule, $0.member + first) })
    }
  }
  do {
    // A pipe or a device can be read once: all of it, then looked at.
    var info = stat()
    if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
      let bytes = readFile(path)
      if PrecompiledBundle.isPrecompiled(Array(bytes.prefix(16))) { return members(try engine.loadBundle(bytes: bytes)) }
      let (module, outcome) = try engine.loadModuleReportingCache(bytes: bytes)
      reportCacheOutcome(outcome, path: path, verbose: verbose)
      return [ModuleToRun(name: name, module: module)]
    }
    if PrecompiledBundle.isPrecompiled(readFileStart(path, count: 16)) {
      return members(try engine.loadBundle(contentsOfFile: path))
    }
    // From the path, not the bytes: with the cache, an unchanged file is found without being read.
    let (module, outcome) = try engine.loadModuleReportingCache(contentsOf: path)
    reportCacheOutcome(outcome, path: path, verbose: verbose)
    return [ModuleToRun(name: name, module: module)]
  } catch {
    fail(errorMessage(error, in: path))
  }
}

/// With --verbose: whether the cache entry was used, and why not.
func reportCacheOutcome(_ outcome: CacheOutcome, path: String, verbose: Bool) {
  guard verbose else { return }
  switch outcome {
  case .disabled: break
  case .hit: writeStderr("swasm: cache hit for \(path)\n")
  case .miss(let reason): writeStderr("swasm: cache miss for \(path) (\(reason)); entry written\n")
  case .missNotWritten(let reason, let failure):
    writeStderr("swasm: cache miss for \(path) (\(reason)); the entry could NOT be written: \(failure)\n")
  }
}

import Foundation
import Swasm

/// Reads a file, turning every problem into a one-line error.
func readFile(_ path: String) -> [UInt8] {
  guard let bytes = readWholeFile(path) else { fail("cannot read \(path): \(String(cString: strerror(errno)))") }
  return bytes
}

/// Reads and decodes a module file, turning every problem into a one-line error.
func loadModule(_ path: String) -> Module {
  do {
    return try Module(bytes: readFile(path))
  } catch {
    fail("\(path): \(error)")
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
  let bytes = readFile(path)
  do {
    if PrecompiledBundle.isPrecompiled(bytes) {
      let bundle = try engine.loadBundle(bytes: bytes)
      return bundle.members.map { m in
        ModuleToRun(name: m.name, module: m.module, wiring: m.wiring.map { ($0.importModule, $0.member + first) })
      }
    }
    let (module, outcome) = try engine.loadModuleReportingCache(bytes: bytes)
    if verbose {
      switch outcome {
      case .disabled: break
      case .hit: writeStderr("swasm: cache hit for \(path)\n")
      case .miss(let reason): writeStderr("swasm: cache miss for \(path) (\(reason)); entry written\n")
      }
    }
    return [ModuleToRun(name: name, module: module)]
  } catch {
    fail("\(path): \(error)")
  }
}

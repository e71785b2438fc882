import FoundationEssentials
import Glibc
import SwasmRuntime
import WasmBinary
import WasmText

/// Runs the spec suite's command files against swasm: JSON (format: ../shared/spectest/README.md), or the `.wast`
/// scripts themselves (read by WasmText into commands of the same shape).
public struct SpecRunner {
  public var dispatch: DispatchMode
  /// Translate with fuel checks (with unlimited fuel): the same results are expected.
  public var meterFuel: Bool
  /// Run every module from a cache file written and read back, its functions verified (the cache round trip).
  public var throughCache: Bool
  /// The features modules are validated with: `.wasm2` for the wasm-2.0 group, whose tests expect Wasm 2.0's
  /// rules (one memory), `.all` for the others.
  public var features: WasmFeatures

  public init(dispatch: DispatchMode = .threaded, meterFuel: Bool = false, throughCache: Bool = false,
              features: WasmFeatures = .all) {
    self.dispatch = dispatch
    self.meterFuel = meterFuel
    self.throughCache = throughCache
    self.features = features
  }

  /// Runs the files named, and every file under the folders named whose name ends with `suffix` (JSON command
  /// lists, or `.wast` scripts), in path order.
  public func run(paths: [String], ending suffix: String = ".json") throws -> SpecReport {
    var report = SpecReport()
    for file in try Self.files(paths, ending: suffix) { report.files.append(run(file: file)) }
    return report
  }

  /// The files named, and those under the folders named whose names end with `suffix`, in path order.
  public static func files(_ paths: [String], ending suffix: String) throws -> [URL] {
    var files: [URL] = []
    for path in paths {
      var isFolder = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        throw SpecError("no such file or folder: \(path)")
      }
      if isFolder {
        let all = (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []
        let folder = URL(fileURLWithPath: path)
        files += all.filter { $0.hasSuffix(suffix) }.map { folder.appendingPathComponent($0) }.sorted { $0.path < $1.path }
      } else {
        files.append(URL(fileURLWithPath: path))
      }
    }
    return files
  }

  /// Runs one command file: a `.wast` script, or a JSON command list.
  public func run(file url: URL) -> SpecFileResult {
    var result = SpecFileResult(file: url.lastPathComponent)
    let commands: [[String: Any]]
    do {
      if url.pathExtension == "wast" {
        commands = try WastScript.commands(bytes: Array(Data(contentsOf: url)), features: features)
      } else {
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url)).plain as? [String: Any]
        guard let list = json?["commands"] as? [[String: Any]] else { throw SpecError("no commands") }
        commands = list
      }
    } catch {
      result.failed += 1
      result.failures.append(SpecFailure(file: result.file, line: (error as? TextError)?.line ?? 0, command: "read",
                                         expected: "a command file",
                                         actual: "\(error)"))
      return result
    }
    var session = SpecSession(folder: url.deletingLastPathComponent(), store: Store(dispatch: dispatch, limits: StoreLimits(meterFuel: meterFuel)),
                              throughCache: throughCache, features: features)
    for command in commands {
      let line = command["line"] as? Int ?? 0
      let type = command["type"] as? String ?? "?"
      switch session.run(command) {
      case .passed: result.passed += 1
      case .skipped(let reason): result.skip(reason)
      case .failed(let expected, let actual):
        result.failed += 1
        result.failures.append(SpecFailure(file: result.file, line: line, command: type, expected: expected, actual: actual))
      }
    }
    return result
  }
}

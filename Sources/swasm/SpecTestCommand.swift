import ArgumentParser
import FoundationEssentials
import SwasmSpecTest

struct SpecTest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "spectest",
    abstract: "Run WebAssembly spec test command files (JSON, as converted by wasm-tools json-from-wast).",
    discussion: """
      Prints one line per failing command and ends with `N passed, N failed, N skipped`. \
      Exit status is 0 only when nothing failed. `.wast` files named here run as with `swasm wast`.
      """)

  @Argument(help: "JSON command files, or folders searched for them.")
  var paths: [String]

  @OptionGroup var options: SpecRunOptions

  func run() throws { try options.run(paths: paths, ending: ".json") }
}

struct Wast: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "wast",
    abstract: "Run WebAssembly spec test scripts (.wast) straight from text.",
    discussion: """
      Modules in scripts are parsed from text, `(module binary ...)` and `(module quote ...)` included; a \
      malformed-text assertion passes only when the text parser refuses the module. Prints one line per failing \
      command and ends with `N passed, N failed, N skipped`. Exit status is 0 only when nothing failed.
      """)

  @Argument(help: ".wast scripts, or folders searched for them.")
  var paths: [String]

  @OptionGroup var options: SpecRunOptions

  func run() throws { try options.run(paths: paths, ending: ".wast") }
}

/// What `spectest` and `wast` share: how modules run, and the report.
struct SpecRunOptions: ParsableArguments {
  @Option(name: .long, help: "Interpreter dispatch: threaded or switch.")
  var dispatch: DispatchOption = .threaded

  @Flag(name: .long, help: "Run every module from its cache file, written and read back, every function verified.")
  var throughCache = false

  @Flag(name: .long, help: "Translate with fuel checks (unlimited fuel): results must not change.")
  var fuel = false

  @Flag(name: .customLong("wasm2"), help: "Validate by Wasm 2.0's rules (one memory, no memory64): for the wasm-2.0 group.")
  var wasm2 = false

  @Flag(name: .long, help: "Print the totals of every file.")
  var verbose = false

  /// Runs the files named and those under the folders named whose names end with `suffix`.
  func run(paths: [String], ending suffix: String) throws {
    let runner = SpecRunner(dispatch: dispatch == .threaded ? .threaded : .switchLoop, meterFuel: fuel,
                            throughCache: throughCache, features: wasm2 ? .wasm2 : .all)
    let files: [FoundationEssentials.URL]
    do {
      files = try SpecRunner.files(paths, ending: suffix)
    } catch {
      fail("\(error)")
    }
    var report = SpecReport()
    for file in files {
      let result = runner.run(file: file)
      for failure in result.failures { print(failure.description) }
      if verbose { print(result.summary) }
      report.files.append(result)
    }
    print(report.totals)
    if report.failed > 0 { throw ExitCode.failure }
  }
}

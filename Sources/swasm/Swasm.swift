import ArgumentParser
import SwasmCache

/// The version printed by `swasm --version` (written once, in CacheIdentity: cache entries are tied to it).
let swasmVersion = CacheIdentity.runtimeVersion

// Every command names itself: ArgumentParser would otherwise derive names by reflection on each launch.
@main
struct Swasm: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "swasm",
    abstract: "A WebAssembly runtime: Wasm translated to register bytecode and interpreted.",
    version: "swasm \(swasmVersion)",
    subcommands: [Run.self, Compile.self, CacheCommand.self, SpecTest.self, Inspect.self])

  /// `swasm run` with a plain command line starts without ArgumentParser (see RunOptions); everything else goes
  /// through it.
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "run", let options = RunOptions(quickParsing: Array(arguments.dropFirst())) {
      do {
        try options.run()
      } catch {
        Run.exit(withError: error)
      }
      return
    }
    main(nil)
  }
}

/// Exit codes of the CLI.
enum ExitStatus {
  /// Bad arguments, unreadable files, malformed or invalid modules, link errors.
  static let error: Int32 = 1
  /// The guest trapped.
  static let trap: Int32 = 134
}

enum DispatchOption: String, ExpressibleByArgument, CaseIterable {
  case threaded
  case `switch`
}

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

import ArgumentParser
import Glibc
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
    subcommands: [Run.self, Compile.self, CacheCommand.self, SpecTest.self, Wast.self, Inspect.self, Print.self])

  /// `swasm run` with a plain command line starts without ArgumentParser (see RunOptions); everything else goes
  /// through it.
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "run" {
      let parsed: RunOptions?
      do {
        parsed = try RunOptions(quickParsing: Array(arguments.dropFirst()))
      } catch {
        fail("\(error)")
      }
      if let options = parsed {
        do {
          try options.run()
        } catch {
          Run.exit(withError: error)
        }
        return
      }
    }
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch {
      // ArgumentParser's usage errors exit with 64 (EX_USAGE); swasm's documented status for bad arguments is 1.
      if exitCode(for: error) == .validationFailure {
        writeStderr(fullMessage(for: error) + "\n")
        Glibc.exit(ExitStatus.error)
      }
      exit(withError: error)
    }
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

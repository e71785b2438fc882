import ArgumentParser
import FoundationEssentials
import Glibc
import Swasm

struct Compile: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compile",
    abstract: "Translate modules ahead of time into a precompiled file.",
    discussion: """
      Writes one file holding the translated code of every MODULE, in the order given: libraries first, the \
      application last. Each is named NAME (or its file name without `.wasm` or `.wat`); an import from a module named \
      like an earlier one is wired to that module's instance, other imports (WASI) come from the host. \
      `swasm run OUT` runs it without the .wasm files and without translating. The file is tied to this swasm \
      version and to the settings it was compiled with (--fuel); another swasm refuses it with a clear error.
      """)

  @Argument(help: ArgumentHelp("Modules to translate (.wasm or .wat), libraries first.", valueName: "[NAME=]FILE.wasm"))
  var modules: [String]

  @Option(name: .short, help: ArgumentHelp("The precompiled file to write.", valueName: "OUT.swasm"))
  var output: String

  @Flag(name: .long, help: "Translate for fuel metering (as embedders with fuel limits configure the engine).")
  var fuel = false

  @Option(name: .long, help: ArgumentHelp(
    "zstd level of the code, 1 to \(Zstd.maxLevel): higher levels write smaller files, more slowly (19: 6% smaller than the default 9, 37x slower to write); reading is as fast.",
    valueName: "N"))
  var level: Int32 = Zstd.defaultLevel

  func run() throws {
    guard !modules.isEmpty else { fail("no modules to compile") }
    guard (1...Zstd.maxLevel).contains(level) else { fail("--level must be between 1 and \(Zstd.maxLevel), not \(level)") }
    var limits = StoreLimits()
    limits.meterFuel = fuel
    let engine = Engine(configuration: EngineConfiguration(limits: limits))
    let inputs = modules.map { spec -> (name: String, bytes: [UInt8]) in
      if let eq = spec.firstIndex(of: "="), eq != spec.startIndex {
        return (String(spec[..<eq]), readModuleFile(String(spec[spec.index(after: eq)...])))
      }
      return (URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent, readModuleFile(spec))
    }
    let names = inputs.map(\.name)
    if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
      fail("two modules are named \"\(duplicate)\"; give one another name with NAME=FILE")
    }
    let bytes: [UInt8]
    do {
      bytes = try engine.compileBundle(inputs, level: level)
    } catch {
      fail("\(error)")
    }
    do {
      try TranslationCache.writeAtomically(bytes, to: URL(fileURLWithPath: output))
    } catch {
      fail("\(error)")
    }
  }
}

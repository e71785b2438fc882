import ArgumentParser
import WasmBinary
import WasmText

struct Print: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "print",
    abstract: "Print a module in the text format (WAT).",
    discussion: """
      Flat instructions with numeric indices, but functions by their names from the `name` section where those \
      are usable identifiers; floats as exact hexadecimal literals. `swasm run` and the other commands read the \
      output back as the same module (other custom sections are not printed).
      """)

  @Argument(help: "The .wasm file (or .wat text, printed in its canonical form).")
  var file: String

  func run() throws {
    let module = loadModule(file)
    do {
      print(try TextPrinter.text(of: module), terminator: "")
    } catch {
      fail(errorMessage(error, in: file))
    }
  }
}

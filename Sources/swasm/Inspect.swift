import ArgumentParser
import SwasmBytecode
import SwasmTranslator
import WasmBinary

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show a module's imports, exports and functions, and optionally their bytecode.")

  @Argument(help: "The .wasm file.")
  var file: String

  @Flag(name: .long, help: "Print the register bytecode of every function.")
  var disassemble = false

  func run() throws {
    let module = loadModule(file)
    let info: ValidationInfo
    do {
      info = try module.validate()
    } catch {
      fail("\(file): \(error)")
    }
    print("\(file): \(module.bytes.count) bytes, \(module.types.count) types, \(module.functions.count) functions")
    for imp in module.imports { print("import \(imp.module).\(imp.name): \(imp.descriptor)") }
    for exp in module.exports { print("export \"\(exp.name)\": \(exp.kind) \(exp.index)") }
    let imported = module.importedFunctionTypes.count
    let translator = ModuleTranslator(module: module, validation: info)
    for (i, body) in module.codes.enumerated() {
      let index = UInt32(imported + i)
      let type = module.types[Int(module.functions[i])]
      print("func \(index) \(module.functionName(index)) \(type): \(body.codeRange.count) bytes of code")
      guard disassemble else { continue }
      do {
        let compiled = try translator.translate(definedFunction: i)
        print("  frame \(compiled.frameSize) slots, \(compiled.constants.count) constants, \(compiled.code.count) code slots")
        print(SwasmBytecode.disassemble(compiled.code).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
      } catch {
        print("  \(error)")
      }
    }
  }
}

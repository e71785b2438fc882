// Measures, for swasm and WasmKit 0.4.2 side by side in one process:
//   1. one call from Swift into a trivial guest function (i32 -> i32), and
//   2. one host-function call from the guest (a guest loop calling an i32 -> i32 host function).
// Each engine uses its fastest public path: swasm's typed calls and typed host functions; WasmKit's
// caller-owned execution stack and raw (buffer-based) host functions. Median of 7 runs, ns per call.
import Foundation
import Swasm
import WasmKit

// (module
//   (import "env" "inc" (func $inc (param i32) (result i32)))
//   (func (export "id") (param i32) (result i32) (local.get 0))
//   (func (export "callHost") (param $n i32) (result i32) (local $acc i32)
//     (block $done (loop $l
//       (br_if $done (i32.eqz (local.get $n)))
//       (local.set $acc (call $inc (local.get $acc)))
//       (local.set $n (i32.sub (local.get $n) (i32.const 1)))
//       (br $l)))
//     (local.get $acc)))
let wasm: [UInt8] = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x02, 0x0b,
  0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x69, 0x6e, 0x63, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00, 0x07, 0x11,
  0x02, 0x02, 0x69, 0x64, 0x00, 0x01, 0x08, 0x63, 0x61, 0x6c, 0x6c, 0x48, 0x6f, 0x73, 0x74, 0x00, 0x02, 0x0a,
  0x27, 0x02, 0x04, 0x00, 0x20, 0x00, 0x0b, 0x20, 0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45,
  0x0d, 0x01, 0x20, 0x01, 0x10, 0x00, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c, 0x00, 0x0b,
  0x0b, 0x20, 0x01, 0x0b, 0x00, 0x28, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x06, 0x01, 0x00, 0x03, 0x69, 0x6e,
  0x63, 0x02, 0x0b, 0x01, 0x02, 0x02, 0x00, 0x01, 0x6e, 0x01, 0x03, 0x61, 0x63, 0x63, 0x03, 0x0c, 0x01, 0x02,
  0x02, 0x00, 0x04, 0x64, 0x6f, 0x6e, 0x65, 0x01, 0x01, 0x6c,
]

func median(_ runs: Int = 7, _ body: () throws -> Double) rethrows -> Double {
  var samples: [Double] = []
  for _ in 0..<runs { samples.append(try body()) }
  return samples.sorted()[runs / 2]
}

func nanosecondsPerCall(_ calls: Int, _ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(calls)
}

let calls = 1_000_000

// swasm
let swasmEngine = Swasm.Engine()
let swasmStore = swasmEngine.makeStore()
var linker = Swasm.Linker(store: swasmStore)
linker.define("env", "inc") { (_: Swasm.Caller, x: Int32) -> Int32 in x &+ 1 }
let swasmInstance = try linker.instantiate(try swasmEngine.loadModule(bytes: wasm))
let swasmID = try swasmInstance.function("id")!.typed(Int32.self, returning: Int32.self)
let swasmCallHost = try swasmInstance.function("callHost")!.typed(Int32.self, returning: Int32.self)

// WasmKit
let kitStore = WasmKit.Store(engine: WasmKit.Engine())
let inc = WasmKit.Function(store: kitStore, parameters: [.i32], results: [.i32]) { _, args, results in
  results[0] = .i32(args[0].i32 &+ 1)
}
var kitImports = WasmKit.Imports()
kitImports.define(module: "env", name: "inc", inc)
let kitInstance = try WasmKit.parseWasm(bytes: wasm).instantiate(store: kitStore, imports: kitImports)
let kitID = kitInstance.exports[function: "id"]!
let kitCallHost = kitInstance.exports[function: "callHost"]!
var kitStack = ExecutionStack(engine: kitStore.engine)

var sink: Int64 = 0
let swasmCall = try median {
  try nanosecondsPerCall(calls) { for i in 0..<Int32(calls) { sink &+= Int64(try swasmID(i)) } }
}
let kitCall = try median {
  try nanosecondsPerCall(calls) {
    for i in 0..<Int32(calls) { sink &+= Int64(try kitID.invoke([.i32(UInt32(bitPattern: i))], on: &kitStack)[0].i32) }
  }
}
let swasmHost = try median { try nanosecondsPerCall(calls) { sink &+= Int64(try swasmCallHost(Int32(calls))) } }
let kitHost = try median {
  try nanosecondsPerCall(calls) { sink &+= Int64(try kitCallHost.invoke([.i32(UInt32(calls))], on: &kitStack)[0].i32) }
}

print("ns per call (median of 7 runs of \(calls) calls), checksum \(sink)")
print("                          swasm   WasmKit 0.4.2   WasmKit/swasm")
print(String(format: "Swift -> guest call    %7.1f   %13.1f   %12.2fx", swasmCall, kitCall, kitCall / swasmCall))
print(String(format: "guest -> host call     %7.1f   %13.1f   %12.2fx", swasmHost, kitHost, kitHost / swasmHost))

// A small plugin host: a shared library module and several plugins that import it (and the host's `log`),
// linked to each other directly, then called in a loop.
import Foundation
import Swasm

let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
do {
  // Plugins are untrusted: bound their memory, call depth and fuel.
  let limits = StoreLimits(maxCallDepth: 10_000, maxMemoryPages: 16, meterFuel: true)
  let engine = Engine(configuration: EngineConfiguration(limits: limits))
  let store = engine.makeStore()
  var linker = Linker(store: store)
  linker.define("host", "log") { (_: Caller, plugin: Int32, value: Int32) in
    print("  plugin \(plugin) logs \(value)")
  }

  // The library is instantiated once; its exports become importable as "lib" by every plugin.
  let library = try linker.instantiate(try engine.loadModule(contentsOf: folder.appendingPathComponent("lib.wasm")))
  linker.define(instance: library, as: "lib")

  var plugins: [(name: String, run: TypedFunction<Int32, Int32>)] = []
  for name in ["doubler", "squarer"] {
    let module = try engine.loadModule(contentsOf: folder.appendingPathComponent("\(name).wasm"))
    let instance = try linker.instantiate(module)
    plugins.append((name, try instance.function("run")!.typed(Int32.self, returning: Int32.self)))
  }

  for round in 1...3 {
    print("round \(round)")
    for plugin in plugins {
      store.fuel = 10_000  // each call gets a fresh budget
      print("  \(plugin.name)(\(round)) = \(try plugin.run(Int32(round)))")
    }
  }
  // Plugins share the library's state: its call counter saw every call.
  let calls = try library.function("calls")!.typed(returning: Int32.self)
  print("library calls: \(try calls())")
} catch {
  print("error: \(error)")
  exit(1)
}

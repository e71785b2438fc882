// A host function that reads a string from the calling guest's memory.
import Foundation
import Swasm

let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
do {
  let engine = Engine()
  let module = try engine.loadModule(contentsOf: folder.appendingPathComponent("greeter.wasm"))
  let store = engine.makeStore()
  var linker = Linker(store: store)
  // env.print(pointer, length): the guest passes where its string is; Caller.memory is the guest's memory.
  linker.define("env", "print") { (caller: Caller, pointer: Int32, length: Int32) in
    guard let text = caller.memory?.string(at: Int(pointer), count: Int(length)) else {
      throw Trap(.hostTrap, message: "print: string out of bounds")
    }
    print("guest says: \(text)")
  }
  let instance = try linker.instantiate(module)
  try instance.function("greet")!.typed()()
} catch {
  print("error: \(error)")
  exit(1)
}

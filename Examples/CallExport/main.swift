// Calling an exported function: load a module (here from its text, math.wat), instantiate it, call `add` with
// Swift values.
import Foundation
import Swasm

let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
do {
  let engine = Engine()
  let module = try engine.loadModule(contentsOf: folder.appendingPathComponent("math.wat"))
  let store = engine.makeStore()
  let instance = try store.instantiate(module)

  // Typed: the signature is checked once; calls pass Swift values straight to the guest.
  let add = try instance.function("add")!.typed(Int32.self, Int32.self, returning: Int32.self)
  print("add(2, 40) = \(try add(2, 40))")

  // Untyped: Value in, Value out, for signatures known only at run time.
  let results = try instance.function("divmod")!.invoke([.i32(17), .i32(5)])
  print("divmod(17, 5) = \(results.map(\.description).joined(separator: ", "))")

  // Traps are Swift errors with a message and a backtrace.
  do {
    _ = try instance.function("divmod")!.invoke([.i32(1), .i32(0)])
  } catch let trap as Trap {
    print("divmod(1, 0) trapped: \(trap.message) in \(trap.backtrace.joined(separator: " <- "))")
  }
} catch {
  print("error: \(error)")
  exit(1)
}

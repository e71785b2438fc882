import ArgumentParser
import SwasmRuntime
import WasmBinary

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a WebAssembly module.",
    discussion: """
      Without --invoke, calls the module's `_start` export. With --invoke NAME, calls that export with ARGS \
      (parsed by its parameter types: integers in decimal, floats as decimal numbers) and prints each result \
      on its own line.

      Exit status: 0 on success, 1 for bad arguments, unreadable files, malformed or invalid modules and \
      unresolved imports, 134 when the guest traps (the trap and a backtrace go to stderr).
      WASI is not available yet: modules with imports cannot run.
      """)

  @Option(name: .long, help: "Call this exported function instead of `_start`.")
  var invoke: String?

  @Option(name: .long, help: "Interpreter dispatch: threaded (fast) or switch (portable).")
  var dispatch: DispatchOption = .threaded

  @Argument(help: "The .wasm file.")
  var file: String

  @Argument(parsing: .captureForPassthrough, help: "Arguments for the invoked function.")
  var args: [String] = []

  func run() throws {
    let module = loadModule(file)
    if let first = module.imports.first {
      fail("unresolved import \(first.module).\(first.name) (WASI and other imports are not supported yet)")
    }
    let store = Store(dispatch: dispatch == .threaded ? .threaded : .switchLoop)
    let instance: Instance
    do {
      instance = try store.instantiate(module)
    } catch let trap as Trap {
      reportTrap(trap)
    } catch {
      fail("\(file): \(error)")
    }
    let name = invoke ?? "_start"
    guard let function = instance.function(name) else {
      if invoke == nil { fail("no _start export; use --invoke NAME") }
      fail("no exported function named \"\(name)\"")
    }
    let params = function.type.params
    guard args.count == params.count else {
      fail("\(name) takes \(params.count) argument(s) (\(params.map(\.description).joined(separator: ", "))), got \(args.count)")
    }
    var values: [Value] = []
    for (text, type) in zip(args, params) {
      guard let value = parseArgument(text, type) else { fail("cannot read \"\(text)\" as \(type)") }
      values.append(value)
    }
    do {
      for result in try function.invoke(values) { print(format(result)) }
    } catch let trap as Trap {
      reportTrap(trap)
    } catch {
      fail("\(error)")
    }
  }

  func parseArgument(_ text: String, _ type: ValueType) -> Value? {
    switch type {
    case .i32:
      if let v = Int32(text) { return .i32(UInt32(bitPattern: v)) }
      return UInt32(text).map { .i32($0) }
    case .i64:
      if let v = Int64(text) { return .i64(UInt64(bitPattern: v)) }
      return UInt64(text).map { .i64($0) }
    case .f32: return Float(text).map { .f32($0.bitPattern) }
    case .f64: return Double(text).map { .f64($0.bitPattern) }
    default: return nil
    }
  }

  func format(_ value: Value) -> String {
    switch value {
    case .i32(let v): return String(Int32(bitPattern: v))
    case .i64(let v): return String(Int64(bitPattern: v))
    case .f32(let v): return String(Float(bitPattern: v))
    case .f64(let v): return String(Double(bitPattern: v))
    case .funcref(let r): return r == nil ? "ref.null func" : "funcref"
    case .externref(let r): return r.map { "externref \($0)" } ?? "ref.null extern"
    }
  }
}

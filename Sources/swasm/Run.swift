import ArgumentParser
import FoundationEssentials
import Glibc
import Swasm
import SwasmWASI

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a WebAssembly module.",
    discussion: """
      Runs a WASI preview 1 program (or any module whose imports are all WASI): calls its `_start` export \
      with ARGS as its command-line arguments. With --invoke NAME, calls that export instead, with ARGS parsed \
      by its parameter types (integers in decimal, floats as decimal numbers), and prints each result on its \
      own line; a WASI reactor (exports `_initialize`, no `_start`) is initialised first. With --entry NAME,       runs a WASI reactor as a program: calls `_initialize` (when exported), then NAME (no parameters) with       ARGS as the command-line arguments; an i32 result is the exit status.

      The guest sees only the folders given with --dir, and only the environment given with --env \
      (or all of it with --inherit-env). Standard input, output and error are passed through.

      Exit status: the guest's `proc_exit` code (0 when `_start` returns); 1 for bad arguments, unreadable \
      files, malformed or invalid modules and unresolved imports (one line on stderr); 134 when the guest \
      traps (the trap and a backtrace of function names go to stderr).
      """)

  @Option(name: .long, help: "Call this exported function instead of `_start`.")
  var invoke: String?

  @Option(name: .long, help: ArgumentHelp("Run a WASI reactor: `_initialize`, then this export as the program's entry, with ARGS as its command-line arguments.", valueName: "NAME"))
  var entry: String?

  @Option(name: .long, help: "Interpreter dispatch: threaded (fast) or switch (portable).")
  var dispatch: DispatchOption = .threaded

  @Option(name: .long, parsing: .singleValue,
          help: ArgumentHelp("Give the guest a folder: HOST, or HOST::GUEST to show it under another path.",
                             valueName: "HOST[::GUEST]"))
  var dir: [String] = []

  @Option(name: .long, parsing: .singleValue,
          help: ArgumentHelp("Set a guest environment variable (NAME alone: pass this process's value of it).",
                             valueName: "NAME[=VALUE]"))
  var env: [String] = []

  @Flag(name: .long, help: "Pass this process's whole environment to the guest.")
  var inheritEnv = false

  @Option(name: .long, parsing: .singleValue,
          help: ArgumentHelp("Listen on a TCP address and hand the socket to the guest (file descriptors 3, 4, ... "
                             + "in order, before the --dir folders); it accepts connections with sock_accept.",
                             valueName: "HOST:PORT"))
  var tcplisten: [String] = []

  @Option(name: .long, parsing: .singleValue,
          help: ArgumentHelp("Instantiate FILE first and make its exports importable as module NAME (repeatable; "
                             + "instances share memories, tables and functions directly).", valueName: "NAME=FILE"))
  var preload: [String] = []

  @Flag(name: .long, help: "Use the translation cache: keep FILE validated, with what each run translated, for the next starts.")
  var cache = false

  @Option(name: .long, help: ArgumentHelp("The cache folder (implies --cache; default $XDG_CACHE_HOME/swasm or ~/.cache/swasm).",
                                          valueName: "DIR"))
  var cacheDir: String?

  @Flag(name: .long, help: "Say on stderr whether the cache was used (and why not), how long loading took, and how long until the entry returned.")
  var verbose = false

  @Option(name: .long, help: ArgumentHelp("Stop the guest (a trap) once it has run about N Wasm instructions. Translates with fuel checks.", valueName: "N"))
  var fuel: String?

  @Option(name: .long, help: ArgumentHelp("Stop the guest (a trap) after this wall-clock time: 500ms, 10s, 2m. Translates with fuel checks.", valueName: "DURATION"))
  var timeout: String?

  @Option(name: .long, help: ArgumentHelp("Most bytes any memory may grow to: 65536, 512K, 64MiB, 4G.", valueName: "SIZE"))
  var maxMemory: String?

  @Option(name: .long, help: ArgumentHelp("The Wasm value stack's size (frames' slots, 8 bytes each): 512K, 8M.", valueName: "SIZE"))
  var maxWasmStack: String?

  @Option(name: .long, help: ArgumentHelp("The program's name as the guest sees it (argv[0]; default: FILE).", valueName: "NAME"))
  var argv0: String?

  @Option(name: .customShort("W"), parsing: .singleValue,
          help: ArgumentHelp("wasmtime's spellings: fuel=N, timeout=DURATION, max-memory-size=BYTES, max-wasm-stack=BYTES, "
                             + "max-table-elements=N, or a proposal turned on or off (simd=n, memory64=n, ...).",
                             valueName: "KEY=VALUE,..."))
  var wasmtimeOptions: [String] = []

  @Option(name: .customShort("S"), parsing: .singleValue,
          help: ArgumentHelp("wasmtime's WASI options: inherit-env, tcplisten=HOST:PORT, threads (wasi-threads, on by default).", valueName: "KEY[=VALUE],..."))
  var wasiOptions: [String] = []

  // The positional arguments last: the usage line then shows every option before FILE, where they must go (after
  // FILE, everything is the guest's).
  @Argument(help: "The .wasm file (or .wat text), or a bundle made by `swasm compile`.")
  var file: String

  @Argument(parsing: .captureForPassthrough,
            help: "The program's command-line arguments (with --invoke: the function's arguments). Options go before FILE.")
  var args: [String] = []

  func run() throws { try options.run() }

  var options: RunOptions {
    RunOptions(invoke: invoke, entry: entry, dispatch: dispatch, dir: dir, env: env, inheritEnv: inheritEnv, tcplisten: tcplisten,
               preload: preload, file: file, args: args, cache: cache, cacheDir: cacheDir, verbose: verbose, fuel: fuel,
               timeout: timeout, maxMemory: maxMemory, maxWasmStack: maxWasmStack, argv0: argv0,
               wasmtimeOptions: wasmtimeOptions, wasiOptions: wasiOptions)
  }
}

/// `swasm run`'s work, whichever parser read its arguments (RunOptions.swift).
extension RunOptions {
  func run() throws {
    let started = ContinuousClock.now
    let settings: RunSettings
    do {
      settings = try RunSettings(self)
    } catch {
      fail("\(error)")
    }
    var configuration = EngineConfiguration(dispatch: dispatch == .threaded ? .threaded : .switchLoop,
                                            limits: settings.limits, features: settings.features)
    if cache || cacheDir != nil {
      configuration.cacheFolderPath = cacheDir ?? TranslationCache.defaultFolderPath
    }
    let engine = Engine(configuration: configuration)
    let store = engine.makeStore()
    if let fuel = settings.fuel { store.fuel = fuel }
    // Preloaded libraries first, then FILE (a module, or a bundle whose last member is the application).
    var modules: [ModuleToRun] = []
    var preloadedNames: [Int: String] = [:]  // module index -> the --preload name its exports are importable by
    for spec in preload {
      guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else { fail("--preload expects NAME=FILE, got \"\(spec)\"") }
      modules += loadForRunning(String(spec[spec.index(after: eq)...]), name: String(spec[..<eq]), engine: engine,
                                first: modules.count, verbose: verbose)
      preloadedNames[modules.count - 1] = String(spec[..<eq])
    }
    modules += loadForRunning(file, name: "main", engine: engine, first: modules.count, verbose: verbose)

    var imports = Imports()
    let declarations = modules.map(\.module.module)
    if declarations.contains(where: { $0.imports.contains { $0.module == WASI.moduleName } }) {
      do {
        let wasi = try WASI(arguments: [argv0 ?? file] + (invoke == nil ? args : []),
                            environment: environment(inheritingAll: settings.inheritEnv),
                            preopens: try preopens(), listeners: try settings.tcplisten.map(makeTCPListener))
        wasi.define(in: &imports, store: store, importedBy: declarations)
        if settings.wasiThreads, let program = modules.last?.module, importsThreadSpawn(program.module) {
          try WASIThreads(wasi: wasi, module: program, store: store, programEnded: endProgram)
            .define(in: &imports, store: store)
        }
      } catch {
        fail("\(error)")
      }
    }
    // --preload libraries are importable by every later module under their names; bundle members by their wiring.
    var instances: [Instance] = []
    for (index, entry) in modules.enumerated() {
      var moduleImports = imports
      for w in entry.wiring { moduleImports.define(module: w.importModule, exportsOf: instances[w.member]) }
      try checkImports(entry.module.module, moduleImports)
      do {
        instances.append(try store.instantiate(entry.module, imports: moduleImports))
      } catch {
        finish(error)
      }
      if let name = preloadedNames[index] { imports.define(module: name, exportsOf: instances[index]) }
    }
    let instance = instances[instances.count - 1]
    if verbose {
      let ms = milliseconds(since: started)
      writeStderr("swasm: loaded and instantiated in \(twoDecimals(ms)) ms\n")
    }
    if invoke != nil && entry != nil { fail("--invoke and --entry cannot be combined") }
    // The clock starts when the guest does (loading and translation do not count).
    if let timeout = settings.timeout { store.interruptHandle.interrupt(after: timeout) }
    if let entry { runEntry(entry, of: instance, started: started, modules: modules, engine: engine) }
    guard let name = invoke else {
      guard let start = instance.function("_start") else { fail("no _start export; use --invoke NAME (or --entry NAME for a reactor)") }
      var failure: Error?
      do { _ = try start.invoke([]) } catch { failure = error }
      reportLoadAndRunTime(since: started)
      end(failure, modules: modules, engine: engine)
    }
    guard let function = instance.function(name) else { fail("no exported function named \"\(name)\"") }
    let params = function.type.params
    guard args.count == params.count else {
      fail("\(name) takes \(params.count) argument(s) (\(params.map(\.description).joined(separator: ", "))), got \(args.count)")
    }
    var values: [Value] = []
    for (text, type) in zip(args, params) {
      guard let value = parseArgument(text, type) else { fail("cannot read \"\(text)\" as \(type)") }
      values.append(value)
    }
    var failure: Error?
    do {
      if instance.function("_start") == nil, let initialize = instance.function("_initialize") {
        _ = try initialize.invoke([])
      }
      for result in try function.invoke(values) { print(format(result)) }
    } catch {
      failure = error
    }
    end(failure, modules: modules, engine: engine)
  }

  /// --entry NAME: a WASI reactor run as a program (CPython's `python.wasm` exports `run`): `_initialize` when
  /// exported, then NAME, whose i32 result (if any) is the exit status.
  func runEntry(_ name: String, of instance: Instance, started: ContinuousClock.Instant, modules: [ModuleToRun],
                engine: Engine) -> Never {
    guard let function = instance.function(name) else { fail("no exported function named \"\(name)\"") }
    guard function.type.params.isEmpty, function.type.results.isEmpty || function.type.results == [.i32] else {
      fail("--entry \(name): the entry takes no arguments and returns nothing or an i32 exit status; it is \(function.type)")
    }
    var failure: Error?
    var status: Int32 = 0
    do {
      if let initialize = instance.function("_initialize") { _ = try initialize.invoke([]) }
      if case .i32(let code)? = try function.invoke([]).first { status = Int32(bitPattern: code) }
    } catch {
      failure = error
    }
    reportLoadAndRunTime(since: started)
    end(failure, status: status, modules: modules, engine: engine)
  }

  /// Ends the process once the guest is done: refines the cache entries, then exits with the guest's error
  /// (`finish`) or with `status` (0, or a reactor entry's result), without releasing the store, instances and
  /// module one object at a time (the system takes the memory back at once; that release had cost a short run
  /// about a sixth of its instructions).
  func end(_ failure: Error?, status: Int32 = 0, modules: [ModuleToRun], engine: Engine) -> Never {
    claimTheEnd()
    refineCacheEntries(modules, engine: engine)
    if let failure { finish(failure) }
    exitWithGuestStatus(status)
  }

  /// After a run: a module whose cache entry holds the functions it called spread over much more code lays
  /// them out in first-call order, so that the next launch decompresses less (`Engine.rewriteCacheEntryInFirstUseOrder`).
  func refineCacheEntries(_ modules: [ModuleToRun], engine: Engine) {
    for m in modules where engine.rewriteCacheEntryInFirstUseOrder(of: m.module) && verbose {
      writeStderr("swasm: cache entry of \(m.name) rewritten in first-call order, with what this run translated\n")
    }
  }

  /// With --verbose: the time from the start of loading to the end of `_start` (a program's start-up, when it
  /// does little): what a lazily loaded cache entry defers to the functions' first calls is counted here.
  func reportLoadAndRunTime(since started: ContinuousClock.Instant) {
    guard verbose else { return }
    let ms = milliseconds(since: started)
    writeStderr("swasm: loaded, instantiated and ran \(entry ?? "_start") in \(twoDecimals(ms)) ms\n")
  }

  /// A wasi-threads program (built for wasm32-wasip1-threads) imports `wasi.thread-spawn`.
  func importsThreadSpawn(_ module: Module) -> Bool {
    module.imports.contains { $0.module == WASIThreads.moduleName && $0.name == "thread-spawn" }
  }

  /// A spawned thread ended the program: as wasmtime does, the whole process ends, with the `proc_exit`
  /// status, or reporting the trap like one in the main thread.
  func endProgram(_ ending: WASIThreads.Ending) {
    switch ending {
    case .exit(let code):
      exitWithGuestStatus(code)
    case .failure(let error):
      finish(error)
    }
  }

  func checkImports(_ module: Module, _ imports: Imports) throws {
    if importsThreadSpawn(module), imports.lookup(module: WASIThreads.moduleName, name: "thread-spawn") == nil {
      fail("\(file) is a wasi-threads program (it imports wasi.thread-spawn), and -S threads=n turned threads off")
    }
    if let missing = module.imports.first(where: { imports.lookup(module: $0.module, name: $0.name) == nil }) {
      fail("unresolved import \(missing.module).\(missing.name) (WASI preview 1 and --preload modules are provided)")
    }
  }

  /// Ends the process for an error from the guest: its exit code, or a trap report.
  func finish(_ error: Error) -> Never {
    claimTheEnd()
    switch error {
    case let exit as WASIExit:
      exitWithGuestStatus(exit.code)
    case let trap as Trap:
      fflush(stdout)
      reportTrap(trap, limit: limitThatStopped(trap))
    case let exception as WasmException:
      fflush(stdout)
      reportUncaughtException(exception)
    default:
      fail("\(file): \(error)")
    }
  }

  /// The command-line limit behind a trap, in the user's words: "--fuel 1000", "--timeout 2s".
  func limitThatStopped(_ trap: Trap) -> String? {
    guard let settings = try? RunSettings(self) else { return nil }
    switch trap.code {
    case .outOfFuel: return settings.fuel.map { "--fuel \($0)" }
    case .interrupted: return settings.timeout == nil ? nil : "--timeout \(settings.timeoutText) expired"
    case .callStackExhausted: return settings.maxWasmStackBytes.map { "--max-wasm-stack \($0) bytes" }
    default: return nil
    }
  }

  /// The guest's environment: this process's whole environment with --inherit-env, then each --env: NAME=VALUE,
  /// or NAME alone for this process's value of it (left out when it has none, as wasmtime does).
  func environment(inheritingAll: Bool) -> [String] {
    var result = inheritingAll ? ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }.sorted() : []
    for item in env {
      guard item.first != "=" else { fail("--env expects NAME=VALUE or NAME, got \"\(item)\"") }
      let name = item.firstIndex(of: "=").map { item[..<$0] } ?? item[...]
      result.removeAll { $0.hasPrefix(name + "=") }
      if item.contains("=") {
        result.append(item)
      } else if let value = ProcessInfo.processInfo.environment[String(name)] {
        result.append("\(name)=\(value)")
      }
    }
    return result
  }

  func preopens() throws -> [WASI.Preopen] {
    dir.map { spec in
      let parts = spec.components(separatedBy: "::")
      guard parts.count <= 2, !parts[0].isEmpty else { fail("--dir expects HOST or HOST::GUEST, got \"\(spec)\"") }
      return WASI.Preopen(hostPath: parts[0], guestPath: parts.count == 2 ? parts[1] : parts[0])
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
    case .v128:
      // A 128-bit number, decimal or 0x-prefixed hex (wasmtime prints v128 results in decimal).
      let number = text.hasPrefix("0x") ? UInt128(text.dropFirst(2), radix: 16) : UInt128(text)
      return number.map { .v128(V128(low: UInt64(truncatingIfNeeded: $0), high: UInt64(truncatingIfNeeded: $0 >> 64))) }
    default: return nil
    }
  }

  /// A result as wasmtime's `--invoke` prints it: numbers in decimal, references as `<funcref>`, `<null anyref>`.
  func format(_ value: Value) -> String {
    switch value {
    case .i32(let v): return String(Int32(bitPattern: v))
    case .i64(let v): return String(Int64(bitPattern: v))
    case .f32(let v): return wasmtimeFloatText(Float(bitPattern: v))
    case .f64(let v): return wasmtimeFloatText(Double(bitPattern: v))
    case .v128(let v): return String(UInt128(v.high) << 64 | UInt128(v.low))
    case .funcref(let r): return r == nil ? "<null funcref>" : "<funcref>"
    case .externref(let r): return r == nil ? "<null externref>" : "<externref>"
    case .externalizedAnyref: return "<externref>"
    case .exnref(let e): return e == nil ? "<null exnref>" : "<exnref>"
    case .anyref(let r): return r == nil ? "<null anyref>" : "<anyref>"
    }
  }
}

/// Milliseconds elapsed since `start` (for --verbose).
func milliseconds(since start: ContinuousClock.Instant) -> Double {
  let elapsed = (ContinuousClock.now - start).components
  return Double(elapsed.seconds) * 1e3 + Double(elapsed.attoseconds) / 1e15
}

/// `x` with two decimals ("12.34").
func twoDecimals(_ x: Double) -> String {
  let hundredths = Int((x * 100).rounded())
  let fraction = hundredths % 100
  return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

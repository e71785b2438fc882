// Usage: inprocess-startup REPS CACHE_DIR PROGRAM.wasm [--dir HOST::GUEST]... [ARG...]
//
// Loads PROGRAM from the translation cache in CACHE_DIR (the entry must exist: a miss is an error), instantiates
// it with WASI (its output to /dev/null) and runs `_start`, REPS times in this one process, each time with a new
// engine, store and WASI state, so every load reads, checks, decompresses and verifies the entry again. Prints the
// median milliseconds from the start of loading to the end of instantiation, and to the end of `_start`:
// "load_ms run_ms" (and on stderr, the medians of the load's parts). The first repetition pays this process's
// one-time costs (Swift metadata, tables); the median does not. These are the conditions of startup.py's wasmtime
// column (one process, modules deserialized again and again), where `swasm run --cache` pays a new process every
// time.
//
// For A/B comparisons of the load alone: INPROCESS_LOAD_ONLY=1 skips `_start` (its run time then reads 0), and
// INPROCESS_MINIMA=1 also prints the minima of the load and its parts on stderr (this host's noise moves medians by
// a third; the fastest of a few hundred loads moves far less).
import Glibc
import Swasm
import SwasmWASI

func fail(_ message: String) -> Never {
  fputs("inprocess-startup: \(message)\n", stderr)
  exit(1)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3, let reps = Int(arguments[0]), reps > 0 else {
  fail("usage: inprocess-startup REPS CACHE_DIR PROGRAM.wasm [--dir HOST::GUEST]... [ARG...]")
}
let cacheFolder = arguments[1]
let program = arguments[2]
var preopens: [WASI.Preopen] = []
var guestArguments = [program]
var rest = arguments[3...].makeIterator()
while let argument = rest.next() {
  if argument == "--dir", let spec = rest.next() {
    let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
    let host = String(parts[0]), guest = parts.count >= 3 ? String(parts[2]) : host
    preopens.append(WASI.Preopen(hostPath: host, guestPath: guest))
  } else {
    guestArguments.append(argument)
  }
}
let devNull = open("/dev/null", O_WRONLY)

func milliseconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Double {
  let d = (to - from).components
  return Double(d.seconds) * 1e3 + Double(d.attoseconds) / 1e15
}

let loadOnly = getenv("INPROCESS_LOAD_ONLY") != nil
var loads: [Double] = [], runs: [Double] = []
var phases: [[Double]] = [[], [], [], []]  // loading the module, making the store, setting WASI up, instantiating
for _ in 0..<reps {
  let started = ContinuousClock.now
  var configuration = EngineConfiguration()
  configuration.cacheFolderPath = cacheFolder
  let engine = Engine(configuration: configuration)
  do {
    let (module, outcome) = try engine.loadModuleReportingCache(contentsOf: program)
    guard case .hit = outcome else { fail("no cache entry for \(program) in \(cacheFolder): \(outcome)") }
    let moduleLoaded = ContinuousClock.now
    let store = engine.makeStore()
    let storeMade = ContinuousClock.now
    var imports = Imports()
    let wasi = try WASI(arguments: guestArguments, environment: [], preopens: preopens, stdout: devNull)
    wasi.define(in: &imports, store: store, importedBy: [module.module])
    let wasiReady = ContinuousClock.now
    let instance = try store.instantiate(module, imports: imports)
    let loaded = ContinuousClock.now
    let marks = [started, moduleLoaded, storeMade, wasiReady, loaded]
    for i in phases.indices { phases[i].append(milliseconds(marks[i], marks[i + 1])) }
    guard let start = instance.function("_start") else { fail("\(program) has no _start") }
    if loadOnly { loads.append(milliseconds(started, loaded)); runs.append(0); continue }
    do {
      _ = try start.invoke([])
    } catch let exit as WASIExit where exit.code == 0 {}
    let finished = ContinuousClock.now
    loads.append(milliseconds(started, loaded))
    runs.append(milliseconds(started, finished))
  } catch {
    fail("\(program): \(error)")
  }
}
let median = { (samples: [Double]) in samples.sorted()[samples.count / 2] }
let microseconds = { (ms: Double) in Int((ms * 1000).rounded()) }
print("\(Double(microseconds(median(loads))) / 1000) \(Double(microseconds(median(runs))) / 1000)")
// The load's parts (medians, ms), for reading where it goes: on stderr, apart from the result.
let parts = zip(["module", "store", "WASI", "instantiation"], phases).map { "\($0) \(median($1))" }
fputs("load: " + parts.joined(separator: ", ") + "\n", stderr)
if getenv("INPROCESS_MINIMA") != nil {
  fputs("minima: load \(loads.min()!) run \(runs.min()!) module \(phases[0].min()!) instantiation \(phases[3].min()!)\n", stderr)
}

// The swasm side of the differential fuzzer (tools/fuzz/diff.py): instantiates one module, makes the calls it is
// given, one per line on standard input, and prints what happened in a form wasmtime's side prints too.
//
// usage: swasm-fuzz-exec [--dispatch threaded|switch] [--fuel] [--through-cache DIR] [--max-memory-pages N]
//                        [--max-table-elements N] [--interrupt-first] MODULE.wasm < CALLS
//
// --interrupt-first: before the run that prints, the calls run in a throwaway instance while another thread
// interrupts it at random moments, then again there without interruptions: none of those may crash, and none of
// the second round may stop as interrupted (that prints `spurious interruption`, which wasmtime never does).
//
// A call line: `call INDEX ARG...`, INDEX counting the module's function exports in order, each ARG
// `TYPE:HEX` (the value's bits: i32/f32 8 digits, i64/f64 16, v128 32; `funcref:null`, `externref:null`,
// `anyref:null`, `exnref:null`, a null of the parameter's hierarchy).
// Printed: `instantiate ok` or `instantiate trap:KIND` / `instantiate error` (then nothing more); per call,
// `call INDEX ok VALUE...` or `call INDEX trap:KIND`; at the end each exported global's value, each exported
// memory's size and contents hash, and each exported table's size and elements (run-length encoded). Values
// print as their bits, a float NaN as `f32:nan`/`f64:nan` (engines may give different NaN bits); v128 values
// print whole (the comparison looks at their lanes). References print as null or not: `funcref:nonnull`,
// `exnref:nonnull`, `externref:nonnull` (a GC reference made an externref), and in the any hierarchy (anyref,
// eqref, structref, arrayref, i31ref, concrete struct and array types) `anyref:null`, `i31:N` (its signed value)
// or `anyref:nonnull` (a struct or an array).
import Foundation
import Swasm

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("swasm-fuzz-exec: \(message)\n".utf8))
  exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var configuration = EngineConfiguration()
var interruptFirst = false
var gcStress = false
while let first = arguments.first, first.hasPrefix("--") {
  arguments.removeFirst()
  switch first {
  case "--dispatch":
    guard let mode = arguments.first else { fail("--dispatch needs a value") }
    arguments.removeFirst()
    configuration.dispatch = mode == "switch" ? .switchLoop : .threaded
  case "--fuel": configuration.limits.meterFuel = true
  case "--interrupt-first": interruptFirst = true
  case "--gc-stress": gcStress = true  // a collection before every GC allocation: a missed root shows at once
  case "--max-memory-pages", "--max-table-elements":
    guard let text = arguments.first, let value = Int(text) else { fail("\(first) needs a number") }
    arguments.removeFirst()
    if first == "--max-memory-pages" {
      configuration.limits.maxMemoryPages = UInt64(value)
    } else {
      configuration.limits.maxTableElements = value
    }
  case "--through-cache":
    guard let folder = arguments.first else { fail("--through-cache needs a folder") }
    arguments.removeFirst()
    configuration.cacheFolder = URL(fileURLWithPath: folder)
  default: fail("unknown option \(first)")
  }
}
guard arguments.count == 1 else { fail("usage: swasm-fuzz-exec [options] MODULE.wasm < CALLS") }

/// A trap's kind, named as the fuzzer compares them (wasmtime's trap codes map onto the same names).
func kind(_ trap: Trap) -> String {
  switch trap.code {
  case .unreachable: return "unreachable"
  case .integerDivideByZero: return "divide-by-zero"
  case .integerOverflow: return "integer-overflow"
  case .invalidConversionToInteger: return "bad-conversion"
  case .outOfBoundsMemoryAccess: return "memory-out-of-bounds"
  case .outOfBoundsTableAccess, .undefinedElement: return "table-out-of-bounds"
  case .uninitializedElement: return "indirect-call-to-null"
  case .indirectCallTypeMismatch: return "bad-signature"
  case .callStackExhausted: return "stack-overflow"
  case .nullExceptionReference: return "null-reference"
  case .unalignedAtomic: return "unaligned-atomic"
  case .expectedSharedMemory: return "wait-on-unshared-memory"
  case .nullFunctionReference, .nullReference, .nullStructureReference, .nullArrayReference, .nullI31Reference:
    return "null-reference"
  case .outOfBoundsArrayAccess: return "array-out-of-bounds"
  case .castFailure: return "cast-failure"
  case .allocationTooLarge: return "allocation-too-large"
  default: return "other(\(trap.message))"
  }
}

func hex<T: FixedWidthInteger>(_ value: T, digits: Int) -> String {
  let text = String(value, radix: 16)
  return String(repeating: "0", count: max(0, digits - text.count)) + text
}

func format(_ value: Value) -> String {
  switch value {
  case .i32(let v): return "i32:" + hex(v, digits: 8)
  case .i64(let v): return "i64:" + hex(v, digits: 16)
  case .f32(let v): return Float(bitPattern: v).isNaN ? "f32:nan" : "f32:" + hex(v, digits: 8)
  case .f64(let v): return Double(bitPattern: v).isNaN ? "f64:nan" : "f64:" + hex(v, digits: 16)
  case .v128(let v): return "v128:" + hex(v.high, digits: 16) + hex(v.low, digits: 16)
  case .funcref(let r): return r == nil ? "funcref:null" : "funcref:nonnull"
  // A GC reference turned into an externref (`extern.convert_any`): wasmtime's side sees only that it is not null.
  case .externalizedAnyref: return "externref:nonnull"
  case .externref(let r): return r.map { "externref:" + hex($0, digits: 16) } ?? "externref:null"
  case .exnref(let e): return e == nil ? "exnref:null" : "exnref:nonnull"
  case .anyref(let r): return r.map { $0.i31.map { "i31:\($0)" } ?? "anyref:nonnull" } ?? "anyref:null"
  }
}

func parse(_ text: Substring) -> Value? {
  let parts = text.split(separator: ":", maxSplits: 1)
  guard parts.count == 2 else { return nil }
  let bits = parts[1]
  switch parts[0] {
  case "i32": return UInt32(bits, radix: 16).map { .i32($0) }
  case "i64": return UInt64(bits, radix: 16).map { .i64($0) }
  case "f32": return UInt32(bits, radix: 16).map { .f32($0) }
  case "f64": return UInt64(bits, radix: 16).map { .f64($0) }
  case "v128":
    guard bits.count == 32, let high = UInt64(bits.prefix(16), radix: 16), let low = UInt64(bits.suffix(16), radix: 16)
    else { return nil }
    return .v128(V128(low: low, high: high))
  case "funcref" where bits == "null": return .funcref(nil)
  case "externref" where bits == "null": return .externref(nil)
  case "externref": return UInt64(bits, radix: 16).map { .externref($0) }
  case "anyref" where bits == "null": return .anyref(nil)
  case "exnref" where bits == "null": return .exnref(nil)
  default: return nil
  }
}

/// A table's elements, run-length encoded: `funcref:null*3,funcref:nonnull,i31:5*2` (`-` for none).
func elements(_ table: Table) -> String {
  var runs: [(String, Int)] = []
  for index in 0..<table.size {
    let text = table.get(index).map(format) ?? "?"
    if let last = runs.last, last.0 == text { runs[runs.count - 1].1 += 1 } else { runs.append((text, 1)) }
  }
  return runs.isEmpty ? "-" : runs.map { $0.1 == 1 ? $0.0 : "\($0.0)*\($0.1)" }.joined(separator: ",")
}

/// FNV-1a over a memory's bytes.
func hash(_ memory: Memory) -> String {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  let bytes = memory.read(at: 0, count: memory.byteCount) ?? []
  for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
  return hex(h, digits: 16)
}

setvbuf(stdout, nil, _IOFBF, 1 << 16)
let engine = Engine(configuration: configuration)
var callLines: [String] = []
while let line = readLine() { callLines.append(line) }

/// The call of `line` on `functions` (nil for an empty line).
func call(_ line: String, _ functions: [Function]) throws -> (index: Int, results: [Value])? {
  let words = line.split(separator: " ")
  if words.isEmpty { return nil }
  guard words.first == "call", words.count >= 2, let index = Int(words[1]), index < functions.count else {
    fail("bad call line: \(line)")
  }
  let args = words.dropFirst(2).map { parse($0) }
  guard args.allSatisfy({ $0 != nil }) else { fail("bad argument in: \(line)") }
  return (index, try functions[index].invoke(args.map { $0! }))
}

func makeStore() -> Store {
  let store = engine.makeStore()
  store.gcCollectsOnEveryAllocation = gcStress
  return store
}

func exportedFunctions(_ instance: Instance) -> [Function] {
  instance.exports.compactMap { if case .function(let f) = $0.value { return f } else { return nil } }
}

if interruptFirst, let module = try? engine.loadModule(contentsOf: URL(fileURLWithPath: arguments[0])) {
  let store = makeStore()
  if let instance = try? Linker(store: store).instantiate(module) {
    let functions = exportedFunctions(instance)
    final class Storm: @unchecked Sendable {
      let lock = NSLock()
      var running = true
      let finished = DispatchSemaphore(value: 0)
    }
    let storm = Storm()
    let handle = store.interruptHandle
    Thread {
      var generator = SystemRandomNumberGenerator()
      while storm.lock.withLock({ storm.running }) {
        usleep(UInt32.random(in: 0..<300, using: &generator))
        handle.interrupt()
      }
      storm.finished.signal()
    }.start()
    var interrupted = 0
    for line in callLines {
      do { _ = try call(line, functions) } catch let trap as Trap where trap.code == .interrupted { interrupted += 1 } catch {}
    }
    // How many calls the storm stopped, for whoever wants to know the campaign reached them.
    if let log = ProcessInfo.processInfo.environment["SWASM_FUZZ_INTERRUPT_LOG"],
       let file = FileHandle(forWritingAtPath: log) ?? (FileManager.default.createFile(atPath: log, contents: nil)
                                                         ? FileHandle(forWritingAtPath: log) : nil) {
      file.seekToEndOfFile()
      file.write(Data("\(interrupted) \(callLines.count)\n".utf8))
    }
    storm.lock.withLock { storm.running = false }
    storm.finished.wait()
    for line in callLines {
      do { _ = try call(line, functions) } catch let trap as Trap where trap.code == .interrupted {
        print("spurious interruption")
      } catch {}
    }
  }
}
let instance: Instance
do {
  let module = try engine.loadModule(contentsOf: URL(fileURLWithPath: arguments[0]))
  instance = try Linker(store: makeStore()).instantiate(module)
  print("instantiate ok")
} catch let trap as Trap {
  print("instantiate trap:\(kind(trap))")
  exit(0)
} catch is WasmException {
  print("instantiate exception")
  exit(0)
} catch {
  print("instantiate error")
  FileHandle.standardError.write(Data("swasm-fuzz-exec: \(error)\n".utf8))
  exit(0)
}

let functions = exportedFunctions(instance)
for line in callLines {
  let index = line.split(separator: " ").dropFirst().first.map { String($0) } ?? "?"
  do {
    guard let (index, results) = try call(line, functions) else { continue }
    print((["call \(index) ok"] + results.map(format)).joined(separator: " "))
  } catch let trap as Trap {
    print("call \(index) trap:\(kind(trap))")
  } catch is WasmException {
    print("call \(index) exception")
  } catch {
    fail("call \(index): \(error)")
  }
}
for (i, export) in instance.exports.enumerated() {
  switch export.value {
  case .global(let g): print("global \(i) \(format(g.value))")
  case .memory(let m): print("memory \(i) \(m.pageCount) \(hash(m))")
  case .table(let t): print("table \(i) \(t.size) \(elements(t))")
  case .function, .tag: break
  }
}

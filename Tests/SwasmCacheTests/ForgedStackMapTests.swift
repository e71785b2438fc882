import Foundation
import SwasmBytecode
import SwasmCache
import SwasmRuntime
import SwasmTestSupport
import SwasmTranslator
import WasmBinary
import WasmText
import XCTest

/// Forged stack maps (a cache file's code is untrusted): every mutation of the maps the translator wrote for real
/// GC code (a slot left out or added, an entry dropped or moved to another safepoint, counts that disagree, a
/// size word with its upper half set) is refused by the verifier, or runs, with a collection before every
/// allocation, to the result of the code as the translator wrote it: never to a crash or another value.
final class ForgedStackMapTests: XCTestCase {
  static let text = """
    (module
      (type $node (struct (field $value i32) (field $next (mut (ref null $node)))))
      (type $pair (struct (field anyref) (field anyref)))
      (func $list (param $n i32) (result (ref null $node)) (local $head (ref null $node))
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $head (struct.new $node (local.get $n) (local.get $head)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $head))
      (func $sum (param $l (ref null $node)) (result i32) (local $total i32)
        (block $done (loop $next
          (br_if $done (ref.is_null (local.get $l)))
          (local.set $total (i32.add (local.get $total) (struct.get $node $value (local.get $l))))
          (local.set $l (struct.get $node $next (local.get $l)))
          (br $next)))
        (local.get $total))
      ;; Pairs made while earlier results wait in temporaries across calls and allocations.
      (func $grow (param $n i32) (result anyref)
        (if (result anyref) (i32.eqz (local.get $n)) (then (ref.i31 (i32.const 1)))
          (else (struct.new $pair
            (call $grow (i32.sub (local.get $n) (i32.const 1)))
            (struct.new $pair (ref.i31 (local.get $n)) (call $list (local.get $n)))))))
      (func $count (param $r anyref) (result i32)
        (if (result i32) (ref.test (ref i31) (local.get $r))
          (then (i31.get_s (ref.cast (ref i31) (local.get $r))))
          (else (if (result i32) (ref.test (ref $pair) (local.get $r))
            (then (i32.add (call $count (struct.get $pair 0 (ref.cast (ref $pair) (local.get $r))))
                           (call $count (struct.get $pair 1 (ref.cast (ref $pair) (local.get $r))))))
            (else (call $sum (ref.cast (ref null $node) (local.get $r))))))))
      (func (export "run") (result i32) (call $count (call $grow (i32.const 24)))))
    """

  /// Serves the given functions as a cache's verified code would be.
  final class GivenCode: CompiledCodeSource, @unchecked Sendable {
    let functions: [CompiledFunction]
    init(_ functions: [CompiledFunction]) { self.functions = functions }
    func frameSize(ofFunction index: Int) -> Int? { functions[index].frameSize }
    func function(_ index: Int) throws -> CompiledFunction { functions[index] }
    func withFunctionCode<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt64>, Int) throws -> R) throws -> R {
      try functions[index].code.withUnsafeBufferPointer { try body($0, functions[index].frameSize) }
    }
  }

  func run(_ module: Module, _ functions: [CompiledFunction]) throws -> [Value] {
    let store = Store()
    store.gcCollectsOnEveryAllocation = true
    let prepared = PreparedModule(module, options: TranslationOptions(), lazyCode: GivenCode(functions))
    return try store.instantiate(prepared).function("run")!.invoke([])
  }

  /// Variants of `code`'s stack maps (none when it has none).
  func forgeries(of code: [UInt64], frameSize: Int) -> [[UInt64]] {
    guard code.first != UInt64(Opcode.handler_table.rawValue), code.first == UInt64(Opcode.stack_maps.rawValue) else { return [] }
    let size = 2 + Int(code[1])
    let body = Array(code[size...])
    let (always, entries) = code.withUnsafeBufferPointer { buffer in
      let maps = StackMaps(header: buffer.baseAddress!)
      let always = (0..<maps.alwaysCount).map(maps.poolSlot)
      let entries = (0..<maps.entryCount).map { i -> (resume: Int, slots: [Int]) in
        var slots: [Int] = []
        maps.forEachEntrySlot(i) { slots.append($0) }
        return (maps.resume(i), slots)
      }
      return (always, entries)
    }
    var resumes: [Int] = []  // where the code resumes after each safepoint, from the entry
    _ = forEachInstruction(body) { at, op in if op.isSafepoint { resumes.append(at + op.size) } }
    func with(_ always: [Int], _ entries: [(resume: Int, slots: [Int])]) -> [UInt64] {
      StackMaps.encode(always: always, entries: entries) + body
    }
    var forged: [[UInt64]] = []
    for k in always.indices { forged.append(with(always.enumerated().filter { $0.offset != k }.map(\.element), entries)) }
    for s in 0..<frameSize where !always.contains(s) { forged.append(with(always + [s], entries)) }
    for i in entries.indices {
      var without = entries
      without.remove(at: i)
      forged.append(with(always, without))
      for k in entries[i].slots.indices {
        var fewer = entries
        fewer[i].slots.remove(at: k)
        forged.append(with(always, fewer))
      }
      for s in 0..<frameSize where !entries[i].slots.contains(s) {
        var more = entries
        more[i].slots.append(s)
        forged.append(with(always, more))
      }
      for resume in resumes where resume != entries[i].resume {
        var moved = entries
        moved[i].resume = resume
        moved.sort { $0.resume < $1.resume }
        forged.append(with(always, moved))
      }
    }
    for (word, delta) in [(2, 1), (2, 1 << 32), (3, 1)] {  // entry count, always count, pool count
      var counts = code
      counts[word] &+= UInt64(delta)
      forged.append(counts)
    }
    var wideSize = code
    wideSize[1] |= 1 << 32  // the size's upper half, which nothing reads
    forged.append(wideSize)
    return forged
  }

  func testEveryForgedStackMapIsRefusedOrHarmless() throws {
    let module = try Module(bytes: try WAT.parse(Self.text))
    let functions = try PreparedModule(module).translatedFunctions!
    let verifier = BytecodeVerifier(module: module)
    let expected = try run(module, functions)
    var refused = 0, ran = 0
    for (index, function) in functions.enumerated() {
      for code in forgeries(of: function.code, frameSize: function.frameSize) {
        var forged = function
        forged.code = code
        do {
          try verifier.verify(forged, definedFunction: index)
        } catch {
          refused += 1
          continue
        }
        var all = functions
        all[index] = forged
        XCTAssertEqual(try run(module, all), expected, "function \(index): \(disassemble(code))")
        ran += 1
      }
    }
    print("forged stack maps: \(refused) refused by the verifier, \(ran) ran to the same result")
    XCTAssertGreaterThan(refused, 0)
    XCTAssertGreaterThan(ran, 0)
  }
}

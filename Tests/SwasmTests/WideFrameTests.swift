import Foundation
import Swasm
import SwasmTestSupport
import XCTest

/// Functions whose frames need more slots than 16-bit registers name (WideFrames.swift): tens of thousands of locals,
/// v128 locals, operand stacks deeper than 65,535 values; run with both interpreter loops, through the cache
/// format and with fuel metering.
final class WideFrameTests: XCTestCase {
  let i32Const: UInt8 = 0x41, localGet: UInt8 = 0x20, localSet: UInt8 = 0x21, call: UInt8 = 0x10, end: UInt8 = 0x0B

  let cache = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-wide-\(UUID().uuidString)")

  override func tearDown() {
    try? FileManager.default.removeItem(at: cache)
  }

  /// Each engine configuration the function must give the same answers in.
  func engines() -> [(String, Engine)] {
    return [("threaded", Engine()), ("switch", Engine(configuration: EngineConfiguration(dispatch: .switchLoop))),
            ("fuel", Engine(configuration: EngineConfiguration(limits: StoreLimits(meterFuel: true)))),
            ("cache", Engine(configuration: EngineConfiguration(cacheFolder: cache)))]
  }

  func run(_ bytes: [UInt8], _ export: String, _ args: [Value] = []) throws -> [[Value]] {
    var results: [[Value]] = []
    for (name, engine) in engines() {
      // The cache configuration loads twice: the second load runs the code read back and verified.
      for _ in 0..<(name == "cache" ? 2 : 1) {
        let instance = try Linker(store: engine.makeStore()).instantiate(try engine.loadModule(bytes: bytes))
        results.append(try XCTUnwrap(instance.function(export)).invoke(args))
      }
    }
    return results
  }

  /// GC instructions in a frame of 80,000 slots (their `_w` forms: slot ranges and v128 fields beyond slot 65,535),
  /// with a collection before every allocation: the references in far locals and temporaries are found by the
  /// stack maps.
  func testGCInstructionsBeyondSixteenBits() throws {
    let padding = String(repeating: " v128", count: 40_000)
    let text = """
      (module
        (type $pt (struct (field i32) (field v128) (field (mut anyref))))
        (type $arr (array (mut anyref)))
        (func (export "f") (param $n i32) (result i32)
          (local\(padding)) (local $s (ref null $pt)) (local $a (ref null $arr)) (local $i i32) (local $v v128)
          (local.set $v (i32x4.splat (local.get $n)))
          (local.set $s (struct.new $pt (local.get $n) (local.get $v) (ref.null any)))
          (local.set $a (array.new_fixed $arr 3 (local.get $s) (ref.i31 (i32.const 5))
            (struct.new $pt (i32.const 1) (v128.const i32x4 1 2 3 4) (ref.null any))))
          (struct.set $pt 2 (local.get $s) (local.get $a))
          (loop $again
            (drop (array.new $arr (ref.null any) (i32.const 10)))
            (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 200))))
          (i32.add
            (i32.add (struct.get $pt 0 (local.get $s)) (i32x4.extract_lane 3 (struct.get $pt 1 (local.get $s))))
            (i32.add (array.len (local.get $a))
              (i32.add (i31.get_s (ref.cast (ref i31) (array.get $arr (local.get $a) (i32.const 1))))
                       (struct.get $pt 0 (ref.cast (ref $pt) (array.get $arr (local.get $a) (i32.const 2)))))))))
      """
    for (name, engine) in engines() {
      for _ in 0..<(name == "cache" ? 2 : 1) {
        let store = engine.makeStore()
        store.gcCollectsOnEveryAllocation = true
        let instance = try Linker(store: store).instantiate(try engine.loadModule(bytes: Array(text.utf8)))
        XCTAssertEqual(try XCTUnwrap(instance.function("f")).invoke([.i32(20)]), [.i32(20 + 20 + 3 + 5 + 1)], name)
        XCTAssertGreaterThan(store.gcCollections, 200, name)
      }
    }
  }

  /// 50,000 i64 locals (the limit every engine shares): still 16-bit registers, no longer refused.
  func testFiftyThousandLocals() throws {
    var m = ModuleBuilder()
    let t = m.type([.i64], [.i64])
    // local[49999] = p + 1; local[25000] = local[49999] * 2; result local[25000] + local[1] (zero)
    let body: [UInt8] = [localGet] + uleb(0) + [0x42, 1, 0x7C, localSet] + uleb(49_999)
      + [localGet] + uleb(49_999) + [0x42, 2, 0x7E, localSet] + uleb(25_000)
      + [localGet] + uleb(25_000) + [localGet] + uleb(1) + [0x7C, end]
    m.function(t, locals: [(49_999, .i64)], export: "f", body: body)
    for results in try run(m.bytes, "f", [.i64(20)]) { XCTAssertEqual(results, [.i64(42)]) }
  }

  /// 40,000 v128 locals take 80,000 slots: wide mode, with SIMD instructions on locals beyond slot 65,535.
  func testVectorLocalsBeyondSixteenBits() throws {
    var m = ModuleBuilder()
    let t = m.type([.i32], [.i32])
    let far = 39_999, near = 10
    var body: [UInt8] = [localGet] + uleb(0) + [0xFD, 0x11, localSet] + uleb(far + 1)  // i32x4.splat p -> far
    body += [0xFD, 0x0C] + (0..<16).map { UInt8($0) } + [localSet] + uleb(near)       // a constant -> near
    body += [localGet] + uleb(far + 1) + [localGet] + uleb(near) + [0xFD, 0xAE, 0x01]  // i32x4.add
    body += [localSet] + uleb(far)
    body += [localGet] + uleb(far) + [0xFD, 0x1B, 3, end]                              // lane 3
    m.function(t, locals: [(40_000, .v128)], export: "f", body: body)
    // Lane 3 of the constant is bytes 12..15 = 0x0F0E0D0C; plus p.
    for results in try run(m.bytes, "f", [.i32(5)]) { XCTAssertEqual(results, [.i32(0x0F0E_0D0C + 5)]) }
  }

  /// An operand stack 70,000 values deep, with calls (direct and indirect) whose arguments start beyond slot
  /// 65,535, a block result, a select, a branch table and memory accesses up there; then the sum of it all.
  func testOperandStackDeeperThanSixteenBits() throws {
    var m = ModuleBuilder()
    m.memoryPages = 1
    m.tableOfAllFunctions = true
    let add3Type = m.type([.i32, .i32, .i32], [.i32])
    let add3 = m.function(add3Type, body: [localGet, 0, localGet, 1, 0x6A, localGet, 2, 0x6A, end])
    let t = m.type([.i32], [.i32])
    let depth = 70_000
    var body: [UInt8] = [], expected: UInt32 = 0
    for k in 0..<depth {  // computed values (p ^ k % 1000), each in its own temporary
      body += [localGet, 0, i32Const] + sleb(Int64(k % 1000)) + [0x73]
      expected &+= 5 ^ UInt32(k % 1000)
    }
    body += [i32Const, 1, i32Const, 2, i32Const, 3, call] + uleb(add3)                  // 6
    body += [i32Const, 4, i32Const, 5, i32Const, 6, i32Const] + uleb(add3) + [0x11] + uleb(add3Type) + [0x00]  // 15
    body += [0x02, 0x7F, localGet, 0, i32Const, 7, 0x6A, end]                           // block: p + 7
    body += [i32Const, 8, i32Const, 9, localGet, 0, 0x1B]                               // select(8, 9, p): 8
    body += [0x02, 0x40, 0x02, 0x40, localGet, 0, 0x0E, 1, 0, 1, end, end, i32Const, 10]  // br_table, then 10
    body += [i32Const] + sleb(64) + [localGet, 0, 0x36, 2, 0, i32Const] + sleb(64) + [0x28, 2, 0]  // store p, load p
    expected &+= 6 + 15 + 12 + 8 + 10 + 5
    for _ in 0..<(depth + 5) { body += [0x6A] }  // fold everything with i32.add
    body += [end]
    m.function(t, export: "f", body: body)
    for results in try run(m.bytes, "f", [.i32(5)]) { XCTAssertEqual(results, [.i32(expected)]) }
  }

  /// Tail calls whose arguments start beyond slot 65,535 (`return_call_w`, `return_call_indirect_w`): the arguments
  /// move down to the frame's first slots from up there.
  func testTailCallsFromBeyondSixteenBits() throws {
    var m = ModuleBuilder()
    m.tableOfAllFunctions = true
    let add3Type = m.type([.i32, .i32, .i32], [.i32])
    let add3 = m.function(add3Type, body: [localGet, 0, localGet, 1, 0x6A, localGet, 2, 0x6A, end])
    let t = m.type([.i32], [.i32])
    var deep: [UInt8] = []
    for k in 0..<70_000 { deep += [localGet, 0, i32Const] + sleb(Int64(k % 1000)) + [0x73] }
    let arguments: [UInt8] = [localGet, 0, i32Const, 2, i32Const, 3]
    m.function(t, export: "direct", body: deep + arguments + [0x12] + uleb(add3) + [end])
    m.function(t, export: "indirect", body: deep + arguments + [i32Const] + uleb(add3) + [0x13] + uleb(add3Type) + [0, end])
    for export in ["direct", "indirect"] {
      for results in try run(m.bytes, export, [.i32(40)]) { XCTAssertEqual(results, [.i32(45)], export) }
    }
  }
}

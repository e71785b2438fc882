import Foundation
import SwasmBytecode
import SwasmRuntime
import SwasmTranslator
import WasmBinary
import XCTest

/// Loads a test module from Tests/SwasmRuntimeTests/modules (built from the .wat beside it).
func loadTestModule(_ name: String) throws -> Module {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("modules/\(name).wasm")
  return try Module(bytes: Array(try Data(contentsOf: url)))
}

/// The opcodes of defined function `index` of a module in modules/, as the translator emits them, in order.
func translatedOpcodes(_ module: String, _ index: Int) throws -> [Opcode] {
  let module = try loadTestModule(module)
  let code = try ModuleTranslator(module: module, validation: try module.validate()).translate(definedFunction: index).code
  var ops: [Opcode] = []
  XCTAssertTrue(forEachInstruction(code) { _, op in ops.append(op) })
  return ops
}

final class EngineTests: XCTestCase {
  let modes: [DispatchMode] = [.threaded, .switchLoop]

  func instantiate(_ store: Store) throws -> Instance {
    var imports = Imports()
    let i32ToI32 = FuncType(params: [.i32], results: [.i32])
    imports.define(module: "host", name: "add1", .function(store.hostFunction(type: i32ToI32) { args in
      guard case .i32(let v) = args[0] else { return [] }
      return [.i32(v &+ 1)]
    }))
    var instance: Instance?
    imports.define(module: "host", name: "reenter", .function(store.hostFunction(type: i32ToI32) { args in
      // Host calls guest: fib(n) from inside a host function called by the guest.
      try instance!.function("fib")!.invoke(args)
    }))
    instance = try store.instantiate(try loadTestModule("engine"), imports: imports)
    return instance!
  }

  func testArithmeticCallsAndLoops() throws {
    for mode in modes {
      let instance = try instantiate(Store(dispatch: mode))
      XCTAssertEqual(try instance.function("fib")!.invoke([.i32(20)]), [.i32(6765)], "\(mode)")
      XCTAssertEqual(try instance.function("sum")!.invoke([.i32(100_000)]), [.i64(4_999_950_000)], "\(mode)")
      XCTAssertEqual(try instance.function("swap")!.invoke([.i32(1), .i32(2)]), [.i32(2), .i32(1)], "\(mode)")
      XCTAssertEqual(try instance.function("callhost")!.invoke([.i32(41)]), [.i32(42)], "\(mode)")
      XCTAssertEqual(try instance.function("viahost")!.invoke([.i32(10)]), [.i32(55)], "\(mode)")
    }
  }

  func testTrapsNameTheFunction() throws {
    for mode in modes {
      let instance = try instantiate(Store(dispatch: mode))
      XCTAssertThrowsError(try instance.function("divide")!.invoke([.i32(1), .i32(0)])) { error in
        let trap = error as? Trap
        XCTAssertEqual(trap?.code, .integerDivideByZero)
        XCTAssertEqual(trap?.backtrace.first, "divide")
      }
      // The store stays usable after a trap.
      XCTAssertEqual(try instance.function("divide")!.invoke([.i32(7), .i32(2)]), [.i32(3)])
    }
  }

  func testInfiniteRecursionIsACleanTrap() throws {
    for mode in modes {
      let instance = try instantiate(Store(dispatch: mode))
      XCTAssertThrowsError(try instance.function("forever")!.invoke([.i32(0)])) { error in
        XCTAssertEqual((error as? Trap)?.code, .callStackExhausted, "\(mode)")
      }
      XCTAssertEqual(try instance.function("fib")!.invoke([.i32(10)]), [.i32(55)])
    }
  }

  /// Wasm-to-Wasm calls must not consume native stack: with threaded dispatch every handler tail-calls the next.
  /// Run deep recursion on a thread with a small native stack; if any handler stopped tail-calling, this
  /// would overflow the native stack and crash.
  func testDeepRecursionNeedsNoNativeStack() throws {
    final class Outcome: @unchecked Sendable {
      var result: [Value] = []
      var failure: Error?
    }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread { [self] in
      do {
        let instance = try self.instantiate(Store(dispatch: .threaded))
        outcome.result = try instance.function("deep")!.invoke([.i32(50_000)])
      } catch { outcome.failure = error }
      done.signal()
    }
    thread.stackSize = 512 * 1024
    thread.start()
    done.wait()
    XCTAssertNil(outcome.failure)
    XCTAssertEqual(outcome.result, [.i32(50_000)])
  }
}

/// Fused instructions keep the exact semantics of the instructions they replace.
final class SuperinstructionTests: XCTestCase {
  func testAddressAddWrapsButTheOffsetDoesNot() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      let loadAdd = instance.function("load_add")!
      // (12 - 8) + 4 = 8: bytes 9..12 little-endian.
      XCTAssertEqual(try loadAdd.invoke([.i32(12)]), [.i32(0x0C0B_0A09)])
      // (4 - 8) wraps to 0xFFFFFFFC; + offset 4 is 2^32, out of bounds (no second wrap).
      XCTAssertThrowsError(try loadAdd.invoke([.i32(4)])) { XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess) }
      // p = 0xFFFFFFFD: p + 3 wraps to 0, + offset 1 reads byte 1.
      XCTAssertEqual(try instance.function("load8_add")!.invoke([.i32(0xFFFF_FFFD)]), [.i32(2)])
      XCTAssertEqual(try instance.function("store_add")!.invoke([.i32(100), .i32(77)]), [.i32(77)])
      XCTAssertThrowsError(try instance.function("store_add")!.invoke([.i32(4), .i32(1)]))
      // load at 4 (bytes 5..8) plus the kept address 4.
      XCTAssertEqual(try instance.function("tee_add")!.invoke([.i32(0)]), [.i32(0x0807_0605 + 4)])
    }
  }

  func testFusedFloatPairsRoundEachOperation() throws {
    let (x, y, z) = (0.1, 3.0000000000000004, -0.30000000000000004)
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      func f64(_ name: String, _ args: [Double]) throws -> Double {
        guard case .f64(let bits) = try instance.function(name)!.invoke(args.map { .f64($0.bitPattern) })[0] else { return .nan }
        return Double(bitPattern: bits)
      }
      // Not a fused multiply-add: x * y rounds first.
      XCTAssertEqual(try f64("f64_mul_add", [x, y, z]).bitPattern, (x * y + z).bitPattern)
      // With a fused multiply-add these would give -2^-54; rounding a * b first gives 0.
      let (a, b) = (1 + 0x1p-27, 1 - 0x1p-27)
      XCTAssertEqual(try f64("f64_mul_add", [a, b, -1]), 0)
      XCTAssertEqual(try f64("f64_rsub_mul", [x, y, z]).bitPattern, (z - x * y).bitPattern)
      XCTAssertEqual(try f64("f64_chain", [x, y]).bitPattern, ((x + y) * x - y * y).bitPattern)
      let r = try instance.function("f32_sub_mul")!.invoke([.f32(Float(1.5).bitPattern), .f32(Float(0.25).bitPattern),
                                                             .f32(Float(3).bitPattern)])
      XCTAssertEqual(r, [.f32(Float(3.75).bitPattern)])
    }
  }

  func testFusedImmediatePairsKeepWasmSemantics() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      func call(_ name: String, _ x: UInt32) throws -> [Value] { try instance.function(name)!.invoke([.i32(x)]) }
      XCTAssertEqual(try call("bits", 0xF0), [.i32((0xF0 >> 3) & 7)])
      XCTAssertEqual(try call("collatz", 0x6000_0000), [.i32(0x6000_0000 &* 3 &+ 1)])
      XCTAssertEqual(try call("signed", 0x8000_0000), [.i32(UInt32(bitPattern: (Int32.min >> 4) ^ -1))])
    }
  }

  func testNegatedComparisonsAreInvertedExactly() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      for (a, b) in [(Int32(1), Int32(2)), (2, 1), (-5, 3), (3, 3), (Int32.min, Int32.max)] {
        let r = try instance.function("not_lt_s")!.invoke([.i32(UInt32(bitPattern: a)), .i32(UInt32(bitPattern: b))])
        XCTAssertEqual(r, [.i32(a < b ? 0 : 1)], "\(a) \(b)")
      }
      for (a, b) in [(1.0, 2.0), (2.0, 1.0), (3.0, 3.0), (.nan, 1.0), (1.0, .nan), (-0.0, 0.0)] {
        let args: [Value] = [.f64(a.bitPattern), .f64(b.bitPattern)]
        XCTAssertEqual(try instance.function("not_flt_value")!.invoke(args), [.i32(a < b ? 0 : 1)], "\(a) \(b)")
        XCTAssertEqual(try instance.function("not_fge_if")!.invoke(args), [.i32(a >= b ? 0 : 1)], "\(a) \(b)")
        let args32: [Value] = [.f32(Float(a).bitPattern), .f32(Float(b).bitPattern)]
        XCTAssertEqual(try instance.function("not_flt_branch")!.invoke(args32), [.i32(a < b ? 0 : 1)], "\(a) \(b)")
      }
      XCTAssertEqual(try instance.function("nonzero64")!.invoke([.i64(0)]), [.i32(0)])
      XCTAssertEqual(try instance.function("nonzero64")!.invoke([.i64(1 << 40)]), [.i32(1)])
      XCTAssertEqual(try instance.function("count_bits")!.invoke([.i64(0xF0F0_0000_0000_0001)]), [.i32(9)])
      XCTAssertEqual(try instance.function("count_bits")!.invoke([.i64(0)]), [.i32(0)])
    }
  }

  func testFloatResultsStoredByOneInstruction() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      let sum = try instance.function("store_sum")!.invoke([.i32(64), .f64(0.1.bitPattern), .f64(0.2.bitPattern)])
      XCTAssertEqual(sum, [.f64((0.1 + 0.2).bitPattern)])
      XCTAssertThrowsError(try instance.function("store_sum")!.invoke([.i32(65536 - 12), .f64(1.0.bitPattern),
                                                                       .f64(1.0.bitPattern)])) {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
      let product = try instance.function("store_product32")!.invoke([.i32(100), .f32(Float(1.5).bitPattern),
                                                                       .f32(Float(-4).bitPattern)])
      XCTAssertEqual(product, [.f32(Float(-6).bitPattern)])
    }
  }

  func testSelectOnAComparison() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      XCTAssertEqual(try instance.function("max_u64")!.invoke([.i64(UInt64.max), .i64(3)]), [.i64(UInt64.max)])
      XCTAssertEqual(try instance.function("max_u64")!.invoke([.i64(2), .i64(3)]), [.i64(3)])
      XCTAssertEqual(try instance.function("clamp_low")!.invoke([.i32(UInt32(bitPattern: -9))]),
                     [.i32(UInt32(bitPattern: -5))])
      XCTAssertEqual(try instance.function("clamp_low")!.invoke([.i32(7)]), [.i32(7)])
      let pick = instance.function("pick_f64")!
      XCTAssertEqual(try pick.invoke([.i64(UInt64(bitPattern: -1)), .f64(1.5.bitPattern), .f64(2.5.bitPattern)]),
                     [.f64(1.5.bitPattern)])
      XCTAssertEqual(try pick.invoke([.i64(0), .f64(1.5.bitPattern), .f64(2.5.bitPattern)]), [.f64(2.5.bitPattern)])
    }
  }

  func testALoadedBaseJoinsTheScaledIndex() throws {
    XCTAssertEqual(try translatedOpcodes("superinstructions", 65), [.i32_load_add_shl, .ret])
    for mode in [DispatchMode.threaded, .switchLoop] {
      let indexed = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions")).function("indexed_field")!
      // Memory starts 01 02 03 04 05 06 07 08 09 0a 0b 0c: the word at 8 is 0x0c0b0a09.
      XCTAssertEqual(try indexed.invoke([.i32(0), .i32(3)]), [.i32(0x0c0b_0a09 + 48)], "\(mode)")
      XCTAssertEqual(try indexed.invoke([.i32(0), .i32(0x1000_0001)]), [.i32(0x0c0b_0a09 + 16)], "\(mode): i << 4 wraps")
      XCTAssertThrowsError(try indexed.invoke([.i32(65_528), .i32(0)])) {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
    }
  }

  func testASwitchOnALoadedByteIsOneInstruction() throws {
    let fused = try translatedOpcodes("superinstructions", 66)
    XCTAssertTrue(fused.contains(.br_table_load8_u) && !fused.contains(.i32_load8_u), "\(fused)")
    XCTAssertEqual(try translatedOpcodes("superinstructions", 67).prefix(2), [.i32_load8_u, .br_table_acc_ra])
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      let byteSwitch = instance.function("byte_switch")!
      XCTAssertEqual(try byteSwitch.invoke([.i32(0)]), [.i32(200)], "\(mode): byte 1")
      XCTAssertEqual(try byteSwitch.invoke([.i32(100)]), [.i32(100)], "\(mode): byte 0")
      XCTAssertEqual(try byteSwitch.invoke([.i32(11)]), [.i32(1012)], "\(mode): byte 12, the default, kept in the local")
      XCTAssertThrowsError(try byteSwitch.invoke([.i32(65_536)]), "\(mode)") {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
      XCTAssertEqual(try instance.function("byte_switch_offset")!.invoke([.i32(0)]), [.i32(300)], "\(mode)")
    }
  }

  func testAConstantSetBeforeAJumpIsPartOfIt() throws {
    let flagged = try translatedOpcodes("superinstructions", 68)
    XCTAssertTrue(flagged.contains { $0.name.hasPrefix("const32_add_ri_br") } && !flagged.contains(.const32), "\(flagged)")
    let picked = try translatedOpcodes("superinstructions", 69)
    XCTAssertTrue(picked.contains(.const32_br), "\(picked)")
    let readsIt = try translatedOpcodes("superinstructions", 70)
    XCTAssertTrue(readsIt.contains(.const32) && !readsIt.contains { $0.name.hasPrefix("const32_") }, "\(readsIt)")
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      XCTAssertEqual(try instance.function("count_with_flag")!.invoke([.i32(5)]), [.i32(12)], "\(mode)")
      XCTAssertEqual(try instance.function("count_with_flag")!.invoke([.i32(0)]), [.i32(0)], "\(mode)")
      XCTAssertEqual(try instance.function("pick_const")!.invoke([.i32(1)]), [.i32(11)], "\(mode)")
      XCTAssertEqual(try instance.function("pick_const")!.invoke([.i32(0)]), [.i32(22)], "\(mode)")
      XCTAssertEqual(try instance.function("const_then_add")!.invoke([.i32(50)]), [.i32(101)], "\(mode)")
    }
  }

  func testABitTestIsPartOfItsBranch() throws {
    XCTAssertTrue(try translatedOpcodes("superinstructions", 71).contains(.br_i32_and_ri_nez))
    XCTAssertTrue(try translatedOpcodes("superinstructions", 72).contains(.br_i32_and_ri_eqz))
    XCTAssertTrue(try translatedOpcodes("superinstructions", 73).contains(.br_i32_load8_u_and_ri_nez))
    let kept = try translatedOpcodes("superinstructions", 74)
    XCTAssertTrue(kept.contains(.i32_and_ri) && !kept.contains { $0.name.hasPrefix("br_i32_and_ri") }, "\(kept)")
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      func call(_ name: String, _ x: UInt32) throws -> [Value] { try instance.function(name)!.invoke([.i32(x)]) }
      XCTAssertEqual([try call("bit_set", 5), try call("bit_set", 3)], [[.i32(1)], [.i32(0)]], "\(mode)")
      XCTAssertEqual([try call("bit_clear", 5), try call("bit_clear", 3)], [[.i32(0)], [.i32(1)]], "\(mode)")
      // Memory holds 01 02 03 04 ... from 0: the byte after p.
      XCTAssertEqual([try call("byte_bit_set", 0), try call("byte_bit_set", 1), try call("byte_bit_set", 2)],
                     [[.i32(1)], [.i32(1)], [.i32(0)]], "\(mode)")
      XCTAssertThrowsError(try call("byte_bit_set", 65_535), "\(mode)") {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
      XCTAssertEqual([try call("bit_kept", 5), try call("bit_kept", 3)], [[.i32(104)], [.i32(0)]], "\(mode)")
    }
  }

  func testAResultComputedIntoSlotZeroReturnsWithIt() throws {
    let plusOne = try translatedOpcodes("superinstructions", 75)
    XCTAssertTrue(plusOne.contains(.i32_add_ri_ret) && !plusOne.contains(.ret), "\(plusOne)")
    let mix = try translatedOpcodes("superinstructions", 76)
    XCTAssertTrue(mix.contains { $0.name.hasPrefix("i32_xor_ret") } && !mix.contains(.ret), "\(mix)")
    let fib = try translatedOpcodes("superinstructions", 77)
    XCTAssertEqual(fib.filter { $0.name.hasPrefix("i32_add") && $0.name.contains("_ret") }.count, 2, "\(fib)")
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      func call(_ name: String, _ args: [UInt32]) throws -> [Value] {
        try instance.function(name)!.invoke(args.map { .i32($0) })
      }
      XCTAssertEqual(try call("plus_one", [41]), [.i32(42)], "\(mode)")
      XCTAssertEqual(try call("plus_one", [UInt32.max]), [.i32(0)], "\(mode)")
      XCTAssertEqual(try call("mix", [3, 5, 80]), [.i32((3 &* 31 &+ 5) ^ (80 >> 3))], "\(mode)")
      XCTAssertEqual(try call("fib", [20]), [.i32(6765)], "\(mode)")
    }
  }

  func testLoadsFusedWithAnImmediateOperation() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      // Memory starts 01 02 03 04 05 06 07 08 ...
      XCTAssertEqual(try instance.function("byte_bits")!.invoke([.i32(5)]), [.i32(0x08 & 6)])
      XCTAssertEqual(try instance.function("word_scaled")!.invoke([.i32(0)]), [.i32(0x0403_0201 << 4)])  // 36 mod 32
      XCTAssertEqual(try instance.function("half_plus")!.invoke([.i32(0)]), [.i32(0x0201 - 1)])
      XCTAssertThrowsError(try instance.function("half_plus")!.invoke([.i32(65535)])) {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
    }
  }

  func testCallsThatCopyTheirLastArgument() throws {
    XCTAssertTrue(try translatedOpcodes("superinstructions", 45).contains(.call_const))
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      XCTAssertEqual(try instance.function("call_copy")!.invoke([.i32(5)]), [.i32(10)])
      XCTAssertEqual(try instance.function("call_const")!.invoke([.i32(5)]), [.i32(8)])
      XCTAssertEqual(try instance.function("call_const")!.invoke([.i32(0xFFFF_FFEC)]), [.i32(0xFFFF_FFEF)])
      XCTAssertEqual(try instance.function("call_indirect_copy")!.invoke([.i32(5), .i32(0)]), [.i32(10)])
      XCTAssertThrowsError(try instance.function("call_indirect_copy")!.invoke([.i32(5), .i32(1)])) {
        XCTAssertEqual(($0 as? Trap)?.code, .uninitializedElement)
      }
      XCTAssertThrowsError(try instance.function("call_indirect_copy")!.invoke([.i32(5), .i32(2)])) {
        XCTAssertEqual(($0 as? Trap)?.code, .undefinedElement)
      }
      XCTAssertEqual(try instance.function("pass_ref")!.invoke([.externref(42)]), [.externref(42)])
      XCTAssertEqual(try instance.function("pass_ref")!.invoke([.externref(nil)]), [.externref(nil)])
    }
  }

  func testFreeZeroExtensionAndSelectsOnAClearBit() throws {
    let ops = { (i: Int) in try translatedOpcodes("superinstructions", i) }
    XCTAssertFalse(try ops(46).contains { $0 == .i64_extend_i32_u || $0 == .i64_extend_i32_u_acc_ra })
    XCTAssertTrue(try ops(47).contains(.select_and_ri))
    XCTAssertFalse(try ops(48).contains(.select_and_ri), "i64 and with a negative mask tests high bits too")
    XCTAssertTrue(try ops(49).contains(.select_and_ri))
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      func call(_ name: String, _ args: [Value]) throws -> [Value] { try instance.function(name)!.invoke(args) }
      XCTAssertEqual(try call("extend_sum", [.i64(5), .i32(0xFFFF_FFFF)]), [.i64(5)], "\(mode): i32 wraps first")
      XCTAssertEqual(try call("extend_sum", [.i64(5), .i32(0x7FFF_FFFF)]), [.i64(5 + 0x8000_0000)], "\(mode)")
      for (b, expected) in [(UInt64(2), UInt64(10)), (3, 20), (0x1_0000_0000, 10)] {
        XCTAssertEqual(try call("pick_if_clear64", [.i64(b), .i64(10), .i64(20)]), [.i64(expected)], "\(mode) \(b)")
      }
      for (b, expected) in [(UInt64(1), UInt64(10)), (0x1_0000_0000, 20), (0x8000_0000_0000_0000, 20)] {
        XCTAssertEqual(try call("pick_if_clear_high64", [.i64(b), .i64(10), .i64(20)]), [.i64(expected)], "\(mode) \(b)")
      }
      XCTAssertEqual(try call("pick_if_clear32", [.i32(0x7FFF_FFFF), .i32(1), .i32(2)]), [.i32(1)], "\(mode)")
      XCTAssertEqual(try call("pick_if_clear32", [.i32(0x8000_0000), .i32(1), .i32(2)]), [.i32(2)], "\(mode)")
    }
  }

  func testProductByAConstantPlusAValue() throws {
    let ops = try translatedOpcodes("superinstructions", 50)
    XCTAssertEqual(ops.first, .i32_mul_ri_add, "\(ops)")
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      for (x, y) in [(UInt32(7), UInt32(5)), (0x1234_5678, 0xFFFF_FFFF), (0x8000_0000, 1)] {
        XCTAssertEqual(try instance.function("mul_add")!.invoke([.i32(x), .i32(y)]), [.i32(x &* 31 &+ y)], "\(mode)")
      }
    }
  }

  func testIncrementAndJump() throws {
    let ops = try translatedOpcodes("superinstructions", 51)
    // (The loop pins its counter: the increment reads and writes it through l0, PinnedLocalTests.)
    XCTAssertTrue(ops.contains(.i32_add_ri_br_l0_ra_l0d), "\(ops)")
    XCTAssertFalse(ops.contains(.br), "\(ops)")
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      for (n, expected) in [(UInt32(0), UInt32(0)), (10, 12), (12, 12)] {
        XCTAssertEqual(try instance.function("count_up")!.invoke([.i32(n)]), [.i32(expected)], "\(mode) \(n)")
      }
    }
  }

  func testTheLastTwoArgumentMovesJoinTheCall() throws {
    XCTAssertEqual(try translatedOpcodes("superinstructions", 54), [.call_copy_const, .ret_value])
    // Constants are moved last by the parallel move, whatever the argument order.
    XCTAssertEqual(try translatedOpcodes("superinstructions", 55), [.call_copy_const, .ret_value])
    XCTAssertEqual(try translatedOpcodes("superinstructions", 64), [.call_copy2, .ret_value])
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      XCTAssertEqual(try instance.function("call_two_moves")!.invoke([.i32(50)]), [.i32(43)], "\(mode)")
      XCTAssertEqual(try instance.function("call_two_moves_copy_last")!.invoke([.i32(30)]), [.i32(70)], "\(mode)")
      XCTAssertEqual(try instance.function("call_two_copies")!.invoke([.i32(30), .i32(100)]), [.i32(70)], "\(mode)")
    }
  }

  func testCopyThenBranch() throws {
    XCTAssertTrue(try translatedOpcodes("superinstructions", 52).contains(.copy_br_i32_nez))
    XCTAssertTrue(try translatedOpcodes("superinstructions", 53).contains(.copy_br_i32_eqz))
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      func call(_ name: String, _ args: [Value]) throws -> [Value] { try instance.function(name)!.invoke(args) }
      for n in [UInt32(0), 1, 7] { XCTAssertEqual(try call("carry", [.i32(n)]), [.i32(n + 1)], "\(mode) \(n)") }
      XCTAssertEqual(try call("carry_if", [.i32(1), .i32(5)]), [.i32(105)], "\(mode)")
      XCTAssertEqual(try call("carry_if", [.i32(0), .i32(5)]), [.i32(5)], "\(mode)")
    }
  }

  func testDigitAppendedInOneInstruction() throws {
    XCTAssertEqual(try translatedOpcodes("superinstructions", 56).first, .i32_mul_ri_add_ri)
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      for (n, c): (UInt32, UInt32) in [(0, 55), (429_496_729, 57), (0xFFFF_FFFF, 0)] {
        let expected: UInt32 = n &* 10 &+ c &- 48
        XCTAssertEqual(try instance.function("append_digit")!.invoke([.i32(n), .i32(c)]), [.i32(expected)], "\(mode)")
      }
    }
  }

  func testShiftThenXor() throws {
    XCTAssertEqual(try translatedOpcodes("superinstructions", 57).prefix(3),
                   [.i32_shl_ri_xor, .i32_shr_u_ri_xor_acc_ra, .i32_shl_ri_xor_acc_ra])
    XCTAssertEqual(try translatedOpcodes("superinstructions", 58).prefix(2), [.i64_shr_u_ri_xor, .i64_shl_ri_xor_acc_ra])
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      for x in [UInt32(1), 2_463_534_242, 0x8000_0000] {
        var y = x ^ (x << 13)
        y ^= y >> 17
        XCTAssertEqual(try instance.function("xorshift32")!.invoke([.i32(x)]), [.i32(y ^ (y << 5))], "\(mode)")
      }
      for h in [UInt64(1), 0x9E37_79B9_7F4A_7C15, 0xFFFF_FFFF_FFFF_FFFF] {
        let g = h ^ (h >> 31)
        XCTAssertEqual(try instance.function("mix64")!.invoke([.i64(h)]), [.i64((g << 7) ^ g)], "\(mode)")
      }
    }
  }

  /// An i32 shift whose result `i64.extend_i32_u` widens (no instruction) stays apart from an i64.xor.
  func testWidenedShiftIsNotFusedWithAnI64Xor() throws {
    for index in [62, 63] {
      let ops = try translatedOpcodes("superinstructions", index)
      XCTAssertFalse(ops.contains(.i32_shl_ri_xor) || ops.contains(.i32_shr_u_ri_xor), "\(ops)")
    }
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      let y: UInt64 = 0x0000_03E8_0000_0000
      XCTAssertEqual(try instance.function("widened_shl_xor")!.invoke([.i32(1), .i64(y)]), [.i64(y ^ 8192)], "\(mode)")
      XCTAssertEqual(try instance.function("xor_widened_shr_u")!.invoke([.i32(80), .i64(UInt64.max)]),
                     [.i64(UInt64.max ^ 10)], "\(mode)")
    }
  }

  func testConditionalSubtraction() throws {
    XCTAssertEqual(try translatedOpcodes("superinstructions", 59).dropFirst().first, .select_i64_gt_u_add)
    XCTAssertEqual(try translatedOpcodes("superinstructions", 60).first, .select_i32_ge_u_add)
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      let m: UInt64 = 1_000_000_007
      for r: UInt64 in [0, m - 1, m, m + 5, 2 * m - 1, UInt64.max] {
        let expected: UInt64 = r >= m ? r &- m : r
        XCTAssertEqual(try instance.function("reduce64")!.invoke([.i64(r)]), [.i64(expected)], "\(mode) \(r)")
      }
      for (r, m): (UInt32, UInt32) in [(5, 7), (7, 7), (13, 7), (0xFFFF_FFFF, 3), (0, 0)] {
        let expected: UInt32 = r >= m ? r &- m : r
        XCTAssertEqual(try instance.function("reduce32")!.invoke([.i32(r), .i32(m), .i32(0 &- m)]), [.i32(expected)],
                       "\(mode) \(r) \(m)")
      }
    }
  }

  func testComparisonCopyAndBranch() throws {
    let ops = try translatedOpcodes("superinstructions", 61)
    XCTAssertTrue(ops.contains(.i32_lt_s_ri_copy_br), "\(ops)")
    XCTAssertFalse(ops.contains(.copy_br_i32_nez), "\(ops)")
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      for start in [Int32(0), 998, 999, 5000, -5] {
        XCTAssertEqual(try instance.function("count_from")!.invoke([.i32(UInt32(bitPattern: start))]),
                       [.i32(UInt32(bitPattern: max(start, 999) + 1))], "\(mode) \(start)")
      }
    }
  }

  func testAddsToFloatsInMemory() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      let add64 = instance.function("add_to_f64")!, add32 = instance.function("add_to_f32")!
      XCTAssertEqual(try add64.invoke([.i32(1000), .f64(0.1.bitPattern)]), [.f64(0.1.bitPattern)])
      XCTAssertEqual(try add64.invoke([.i32(1000), .f64(0.2.bitPattern)]), [.f64((0.1 + 0.2).bitPattern)])
      XCTAssertEqual(try add32.invoke([.i32(2000), .f32(Float(1.5).bitPattern)]), [.f32(Float(1.5).bitPattern)])
      XCTAssertEqual(try add32.invoke([.i32(2000), .f32(Float(-4).bitPattern)]), [.f32(Float(-2.5).bitPattern)])
      XCTAssertThrowsError(try add64.invoke([.i32(65536 - 12), .f64(1.0.bitPattern)])) {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
      XCTAssertEqual(try instance.function("add_elsewhere")!.invoke([.i32(1000), .f64(1.0.bitPattern)]),
                     [.f64((1.0 + 0.1 + 0.2).bitPattern)])  // 1008 holds 0.1 + 0.2 from above

      let sub64 = instance.function("sub_from_f64")!
      XCTAssertEqual(try sub64.invoke([.i32(3000), .f64(1.5.bitPattern), .f64(2.0.bitPattern)]), [.f64((-0.75).bitPattern)])
      XCTAssertEqual(try sub64.invoke([.i32(3000), .f64(0.1.bitPattern), .f64(0.3.bitPattern)]),
                     [.f64((-0.75 - 0.1 / 0.3).bitPattern)])
      XCTAssertThrowsError(try sub64.invoke([.i32(65536 - 12), .f64(1.0.bitPattern), .f64(1.0.bitPattern)])) {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
      let sub32 = instance.function("sub_from_f32")!
      XCTAssertEqual(try sub32.invoke([.i32(4000), .f32(Float(9).bitPattern)]), [.f32(Float(-3).bitPattern)])
      // Out of bounds and a division by zero: the load comes first in Wasm order, so the memory trap wins.
      XCTAssertThrowsError(try instance.function("sub_trapping_e")!.invoke([.i32(65536), .i32(0)])) {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
    }
  }

  func testLoadsFromAScaledIndex() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      // Memory starts 01 02 03 04 05 06 07 08 09 0a 0b 0c.
      let scaled = instance.function("load_scaled")!
      XCTAssertEqual(try scaled.invoke([.i32(0)]), [.i32(0x0807_0605)])  // (0 << 2) + 4
      XCTAssertEqual(try scaled.invoke([.i32(1)]), [.i32(0x0c0b_0a09)])
      XCTAssertEqual(try scaled.invoke([.i32(0x4000_0001)]), [.i32(0x0c0b_0a09)])  // the shift wraps at 32 bits
      XCTAssertThrowsError(try scaled.invoke([.i32(16383)])) {  // 65532 + 4
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
      XCTAssertEqual(try instance.function("load_scaled64")!.invoke([.i32(1)]), [.i64(0x0c0b_0a09)])  // 1 << (35 mod 32) = 8
      XCTAssertEqual(try instance.function("load_scaled_f64")!.invoke([.i32(0)]), [.f64(0x0807_0605_0403_0201)])
    }
  }

  func testMemoryMovesAndBitTestSelects() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("superinstructions"))
      func call(_ name: String, _ to: Int32, _ from: Int32) throws -> [Value] {
        try instance.function(name)!.invoke([.i32(UInt32(bitPattern: to)), .i32(UInt32(bitPattern: from))])
      }
      // Memory starts 01 02 03 04 05 06 07 08 09 0a 0b 0c; 100... is zero.
      XCTAssertEqual(try call("move8", 100, 0), [.i64(0x0300)])
      XCTAssertEqual(try call("move16", 200, 1), [.i64(0x0302)])
      XCTAssertEqual(try call("move32", 300, 2), [.i64(0x0605_0403)])
      XCTAssertEqual(try call("move64", 400, 0), [.i64(0x0c0b_0a09_0807_0605)])
      // Moves trap before writing anything: a load past the end, or a store past the end.
      XCTAssertThrowsError(try call("move64", 500, 65530)) { XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess) }
      XCTAssertEqual(try call("move64", 700, 504), [.i64(0)])  // 508...515: not written by the trapping move
      XCTAssertThrowsError(try call("move32", 65533, 0)) { XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess) }
      XCTAssertEqual(try call("move8", 800, 65531), [.i64(0)])  // 65533: not written either

      for (c, picked) in [(UInt32(3), 1), (2, 2), (0x8000_0000, 2)] {
        let r = try instance.function("pick_odd_i64")!.invoke([.i32(c), .i64(11), .i64(22)])
        XCTAssertEqual(r, [.i64(picked == 1 ? 11 : 22)], "\(c)")
      }
      for (c, picked) in [(UInt32(0x8000_0000), 1.5), (0x7FFF_FFFF, -2.5), (0xFFFF_FFFF, 1.5)] {
        let r = try instance.function("pick_bit_f64")!.invoke([.i32(c), .f64(1.5.bitPattern), .f64((-2.5).bitPattern)])
        XCTAssertEqual(r, [.f64(picked.bitPattern)], "\(c)")
      }
    }
  }
}

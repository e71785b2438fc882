import SwasmBytecode
import SwasmRuntime
import WasmBinary
import XCTest

/// The accumulator (tools/isa/accumulators.py): where an instruction reads the slot the one before it just wrote, it takes the
/// value from a register instead. Checked on the translation (which instructions switch, which must not) and on
/// results in both dispatch modes (the threaded handlers run the forms' own bodies, the switch loop the base ones).
final class AccumulatorTests: XCTestCase {
  func opcodes(_ index: Int) throws -> [Opcode] { try translatedOpcodes("accumulator", index) }

  /// `Opcode(word:)` reads an opcode by a range check and a cast, relying on ids numbered from 0 in declaration
  /// order (as tools/generate.py writes them).
  func testOpcodesFromHeaderWords() {
    XCTAssertEqual(MemoryLayout<Opcode>.size, 2)
    for op in Opcode.allCases { XCTAssertEqual(Opcode(word: UInt64(op.rawValue)), op) }
    XCTAssertNil(Opcode(word: UInt64(Opcode.count)))
    XCTAssertNil(Opcode(word: 1 << 16 | 3))
  }

  /// The flat position tables the cache verifier reads (generated next to the field lists) say the same.
  func testFlatOperandTablesMatchTheFieldLists() {
    func position(_ f: OperandField) -> UInt16 { UInt16(f.slot << 8 | f.shift) }
    for op in Opcode.allCases {
      let id = Int(op.rawValue)
      let registers = Opcode.registerPositions[Int(Opcode.registerStart[id])..<Int(Opcode.registerStart[id + 1])]
      XCTAssertEqual(Array(registers), op.fields.filter(\.isRegister).map(position), op.name)
      let slots = Opcode.registerSlotCounts[Int(Opcode.registerStart[id])..<Int(Opcode.registerStart[id + 1])]
      XCTAssertEqual(slots.map(Int.init), op.fields.filter(\.isRegister).map(\.slotCount), op.name)
      // The register whose value an instruction leaves in the accumulator: its `rd`, or `copy2`'s second destination.
      let accumulated = op.writtenAccumulator == nil ? nil : op.fields.first { $0.name == (op == .copy2 ? "rd2" : "rd") }
      XCTAssertEqual(Opcode.accumulatorDestinationPosition[id], accumulated.map(position) ?? .max, op.name)
      XCTAssertEqual(Opcode.accumulatorReadPosition[id], op.accumulatorField.map { position(op.fields[$0]) } ?? .max, op.name)
      XCTAssertEqual(Opcode.hasBranches[id], op.isBranchTable || op == .handler_table || op.fields.contains { $0.kind == .branchOffset }, op.name)
      XCTAssertEqual(Opcode.branchOffsetPosition[id], op.fields.first { $0.kind == .branchOffset }.map(position) ?? .max, op.name)
    }
  }

  func testDependentChainsUseTheAccumulator() throws {
    // Each shift fuses with its xor; each fused step reads the one before from the accumulator.
    XCTAssertEqual(try opcodes(0), [.i32_shl_ri_xor, .i32_shr_u_ri_xor_acc_ra, .i32_shl_ri_xor_acc_ra, .ret])
    // The product is the subtraction's right operand.
    XCTAssertEqual(try opcodes(1).suffix(4), [.i64_add, .i64_mul_acc_ra, .i64_sub_acc_rb, .ret])
    XCTAssertTrue(try opcodes(3).contains(.i32_store_add_acc_rv))
    XCTAssertEqual(try opcodes(4), [.i32_wrap_i64, .i32_add_ri_acc_ra, .i64_extend_i32_s_acc_ra, .ret])
    // The loop's counter is pinned (PinnedLocalTests): its test reads it from l0, where it read the accumulator.
    XCTAssertTrue(try opcodes(5).contains(.br_i32_nez_l0_ra))
    XCTAssertEqual(try opcodes(6), [.f64_mul_add, .f64_sqrt_facc_ra, .f64_div_facc_ra, .ret])
    XCTAssertEqual(try opcodes(7), [.f64_neg, .f64_copysign_facc_ra, .ret])
    // Copies leave the value they write last in the accumulator: the list reversal's test of the first node reads
    // it after `copy`, and its load of the next node after `copy2` (whose second move wrote the address). The loop
    // pins the next node's local: the load writes it through to l0, and the back edge's test reads it there.
    XCTAssertEqual(try opcodes(8), [.zero_slots, .copy, .br_i32_eqz_acc_ra, .l0_load, .copy2, .i32_load_acc_raddr_l0d,
                                    .i32_store, .br_i32_nez_l0_ra, .ret_value])
  }

  func testNoAccumulatorAtABranchTarget() throws {
    // The add after the join follows the else arm's add, which wrote its operand, but the then arm jumps there.
    let ops = try opcodes(2)
    XCTAssertEqual(ops.filter { $0.accumulatorField != nil }, [])
    XCTAssertEqual(ops.suffix(2), [.i32_add_ri, .i32_add_ri_ret])
  }

  func testResultsMatchTheSeparateInstructions() throws {
    func xorshift(_ v: UInt32) -> UInt32 {
      var x = v
      x ^= x << 13
      x ^= x >> 17
      x ^= x << 5
      return x
    }
    let values: [UInt32] = [0, 1, 0x8000_0000, 0xFFFF_FFFF, 2_463_534_242, 12345]
    for mode in [DispatchMode.threaded, .switchLoop] {
      let instance = try Store(dispatch: mode).instantiate(try loadTestModule("accumulator"))
      func call(_ name: String, _ args: [Value]) throws -> [Value] { try instance.function(name)!.invoke(args) }
      for v in values {
        XCTAssertEqual(try call("xorshift", [.i32(v)]), [.i32(xorshift(v))], "\(mode)")
        XCTAssertEqual(try call("join", [.i32(v), .i32(1)]), [.i32(v &* 3 &+ 100)], "\(mode)")
        XCTAssertEqual(try call("join", [.i32(v), .i32(0)]), [.i32(v &+ 1 &+ 100)], "\(mode)")
        let wide = UInt64(v) << 32 | UInt64(v ^ 0x5555_5555)
        let expected = UInt64(bitPattern: Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: wide) &+ 1)))
        XCTAssertEqual(try call("wrap_extend", [.i64(wide)]), [.i64(expected)], "\(mode)")
        let (a, b) = (wide, UInt64(v) &* 0x1234_5678_9ABC)
        XCTAssertEqual(try call("mix64", [.i64(a), .i64(b)]), [.i64(b &- (a &+ b) &* 0x9E37_79B9_7F4A_7C15)], "\(mode)")
        XCTAssertEqual(try call("store_load", [.i32(v & 0xFFF0), .i32(v)]), [.i32(v &* v)], "\(mode)")
      }
      XCTAssertEqual(try call("sum_down", [.i32(100)]), [.i32(5050)], "\(mode)")
      // A list of five nodes at 16, 32, ... 80 (each node's first word: the next node's address), reversed.
      guard case .memory(let memory)? = instance.export("memory") else { return XCTFail("no memory") }
      func word(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
      for node in 1...5 { XCTAssertTrue(memory.write(word(node == 5 ? 0 : 16 * (node + 1)), at: 16 * node)) }
      XCTAssertEqual(try call("reverse", [.i32(16)]), [.i32(80)], "\(mode)")
      for node in 1...5 { XCTAssertEqual(memory.read(at: 16 * node, count: 4), word(node == 1 ? 0 : 16 * (node - 1)), "\(mode)") }
      XCTAssertEqual(try call("reverse", [.i32(0)]), [.i32(0)], "\(mode)")
      for (x, y) in [(1.5, 2.0), (-3.25, 0.1), (1e300, 7.0)] {
        let expected = ((x * x + y).squareRoot() / y).bitPattern
        XCTAssertEqual(try call("f64_chain", [.f64(x.bitPattern), .f64(y.bitPattern)]), [.f64(expected)], "\(mode)")
      }
      // A signalling NaN with a payload: negated, then given the sign of +1.
      XCTAssertEqual(try call("nan_bits", [.f64(0x7FF4_0000_0000_0001), .f64(Double(1).bitPattern)]),
                     [.f64(0x7FF4_0000_0000_0001)], "\(mode)")
      XCTAssertEqual(try call("nan_bits", [.f64(0x7FF4_0000_0000_0001), .f64(Double(-1).bitPattern)]),
                     [.f64(0xFFF4_0000_0000_0001)], "\(mode)")
      // The stored value's address was computed just before the store: out of bounds still traps.
      XCTAssertThrowsError(try call("store_load", [.i32(0xFFFF_FFF0), .i32(3)])) {
        XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess)
      }
    }
  }
}

import SwasmBytecode
import SwasmCache
import WasmBinary
import XCTest

/// The bytecode verifier on hand-made functions, in the context of the sample module: function 0 is the import
/// env.log (i32) -> (), defined function 1 is fac (i64) -> i64, 2 square (i64) -> i64, 5 counter () -> i32,
/// 7 scaled_sum (v128) -> i32; global 1 is a mutable funcref, global 2 a mutable v128; table 0 holds funcrefs.
final class VerifierTests: XCTestCase {
  var verifier: BytecodeVerifier!

  override func setUpWithError() throws {
    verifier = BytecodeVerifier(module: try Module(bytes: try sampleModuleBytes()))
  }

  /// Verifies `build`'s code as the defined function `counter` (() -> i32) with a frame of 4 slots.
  func verify(_ build: (inout CodeBuilder) -> Void) throws {
    var b = CodeBuilder()
    build(&b)
    let f = CompiledFunction(code: b.code, paramCount: 0, localCount: 1, resultCount: 1, constBase: 1, constants: [],
                             frameSize: 4)
    try verifier.verify(f, definedFunction: 4)
  }

  func returnZero(_ b: inout CodeBuilder) {
    _ = b.emitRU(.const32, 0, 0)
    _ = b.emitNone(.ret)
  }

  func testWellFormedCodePasses() throws {
    try verify { returnZero(&$0) }
    try verify { b in
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRRU(.table_set, 0, 1, 0)
      _ = b.emitRU(.global_set, 1, 1)
      returnZero(&b)
    }
  }

  func testRegisterOutsideTheFrame() {
    XCTAssertThrowsError(try verify { b in _ = b.emitRU(.const32, 4, 1); returnZero(&b) })
  }

  /// Registers are checked a slot at a time (all 16-bit lanes at once): each of an instruction's five registers,
  /// in either operand slot, is caught alone, at the frame sizes' edges.
  func testEveryRegisterLaneIsChecked() throws {
    func check(frameSize: Int, registers: [Int]) throws {
      var b = CodeBuilder()
      let r = registers.map { Reg($0) }
      _ = b.emitRRRRR(.select_i32_lt_s, r[0], r[1], r[2], r[3], r[4])
      returnZero(&b)
      try verifier.verify(CompiledFunction(code: b.code, paramCount: 0, localCount: 1, resultCount: 1, constBase: 1,
                                           constants: [], frameSize: frameSize), definedFunction: 4)
    }
    XCTAssertEqual(Opcode.select_i32_lt_s.size, 3, "five registers over two operand slots")
    for frameSize in [1, 2, 4, 300, 65535, 65536] {
      let inside = [0, frameSize - 1, frameSize / 2, frameSize - 1, 0]
      try check(frameSize: frameSize, registers: inside)
      for lane in 0..<5 where frameSize < 65536 {
        var registers = inside
        registers[lane] = frameSize
        XCTAssertThrowsError(try check(frameSize: frameSize, registers: registers), "frame \(frameSize), register \(lane)") {
          XCTAssertTrue("\($0)".contains("register \(frameSize) outside the frame of \(frameSize)"), "\($0)")
        }
        registers[lane] = 65535
        XCTAssertThrowsError(try check(frameSize: frameSize, registers: registers), "frame \(frameSize), register \(lane)")
      }
    }
  }

  /// `copy_br_*` copies a slot of any kind, then tests a number: a reference copied through it stays a reference.
  func testCopyThenBranchCarriesReferences() throws {
    try verify { b in
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRRRO(.copy_br_i32_eqz, 2, 1, 0, 3)  // to the next instruction either way
      _ = b.emitRRU(.table_set, 0, 2, 0)
      returnZero(&b)
    }
    XCTAssertThrowsError(try verify { b in  // a reference as the condition
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRRRO(.copy_br_i32_eqz, 2, 2, 1, 3)
      returnZero(&b)
    })
  }

  /// `i32_lt_u_ri_copy_br` and its kin write the comparison's number to `rd`, then copy a slot of any kind: a
  /// reference copied through it stays a reference; the comparison's operand must be a number.
  func testComparisonCopyAndBranchCarriesReferences() throws {
    try verify { b in
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRRIRRO(.i32_lt_u_ri_copy_br, 3, 0, 5, 2, 1, 3)  // to the next instruction either way
      _ = b.emitRRU(.table_set, 0, 2, 0)
      returnZero(&b)
    }
    XCTAssertThrowsError(try verify { b in  // the comparison's result overwrote the reference's slot
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRRIRRO(.i32_lt_u_ri_copy_br, 1, 0, 5, 2, 0, 3)
      _ = b.emitRRU(.table_set, 0, 1, 0)
      returnZero(&b)
    })
    XCTAssertThrowsError(try verify { b in  // the copy over the comparison's own result
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRRIRRO(.i32_lt_u_ri_copy_br, 1, 0, 5, 1, 0, 3)
      returnZero(&b)
    })
    XCTAssertThrowsError(try verify { b in  // a reference compared
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRRIRRO(.i32_lt_u_ri_copy_br, 3, 1, 5, 2, 1, 3)
      returnZero(&b)
    })
  }

  /// `i32_add_ri_br` jumps: it may end a function (a loop that only returns from inside), a plain add may not.
  func testIncrementAndJumpEndsAFunction() throws {
    try verify { b in
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRRIO(.i32_add_ri_br, 0, 0, 1, 0)
    }
    XCTAssertThrowsError(try verify { b in _ = b.emitRU(.const32, 0, 0); _ = b.emitRRI(.i32_add_ri, 0, 0, 1) })
    XCTAssertThrowsError(try verify { b in _ = b.emitRU(.const32, 0, 0); _ = b.emitRRIO(.i32_add_ri_br, 0, 0, 1, 1) })
  }

  /// A switch on a loaded byte: its offsets are checked as br_table's, it never falls through, and its address is
  /// a number.
  func testSwitchOnALoadedByte() throws {
    func byteSwitch(_ b: inout CodeBuilder, address: Reg = 0, offset: Int64) {
      _ = b.emitRUR(.br_table_load8_u, address, 1, 1)  // count 1: two offsets follow
      b.code += [UInt64(bitPattern: offset), UInt64(bitPattern: offset)]
    }
    try verify { b in _ = b.emitRU(.const32, 0, 0); byteSwitch(&b, offset: 4); returnZero(&b) }
    XCTAssertThrowsError(try verify { b in _ = b.emitRU(.const32, 0, 0); byteSwitch(&b, offset: 5); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in _ = b.emitRU(.ref_func, 0, 1); byteSwitch(&b, offset: 4); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRUR(.br_table_load8_u, 0, 1, 1)
      b.code += [4, 2]  // the second offset lands on the instruction's own table
      returnZero(&b)
    })
  }

  /// A constant written by a jump's fused form keeps the constant's kind (zero serves as a null reference), and
  /// the jump ends the code before it: each form here jumps to the next instruction.
  func testConstantsSetByJumps() throws {
    func storeNull(_ b: inout CodeBuilder) { _ = b.emitRRU(.table_set, 0, 1, 0) }  // table 0 holds funcrefs
    try verify { b in
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRUO(.const32_br, 1, 0, Int32(Opcode.const32_br.size))
      storeNull(&b)
      returnZero(&b)
    }
    try verify { b in
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRURRIO(.const32_add_ri_br, 1, 0, 2, 0, 1, Int32(Opcode.const32_add_ri_br.size))
      storeNull(&b)
      returnZero(&b)
    }
    // A nonzero constant is no reference; the add's result is a number.
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRUO(.const32_br, 1, 5, Int32(Opcode.const32_br.size))
      storeNull(&b)
      returnZero(&b)
    })
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRURRIO(.const32_add_ri_br, 2, 0, 1, 0, 0, Int32(Opcode.const32_add_ri_br.size))
      storeNull(&b)
      returnZero(&b)
    })
    try verify { b in _ = b.emitRU(.const32, 0, 0); _ = b.emitRUO(.const32_br, 0, 0, -2) }  // ends the code
  }

  func testBranchIntoAnInstruction() {
    XCTAssertThrowsError(try verify { b in _ = b.emitO(.br, 1); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in _ = b.emitO(.br, 1000); returnZero(&b) })
  }

  /// An `_acc_` form must come right after an instruction that wrote the register it stands for and left it in
  /// the accumulator, and nothing may branch to it.
  func testAccumulatorReadsFollowTheirWriter() throws {
    let writeR1: (inout CodeBuilder) -> Void = { b in _ = b.emitRRI(.i32_add_ri, 1, 0, 7) }
    try verify { b in
      writeR1(&b)
      _ = b.emitRRI(.i32_shl_ri_acc_ra, 0, 1, 3)
      _ = b.emitNone(.ret)
    }
    // Nothing before it; a writer of another register; an instruction that does not write the accumulator.
    XCTAssertThrowsError(try verify { b in _ = b.emitRRI(.i32_shl_ri_acc_ra, 0, 1, 3); _ = b.emitNone(.ret) })
    XCTAssertThrowsError(try verify { b in
      writeR1(&b)
      _ = b.emitRRI(.i32_shl_ri_acc_ra, 0, 2, 3)
      _ = b.emitNone(.ret)
    })
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.const32, 1, 5)
      _ = b.emitRRI(.i32_shl_ri_acc_ra, 0, 1, 3)
      _ = b.emitNone(.ret)
    })
    // The float accumulator after an instruction that wrote the integer one.
    XCTAssertThrowsError(try verify { b in
      writeR1(&b)
      _ = b.emitRR(.f64_neg_facc_ra, 0, 1)
      _ = b.emitNone(.ret)
    })
    // Right after its writer, but also the target of a branch (from where the accumulator holds something else).
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRO(.br_i32_nez, 0, 4)
      writeR1(&b)
      _ = b.emitRRI(.i32_shl_ri_acc_ra, 0, 1, 3)
      _ = b.emitNone(.ret)
    })
  }

  /// A pinned-local read form (tools/isa/pinned.py) runs only where `l0` holds its register on every path: after
  /// an `l0_load` of it or a destination form writing it, with no call and no other write of the register between.
  func testPinnedLocalReadsNeedTheRegisterInL0() throws {
    // A loop: the load before its header, the back edge past the load.
    func loop(_ b: inout CodeBuilder, load: Reg = 1, step: Opcode = .i32_add_ri_l0_ra_l0d, between: ((inout CodeBuilder) -> Void)? = nil) {
      _ = b.emitR(.l0_load, load)
      let header = b.code.count
      _ = b.emitRRI(step, 1, 1, -1)
      between?(&b)
      _ = b.emitRO(.br_i32_nez_l0_ra, 1, Int32(header - b.code.count))
      returnZero(&b)
    }
    try verify { loop(&$0) }
    try verify { b in
      _ = b.emitRU(.const32, 1, 5)
      _ = b.emitR(.l0_load, 1)
      _ = b.emitRRI(.i32_shl_ri_l0_ra, 0, 1, 3)
      _ = b.emitNone(.ret)
    }
    // No load; a load of another register.
    XCTAssertThrowsError(try verify { b in _ = b.emitRRI(.i32_shl_ri_l0_ra, 0, 1, 3); _ = b.emitNone(.ret) })
    XCTAssertThrowsError(try verify { loop(&$0, load: 2) })
    // The register written by an instruction that does not write l0 (in the loop, so the back edge brings it).
    XCTAssertThrowsError(try verify { loop(&$0, step: .i32_add_ri) })
    XCTAssertThrowsError(try verify { loop(&$0, between: { b in _ = b.emitRU(.const32, 1, 7) }) })
    // Writes the analysis must see although they are not a narrow `rd`: a wide frame's staging copy out, the copy
    // of a compute-then-copy instruction.
    XCTAssertThrowsError(try verify { loop(&$0, between: { b in _ = b.emit(.copy_far_out, [1, 2]) }) })
    let next = UInt64(Opcode.i32_eq_ri_copy_br.size)  // a branch to the next instruction
    XCTAssertThrowsError(try verify { loop(&$0, between: { b in _ = b.emit(.i32_eq_ri_copy_br, [3, 2, 0, 1, 2, next]) }) })
    // The same writing other registers.
    try verify { loop(&$0, between: { b in _ = b.emit(.copy_far_out, [2, 3]) }) }
    try verify { loop(&$0, between: { b in _ = b.emit(.i32_eq_ri_copy_br, [3, 2, 0, 2, 2, next]) }) }
    // A call between: it may leave anything in l0.
    XCTAssertThrowsError(try verify { loop(&$0, between: { b in _ = b.emitRU(.call_import, 2, 0) }) })
    // A branch to the header from where l0 holds something else (past the load).
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRO(.br_i32_nez, 0, 6)
      loop(&b)
    })
  }

  func testFallingThroughTheEnd() {
    XCTAssertThrowsError(try verify { b in _ = b.emitRU(.const32, 0, 1) })
  }

  /// The shadow-stack updates do i32 arithmetic on a mutable number global: never on a reference global.
  func testGlobalArithmeticNeedsAMutableNumberGlobal() throws {
    try verify { b in
      _ = b.emitRUI(.global_add_ri, 2, 0, -16)
      _ = b.emitRUI(.global_set_add_ri, 2, 0, 16)
      returnZero(&b)
    }
    XCTAssertThrowsError(try verify { b in _ = b.emitRUI(.global_add_ri, 2, 1, -16); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.const32, 2, 8)
      _ = b.emitRUI(.global_set_add_ri, 2, 1, 16)
      returnZero(&b)
    })
    // The epilogue fused with the return: the same global checks, and its result is checked as a result.
    try verify { b in _ = b.emitRUIR(.global_set_add_ri_ret_value, 2, 0, 16, 3) }
    XCTAssertThrowsError(try verify { b in _ = b.emitRUIR(.global_set_add_ri_ret_value, 2, 1, 16, 3) })
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.ref_func, 3, 2)
      _ = b.emitRUIR(.global_set_add_ri_ret_value, 2, 0, 16, 3)
    }, "a funcref returned as the i32 result")
  }

  /// A returning form (`i32_add_ret`) ends the function like `ret`, and its result is checked as `ret` checks it.
  func testAReturningFormEndsTheFunctionAndIsCheckedAsAReturn() throws {
    try verify { b in _ = b.emitRRR(.i32_add_ret, 0, 1, 2) }
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.ref_func, 0, 2)
      _ = b.emitRRR(.i32_add_ret, 1, 2, 3)
    }, "a funcref left in the i32 result")
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRRR(.i32_add_ret, 0, 1, 2)
    }, "a funcref as an operand")
  }

  func testHaltAndTheLazyStubAreNotFunctionCode() {
    XCTAssertThrowsError(try verify { b in _ = b.emitNone(.halt); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in _ = b.emitNone(.load_code); returnZero(&b) })
  }

  func testIndicesMustExist() {
    XCTAssertThrowsError(try verify { b in _ = b.emitRU(.global_get, 0, 9); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in _ = b.emitRUI(.global_add_ri, 0, 9, -16); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in _ = b.emitRUI(.global_set_add_ri, 0, 9, 16); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in _ = b.emitRU(.call, 1, 99); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in _ = b.emitRURU(.call_const, 1, 5, 1, 99); returnZero(&b) })
    XCTAssertThrowsError(try verify { b in _ = b.emitRURU(.call_const, 1, 5, 1, 0); returnZero(&b) }, "an import")
    XCTAssertThrowsError(try verify { b in _ = b.emitRRU(.table_get, 0, 1, 3); returnZero(&b) })
  }

  /// The moves of `call_copy2` and `call_copy_const` happen before the call in the data flow: what they move into
  /// the arguments is what the callee is checked against (fac takes an i64 at slot 2).
  func testArgumentMovesOfACallAreCheckedAsArguments() throws {
    try verify { b in _ = b.emitRU(.const32, 0, 5); _ = b.emitRRRRRU(.call_copy2, 2, 0, 3, 0, 2, 1); returnZero(&b) }
    try verify { b in _ = b.emitRRRRUU(.call_copy_const, 3, 0, 2, 2, 7, 1); returnZero(&b) }
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRRRRRU(.call_copy2, 3, 0, 2, 1, 2, 1)
      returnZero(&b)
    }, "a funcref moved into an i64 argument")
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRRRRUU(.call_copy_const, 2, 1, 3, 2, 7, 1)
      returnZero(&b)
    }, "a funcref moved into an i64 argument")
    XCTAssertThrowsError(try verify { b in _ = b.emitRRRRRU(.call_copy2, 2, 0, 3, 0, 2, 0); returnZero(&b) }, "an import")
    XCTAssertThrowsError(try verify { b in _ = b.emitRRRRUU(.call_copy_const, 3, 0, 2, 2, 7, 99); returnZero(&b) })
  }

  func testInternalCallOfAnImport() {
    // `call` skips the host check: it must name a defined function.
    XCTAssertThrowsError(try verify { b in _ = b.emitRU(.const32, 1, 0); _ = b.emitRU(.call, 1, 0); returnZero(&b) })
  }

  func testForgedReferenceNeverReachesATable() {
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRQ(.const64, 1, 0xDEAD_BEEF)
      _ = b.emitRU(.const32, 0, 0)
      _ = b.emitRRU(.table_set, 0, 1, 0)
      returnZero(&b)
    })
    XCTAssertThrowsError(try verify { b in  // a number into a funcref global
      _ = b.emitRU(.const32, 1, 5)
      _ = b.emitRU(.global_set, 1, 1)
      returnZero(&b)
    })
  }

  func testReferenceNeverReachesArithmetic() {
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.ref_func, 1, 2)
      _ = b.emitRRR(.i64_add, 0, 1, 1)
      _ = b.emitNone(.ret)
    })
  }

  func testReferenceArgumentToNumericParameter() {
    XCTAssertThrowsError(try verify { b in
      _ = b.emitRU(.ref_func, 2, 2)
      _ = b.emitRU(.call, 2, 2)  // square takes an i64
      returnZero(&b)
    })
  }

  /// Two paths meet before table.set: one brings a funcref, the other a number (or null).
  func testKindsMergeAtBranchTargets() throws {
    func build(otherPath: @escaping (inout CodeBuilder) -> Void) -> (inout CodeBuilder) -> Void {
      return { b in
        _ = b.emitRU(.const32, 0, 0)
        _ = b.emitRU(.ref_func, 1, 2)
        let branch = b.emitRO(.br_i32_eqz, 0, 0)
        otherPath(&b)
        b.patchBranch(at: branch, field: Opcode.br_i32_eqz.fields.first { $0.name == "off" }!, target: b.code.count)
        _ = b.emitRRU(.table_set, 0, 1, 0)
        self.returnZero(&b)
      }
    }
    XCTAssertThrowsError(try verify(build { _ = $0.emitRQ(.const64, 1, 77) }))
    try verify(build { _ = $0.emitRU(.const32, 1, 0) })  // ref.null: fine
  }

  /// A function whose signature has a reference result but whose body has no reference instruction: the signature
  /// alone must start the data flow over slot kinds, or a number could be returned as an externref.
  func testANumberIsNotReturnedAsAReferenceByCodeWithoutReferenceInstructions() throws {
    // (module (func (result externref) (ref.null extern)))
    let bytes: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                          0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x6f,
                          0x03, 0x02, 0x01, 0x00,
                          0x0a, 0x06, 0x01, 0x04, 0x00, 0xd0, 0x6f, 0x0b]
    let verifier = BytecodeVerifier(module: try Module(bytes: bytes))
    func returning(_ value: UInt32) -> CompiledFunction {
      var b = CodeBuilder()
      _ = b.emitRU(.const32, 0, value)
      _ = b.emitNone(.ret)
      return CompiledFunction(code: b.code, paramCount: 0, localCount: 0, resultCount: 1, constBase: 1, constants: [],
                              frameSize: 1)
    }
    XCTAssertThrowsError(try verifier.verify(returning(5), definedFunction: 0)) { error in
      XCTAssertTrue("\(error)".contains("result 0 may hold a value of another type"), "\(error)")
    }
    try verifier.verify(returning(0), definedFunction: 0)  // zero: a null reference
  }

  // MARK: v128

  /// Verifies `build`'s code as `scaled_sum` ((v128) -> i32: its parameter in slots 0 and 1), frame of 6 slots.
  func verifyVector(_ build: (inout CodeBuilder) -> Void) throws {
    var b = CodeBuilder()
    build(&b)
    try verifier.verify(CompiledFunction(code: b.code, paramCount: 2, localCount: 2, resultCount: 1, constBase: 2,
                                         constants: [], frameSize: 6), definedFunction: 6)
  }

  func testVectorsStayInTheirSlots() throws {
    // The parameter and a v128 constant in, a v128 result to a global, a lane out.
    try verifyVector { b in
      b.emit(.init_consts, [2, 2])
      b.code += [5, 6]
      b.emit(.i32x4_mul, [4, 0, 2])
      b.emit(.v128_global_set, [4, 2])
      b.emit(.i32x4_extract_lane, [0, 4, 3])
      b.emitNone(.ret)
    }
    // A scalar instruction reading half of a v128 (the parameter).
    XCTAssertThrowsError(try verifyVector { b in
      b.emitRRR(.i32_add, 0, 0, 1)
      b.emitNone(.ret)
    }) { XCTAssertTrue("\($0)".contains("may hold a value of another type"), "\($0)") }
    // A v128 read from slots that a scalar instruction wrote.
    XCTAssertThrowsError(try verifyVector { b in
      b.emit(.i32x4_extract_lane, [2, 0, 0])
      b.emit(.i32x4_extract_lane, [3, 0, 1])
      b.emit(.i32x4_add, [4, 2, 0])
      b.emit(.i32x4_extract_lane, [0, 4, 0])
      b.emitNone(.ret)
    }) { XCTAssertTrue("\($0)".contains("may hold a value of another type"), "\($0)") }
    // Copies move the kinds of both halves: a v128 copied slot by slot is still one.
    try verifyVector { b in
      b.emitRRRR(.copy2, 2, 0, 3, 1)
      b.emit(.i32x4_extract_lane, [0, 2, 1])
      b.emitNone(.ret)
    }
    // Half of one copied is not.
    XCTAssertThrowsError(try verifyVector { b in
      b.emitRR(.copy, 2, 0)
      b.emit(.i32x4_extract_lane, [3, 0, 1])
      b.emit(.i32x4_extract_lane, [0, 2, 1])
      b.emitNone(.ret)
    })
  }

  func testVectorRegistersFitTheFrame() {
    // Slot 5 is the frame's last: a v128 there would reach slot 6.
    XCTAssertThrowsError(try verifyVector { b in
      b.emit(.i32x4_add, [5, 0, 0])
      b.emit(.i32x4_extract_lane, [0, 0, 0])
      b.emitNone(.ret)
    }) { XCTAssertTrue("\($0)".contains("register 5 outside the frame of 6"), "\($0)") }
    XCTAssertThrowsError(try verifyVector { b in
      b.emit(.i32x4_extract_lane, [0, 5, 0])
      b.emitNone(.ret)
    })
  }

  func testVectorGlobalsHaveTheirOwnInstructions() {
    // global_get reads one slot: never of the v128 global; v128_global_get never of a one-slot global.
    XCTAssertThrowsError(try verifyVector { b in
      b.emitRU(.global_get, 0, 2)
      b.emitNone(.ret)
    }) { XCTAssertTrue("\($0)".contains("of another width"), "\($0)") }
    XCTAssertThrowsError(try verifyVector { b in
      b.emit(.v128_global_get, [2, 0])
      b.emit(.i32x4_extract_lane, [0, 2, 0])
      b.emitNone(.ret)
    }) { XCTAssertTrue("\($0)".contains("of another width"), "\($0)") }
  }

  /// A tail call ends the function; its callee must be defined here (for `return_call`), its arguments must fit the
  /// frame and hold what the callee's parameters are.
  func testTailCalls() throws {
    try verify { b in
      b.emitRU(.const32, 1, 0)
      b.emitRU(.return_call, 1, 4)  // counter: () -> i32, the function's own type
    }
    try verify { b in
      b.emitRU(.const32, 1, 0)
      b.emitRU(.const32, 2, 0)
      b.emitRRUU(.return_call_indirect, 1, 2, 4, 0)
    }
    XCTAssertThrowsError(try verify { b in b.emitRU(.return_call, 1, 0) }) {
      XCTAssertTrue("\($0)".contains("call of an imported function"), "\($0)")
    }
    XCTAssertThrowsError(try verify { b in b.emitRU(.return_call, 4, 7) }) {  // scaled_sum's v128 takes slots 4 and 5
      XCTAssertTrue("\($0)".contains("outside the frame"), "\($0)")
    }
    XCTAssertThrowsError(try verify { b in  // is_null takes an externref, not a number
      b.emitRU(.const32, 1, 7)
      b.emitRU(.return_call, 1, 6)
    }) { XCTAssertTrue("\($0)".contains("argument 0"), "\($0)") }
    XCTAssertThrowsError(try verify { b in  // through the table, as type 5 ((externref) -> i32)
      b.emitRU(.const32, 1, 7)
      b.emitRU(.const32, 2, 0)
      b.emitRRUU(.return_call_indirect, 1, 2, 5, 0)
    }) { XCTAssertTrue("\($0)".contains("argument 0"), "\($0)") }
  }
}

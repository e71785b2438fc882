import SwasmBytecode
import SwasmCache
import WasmBinary
import XCTest

/// Forged code against a module with a 64-bit memory 0 and a 32-bit memory 1: the unchecked accesses of a 32-bit
/// memory 0 (which rely on its guard region) and memory indices that do not exist are refused.
final class MemoriesVerifierTests: XCTestCase {
  /// (type () -> i32) (func (result i32) (i32.const 0)) (memory i64 1) (memory 1)
  static let moduleBytes: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
                                     0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,
                                     0x03, 0x02, 0x01, 0x00,
                                     0x05, 0x05, 0x02, 0x04, 0x01, 0x00, 0x01,
                                     0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0B]

  func verify(_ build: (inout CodeBuilder) -> Void) throws {
    let module = try Module(bytes: Self.moduleBytes)
    XCTAssertEqual(module.allMemories.map(\.is64), [true, false])
    var b = CodeBuilder()
    build(&b)
    _ = b.emitRU(.const32, 0, 0)
    _ = b.emitNone(.ret)
    try BytecodeVerifier(module: module).verify(
      CompiledFunction(code: b.code, paramCount: 0, localCount: 1, resultCount: 1, constBase: 1, constants: [], frameSize: 4),
      definedFunction: 0)
  }

  func testCheckedAccessesOfExistingMemoriesPass() throws {
    try verify { b in
      _ = b.emit(.i32_load_mem64, [1, 0, 0, 16])  // rd, raddr, mem 0, offset
      _ = b.emit(.i32_load_mem, [1, 0, 16, 1])  // rd, raddr, offset, mem 1
      _ = b.emit(.memory_copy, [0, 1, 2, 0, 1])
      _ = b.emit(.memory_size_mem, [1, 1])
    }
  }

  func testUncheckedAccessesNeedA32BitMemoryZero() {
    for forged in [Opcode.i32_load, .i64_load8_u] {
      XCTAssertThrowsError(try verify { _ = $0.emit(forged, [1, 0, 0]) }, "\(forged.name)") {
        XCTAssertTrue("\($0)".contains("without a 32-bit memory 0"), "\($0)")
      }
    }
    XCTAssertThrowsError(try verify { _ = $0.emit(.v128_load, [1, 0, 0]) })
    // A bit test of a loaded byte and its branch (raddr, mask, offset, then a jump to the next instruction).
    XCTAssertThrowsError(try verify { _ = $0.emit(.br_i32_load8_u_and_ri_nez, [0, 1, 0, 3]) }) {
      XCTAssertTrue("\($0)".contains("without a 32-bit memory 0"), "\($0)")
    }
    // A switch on a loaded byte (raddr, count 0, rd), its one offset landing on the code after it.
    XCTAssertThrowsError(try verify { b in _ = b.emit(.br_table_load8_u, [0, 0, 1]); b.code.append(3) }) {
      XCTAssertTrue("\($0)".contains("without a 32-bit memory 0"), "\($0)")
    }
  }

  func testMemoryIndicesMustExist() {
    let forgeries: [(Opcode, [UInt64])] = [
      (.i32_load_mem64, [1, 0, 2, 0]), (.i32_load_mem, [1, 0, 0, 2]), (.i64_store_mem, [0, 1, 0, 7]),
      (.memory_copy, [0, 1, 2, 0, 2]), (.memory_copy, [0, 1, 2, 9, 0]), (.memory_size_mem, [1, 2]),
      (.memory_grow_mem, [1, 0, 2]), (.memory_fill, [0, 1, 2, 3]),
    ]
    for (op, fields) in forgeries {
      XCTAssertThrowsError(try verify { _ = $0.emit(op, fields) }, "\(op.name) \(fields)") {
        XCTAssertTrue("\($0)".contains("does not exist"), "\($0)")
      }
    }
  }
}

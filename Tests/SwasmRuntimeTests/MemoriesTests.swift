import SwasmBytecode
@testable import SwasmRuntime
import WasmBinary
import XCTest

/// Multiple memories, 64-bit memories and a 64-bit table (modules/memories.wat: memory 0 is 64-bit, memories 1 to
/// 4 are 32-bit): bounds at the last byte, addresses that overflow, copies between address types, growth past
/// 4 GiB and the store's cap, in both dispatch modes.
final class MemoriesTests: XCTestCase {
  func withInstance(limits: StoreLimits = StoreLimits(), _ body: (DispatchMode, Instance) throws -> Void) throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      try body(mode, try Store(dispatch: mode, limits: limits).instantiate(try loadTestModule("memories")))
    }
  }

  func call(_ instance: Instance, _ name: String, _ args: Value...) throws -> [Value] {
    try instance.function(name)!.invoke(args)
  }

  func assertOutOfBounds(_ body: @autoclosure () throws -> [Value], _ message: String,
                         file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), message, file: file, line: line) {
      XCTAssertEqual(($0 as? Trap)?.code, .outOfBoundsMemoryAccess, message, file: file, line: line)
    }
  }

  func testTheTranslatorKeepsMemoryZeroFastAndChecksTheOthers() throws {
    // Defined functions 1 and 7 (load8_64, load32_1): the 64-bit memory 0 and the 32-bit memory 1 get checked accesses.
    XCTAssertEqual(try translatedOpcodes("memories", 1), [.i32_load8_u_mem64, .ret])
    XCTAssertEqual(try translatedOpcodes("memories", 7), [.i32_load_mem, .ret])
    let module = try loadTestModule("memories")
    XCTAssertEqual(module.allMemories.map(\.is64), [true, false, false, false, false])
  }

  func testTheLastByteOfA64BitMemoryAndOnePastIt() throws {
    try withInstance { mode, instance in
      let size: UInt64 = 65536
      XCTAssertEqual(try call(instance, "store8_64", .i64(size - 1), .i32(0xAB)), [], "\(mode)")
      XCTAssertEqual(try call(instance, "load8_64", .i64(size - 1)), [.i32(0xAB)], "\(mode)")
      XCTAssertEqual(try call(instance, "load64_64", .i64(size - 8)), [.i64(0xAB00_0000_0000_0000)], "\(mode)")
      assertOutOfBounds(try call(instance, "load8_64", .i64(size)), "\(mode): one past the last byte")
      assertOutOfBounds(try call(instance, "load64_64", .i64(size - 7)), "\(mode): 8 bytes over the end")
      assertOutOfBounds(try call(instance, "store8_64", .i64(size), .i32(1)), "\(mode)")
      assertOutOfBounds(try call(instance, "load8_64", .i64(UInt64.max)), "\(mode): the largest address")
      assertOutOfBounds(try call(instance, "load64_64", .i64(UInt64.max - 3)), "\(mode): address + width wraps")
    }
  }

  func testOffsetPlusAddressOverflowing64Bits() throws {
    try withInstance { mode, instance in
      // offset 2^64 - 16: address 0 reaches past the memory, address 32 wraps around to 16.
      assertOutOfBounds(try call(instance, "load8_64_huge_offset", .i64(0)), "\(mode)")
      assertOutOfBounds(try call(instance, "load8_64_huge_offset", .i64(32)), "\(mode): wraps to a valid address")
      // A 32-bit memory other than memory 0: address and offset each below 2^32, their sum is not wrapped.
      assertOutOfBounds(try call(instance, "load8_1_offset", .i32(0xFFFF_FFFF)), "\(mode)")
      assertOutOfBounds(try call(instance, "load8_1_offset", .i32(1)), "\(mode)")
      XCTAssertEqual(try call(instance, "store32_1", .i32(65532), .i32(0x1234_5678)), [], "\(mode)")
      XCTAssertEqual(try call(instance, "load32_1", .i32(65532)), [.i32(0x1234_5678)], "\(mode)")
      assertOutOfBounds(try call(instance, "load32_1", .i32(65533)), "\(mode)")
    }
  }

  func testCopiesBetweenA32BitAndA64BitMemory() throws {
    try withInstance { mode, instance in
      _ = try call(instance, "store32_1", .i32(100), .i32(0x0403_0201))
      _ = try call(instance, "copy_32_to_64", .i64(65532), .i32(100), .i32(4))
      XCTAssertEqual(try call(instance, "load8_64", .i64(65535)), [.i32(4)], "\(mode)")
      _ = try call(instance, "copy_64_to_32", .i32(200), .i64(65532), .i32(4))
      XCTAssertEqual(try call(instance, "load32_1", .i32(200)), [.i32(0x0403_0201)], "\(mode)")
      assertOutOfBounds(try call(instance, "copy_32_to_64", .i64(65533), .i32(100), .i32(4)), "\(mode)")
      assertOutOfBounds(try call(instance, "copy_64_to_32", .i32(0), .i64(UInt64.max), .i32(1)), "\(mode)")
      _ = try call(instance, "fill64", .i64(10), .i32(0x5A), .i64(3))
      XCTAssertEqual(try call(instance, "load8_64", .i64(12)), [.i32(0x5A)], "\(mode)")
      assertOutOfBounds(try call(instance, "fill64", .i64(65535), .i32(0), .i64(UInt64.max)), "\(mode)")
      _ = try call(instance, "init64", .i64(1000), .i32(1), .i32(4))
      XCTAssertEqual(try call(instance, "load8_64", .i64(1000)), [.i32(UInt32(UInt8(ascii: "e")))], "\(mode)")
    }
  }

  func testFiveMemoriesKeepTheirOwnBytes() throws {
    try withInstance { mode, instance in
      _ = try call(instance, "store_each", .i32(64))
      XCTAssertEqual(try call(instance, "sum_each", .i32(64)), [.i32(60)], "\(mode)")
      XCTAssertEqual(try call(instance, "load32_1", .i32(64)), [.i32(0)], "\(mode): memory 1 untouched")
      XCTAssertEqual(try call(instance, "load8_64", .i64(64)), [.i32(0)], "\(mode): memory 0 untouched")
    }
  }

  func testSIMDOnA64BitMemory() throws {
    try withInstance { mode, instance in
      _ = try call(instance, "store8_64", .i64(3), .i32(0x77))
      _ = try call(instance, "v128_roundtrip_64", .i64(0), .i64(65536 - 16))
      XCTAssertEqual(try call(instance, "load8_64", .i64(65536 - 13)), [.i32(0x77)], "\(mode)")
      assertOutOfBounds(try call(instance, "v128_roundtrip_64", .i64(0), .i64(65536 - 15)), "\(mode)")
      XCTAssertEqual(try call(instance, "v128_lane_64", .i64(0)), [.i32(0x77)], "\(mode)")
      assertOutOfBounds(try call(instance, "v128_lane_64", .i64(65533)), "\(mode)")
    }
  }

  func testA64BitMemoryGrowsPast4GiB() throws {
    try withInstance { mode, instance in
      let pages: UInt64 = 65536 + 64
      XCTAssertEqual(try call(instance, "grow64", .i64(pages - 1)), [.i64(1)], "\(mode)")
      XCTAssertEqual(try call(instance, "size64"), [.i64(pages)], "\(mode)")
      let last = pages * 65536 - 1
      _ = try call(instance, "store8_64", .i64(last), .i32(9))
      XCTAssertEqual(try call(instance, "load8_64", .i64(last)), [.i32(9)], "\(mode)")
      assertOutOfBounds(try call(instance, "load8_64", .i64(last + 1)), "\(mode)")
      guard case .memory(let memory) = instance.export("m64") else { return XCTFail("no memory export") }
      XCTAssertEqual(memory.byteCount, Int(pages * 65536))
      XCTAssertEqual(memory.type.addressType, .i64)
      // The declared maximum (70,000 pages) still holds.
      XCTAssertEqual(try call(instance, "grow64", .i64(70_000)), [.i64(UInt64.max)], "\(mode)")
    }
  }

  func testTheStoreCapsA64BitMemory() throws {
    try withInstance(limits: StoreLimits(maxMemoryPages: 100)) { mode, instance in
      XCTAssertEqual(try call(instance, "grow64", .i64(99)), [.i64(1)], "\(mode)")
      XCTAssertEqual(try call(instance, "grow64", .i64(1)), [.i64(UInt64.max)], "\(mode): past the store's cap")
      XCTAssertEqual(try call(instance, "grow32", .i32(2)), [.i32(0xFFFF_FFFF)], "\(mode): past the declared maximum")
      XCTAssertEqual(try call(instance, "grow32", .i32(1)), [.i32(1)], "\(mode)")
      XCTAssertEqual(try call(instance, "size32"), [.i32(2)], "\(mode)")
    }
  }

  /// A 64-bit memory that outgrows its address-space reservation moves to a larger one, its bytes with it.
  func testA64BitMemoryMovesWhenItOutgrowsItsReservation() throws {
    let saved = LinearMemory.memory64Reservation
    LinearMemory.memory64Reservation = 4 << 20
    defer { LinearMemory.memory64Reservation = saved }
    try withInstance { mode, instance in
      _ = try call(instance, "store8_64", .i64(1234), .i32(42))
      XCTAssertEqual(try call(instance, "grow64", .i64(200)), [.i64(1)], "\(mode): 12.6 MiB, past 4 MiB")
      XCTAssertEqual(try call(instance, "load8_64", .i64(1234)), [.i32(42)], "\(mode): the bytes moved along")
      _ = try call(instance, "store8_64", .i64(201 * 65536 - 1), .i32(5))
      XCTAssertEqual(try call(instance, "load8_64", .i64(201 * 65536 - 1)), [.i32(5)], "\(mode)")
    }
  }

  /// A host function reaches each of its caller's memories by index, and the calling instance and its exports.
  func testAHostFunctionReadsItsCallersSecondMemory() throws {
    let store = Store()
    var imports = Imports()
    var callers: [Instance?] = []
    imports.define(module: "host", name: "peek", .function(store.hostFunction { (caller: Caller, address: UInt32) -> UInt32 in
      XCTAssertNil(caller.memory(at: 2))
      XCTAssertEqual(caller.memory?.read(at: Int(address), count: 1), [0], "memory 0 holds nothing there")
      callers.append(caller.instance)
      guard case .memory(let second) = caller.export("second") else { return 0 }
      XCTAssertEqual(second.read(at: Int(address), count: 1), caller.memory(at: 1)?.read(at: Int(address), count: 1))
      return UInt32(caller.memory(at: 1)?.read(at: Int(address), count: 1)?.first ?? 0)
    }))
    let instance = try store.instantiate(try loadTestModule("caller-memories"), imports: imports)
    XCTAssertEqual(try call(instance, "run"), [.i32(42)])
    XCTAssertTrue(callers.count == 1 && callers[0] === instance)
  }

  func testA64BitTable() throws {
    try withInstance { mode, instance in
      XCTAssertEqual(try call(instance, "call64", .i64(1)), [.i32(7)], "\(mode)")
      XCTAssertThrowsError(try call(instance, "call64", .i64(1 << 32 | 1)), "\(mode): not wrapped to 1") {
        XCTAssertEqual(($0 as? Trap)?.code, .undefinedElement)
      }
      XCTAssertEqual(try call(instance, "table_grow64", .i64(2)), [.i64(UInt64.max)], "\(mode): past the maximum")
      XCTAssertEqual(try call(instance, "table_grow64", .i64(1)), [.i64(2)], "\(mode)")
      XCTAssertEqual(try call(instance, "table_size64"), [.i64(3)], "\(mode)")
    }
  }
}

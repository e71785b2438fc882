import SwasmBytecode
import SwasmCache
import WasmBinary
import XCTest

/// Code of an entry written for fuel metering must keep its fuel checks: every cycle passes one, and the entry is
/// one (FuelVerification.swift). A forged loop without one would run forever under a fuel limit.
final class FuelVerificationTests: XCTestCase {
  /// Verifies `build`'s code as the sample module's `counter` (() -> i32, 4 slots), for fuel metering.
  func verify(_ build: (inout CodeBuilder) -> Void) throws {
    var b = CodeBuilder()
    build(&b)
    let verifier = BytecodeVerifier(module: try Module(bytes: try sampleModuleBytes()), fuelMetered: true)
    try b.code.withUnsafeBufferPointer { try verifier.verify(code: $0, frameSize: 4, definedFunction: 4) }
  }

  func testEveryCyclePassesAFuelCheck() throws {
    // fuel; loop: fuel; const32; br loop (to the fuel check)
    try verify { b in
      b.emitU(.fuel, 1)
      b.emitU(.fuel, 2)
      b.emitRU(.const32, 0, 0)
      b.emitO(.br, -4)
    }
    // The loop's branch lands after its fuel check: a cycle without one.
    XCTAssertThrowsError(try verify { b in
      b.emitU(.fuel, 1)
      b.emitRU(.const32, 0, 0)
      b.emitO(.br, 0)
    }) { XCTAssertTrue("\($0)".contains("a loop without a fuel check"), "\($0)") }
    // No fuel check at the entry (a tail call back to the function would loop without one).
    XCTAssertThrowsError(try verify { b in
      b.emitRU(.const32, 0, 0)
      b.emitNone(.ret)
    }) { XCTAssertTrue("\($0)".contains("entry has no fuel check"), "\($0)") }
    // Without fuel metering, neither is asked for.
    var b = CodeBuilder()
    b.emitRU(.const32, 0, 0)
    b.emitO(.br, 0)
    let plain = BytecodeVerifier(module: try Module(bytes: try sampleModuleBytes()))
    XCTAssertNoThrow(try b.code.withUnsafeBufferPointer { try plain.verify(code: $0, frameSize: 4, definedFunction: 4) })
  }
}

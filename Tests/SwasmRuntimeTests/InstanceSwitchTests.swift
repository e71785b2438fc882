import SwasmRuntime
import WasmBinary
import XCTest

/// The execution state keeps the current instance's defined functions and tables (what `call` and
/// `call_indirect` read, one load from the state): each call into another instance, each return from it and each
/// run from a host function must switch them with the instance (modules/instances-lib.wat, instances-app.wat: both
/// have their own functions at the same defined indices and their own table, with other values).
final class InstanceSwitchTests: XCTestCase {
  func testCallsAndTablesFollowTheInstance() throws {
    for mode in [DispatchMode.threaded, .switchLoop] {
      let store = Store(dispatch: mode)
      let lib = try store.instantiate(try loadTestModule("instances-lib"), imports: Imports())
      let libCall = try XCTUnwrap(lib.function("lib_call"))
      var imports = Imports()
      imports.define(module: "lib", exportsOf: lib)
      imports.define(module: "host", name: "callback", .function(store.hostFunction(
        type: FuncType(params: [.i32], results: [.i32])) { try libCall.invoke($0) }))
      let app = try store.instantiate(try loadTestModule("instances-app"), imports: imports)
      for (i, libTable, appTable) in [(0, 1, 10), (1, 2, 20)] {
        let expected = Value.i32(UInt32(100 + libTable + 1000 + appTable))
        XCTAssertEqual(try libCall.invoke([.i32(UInt32(i))]), [.i32(UInt32(100 + libTable))], "\(mode)")
        XCTAssertEqual(try app.function("direct")!.invoke([.i32(UInt32(i))]), [expected], "\(mode) direct \(i)")
        XCTAssertEqual(try app.function("through_host")!.invoke([.i32(UInt32(i))]), [expected], "\(mode) host \(i)")
      }
      // After a trap in the other instance, the next run starts from the right state too.
      XCTAssertThrowsError(try app.function("direct")!.invoke([.i32(5)]))
      XCTAssertEqual(try app.function("direct")!.invoke([.i32(1)]), [.i32(1122)], "\(mode) after a trap")
    }
  }
}

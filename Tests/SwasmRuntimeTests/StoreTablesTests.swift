@testable import SwasmRuntime
import WasmBinary
import XCTest

/// The store's and imports' own tables (sorted arrays and buckets, not dictionaries).
final class StoreTablesTests: XCTestCase {
  let store = Store()

  /// An immutable i32 global of the store holding `v`, as an import value.
  func global(_ v: UInt32) -> ExternalValue {
    .global(try! store.createGlobal(type: GlobalType(valueType: .i32, mutable: false), value: .i32(v)))
  }

  /// The value of an import that is such a global.
  func value(_ e: ExternalValue?) -> Value? {
    guard case .global(let g)? = e else { return nil }
    return g.value
  }

  func testTypeIDsStayDistinctAsTheTableGrows() {
    let kinds: [ValueType] = [.i32, .i64, .f32, .f64]
    // 4^5 + 4^4 distinct types: enough to grow the table several times.
    var types: [FuncType] = []
    for n in 0..<1280 {
      var params: [ValueType] = [], v = n
      for _ in 0..<(n < 1024 ? 5 : 4) { params.append(kinds[v % 4]); v /= 4 }
      types.append(FuncType(params: params, results: n % 2 == 0 ? [] : [.i32]))
    }
    let ids = types.map(store.typeID)
    XCTAssertEqual(Set(ids).count, types.count)
    XCTAssertEqual(types.map(store.typeID), ids, "the same type, the same id")
    XCTAssertEqual(ids, Array(1...types.count), "ids in order of first use")
    XCTAssertEqual(types.indices.map { store.types.functionType(ids[$0]) }, types)
  }

  func testExportsOfAnInstanceJoinTheImportsSorted() throws {
    var imports = Imports()
    imports.define(module: "lib", name: "m", global(1))
    imports.define(module: "env", name: "x", global(2))
    let names = (0..<100).map { "e\(99 - $0)" } + ["m"]
    let instance = Instance(store: store, exports: names.enumerated().map { ($0.element, global(UInt32(100 + $0.offset))) })
    imports.define(module: "lib", exportsOf: instance)
    for (i, name) in names.enumerated() { XCTAssertEqual(value(imports.lookup(module: "lib", name: name)), .i32(UInt32(100 + i)), name) }
    XCTAssertEqual(value(imports.lookup(module: "env", name: "x")), .i32(2))
    XCTAssertEqual(imports.entries.count, 102, "the instance's m replaced the earlier one")
    let keys = imports.entries.map { ($0.module, $0.name) }
    XCTAssertEqual(keys.map { $0.0 + [0] + $0.1 }, keys.map { $0.0 + [0] + $0.1 }.sorted { $0.lexicographicallyPrecedes($1) })
  }

  func testDefineLookupAndReplace() throws {
    var imports = Imports()
    let names = ["z", "a", "m", "", "ab", "aa"]
    for (i, name) in names.enumerated() {
      imports.define(module: "env", name: name, global(UInt32(i)))
      imports.define(module: "b", name: name, global(UInt32(100 + i)))
    }
    for (i, name) in names.enumerated() {
      XCTAssertEqual(value(imports.lookup(module: "env", name: name)), .i32(UInt32(i)), name)
      XCTAssertEqual(value(imports.lookup(module: "b", name: name)), .i32(UInt32(100 + i)), name)
    }
    XCTAssertNil(imports.lookup(module: "env", name: "missing"))
    XCTAssertNil(imports.lookup(module: "c", name: "a"))
    imports.define(module: "env", name: "m", global(7))  // a later definition replaces the earlier
    XCTAssertEqual(value(imports.lookup(module: "env", name: "m")), .i32(7))
    // Names are bytes: canonically equivalent spellings are different names.
    imports.define(module: "env", name: "\u{E9}", global(1))
    XCTAssertNil(imports.lookup(module: "env", name: "e\u{301}"))
  }
}

import Foundation
import Swasm
import SwasmWASI
import XCTest

/// WASI's functions bound into a store: all of them, or only those the modules import.
final class WASIBindingTests: XCTestCase {
  static let module = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("modules/wasi-hello.wasm")

  func definedNames(_ imports: Imports, among names: [String]) -> [String] {
    names.filter { imports.lookup(module: WASI.moduleName, name: $0) != nil }
  }

  func testOnlyTheImportedFunctionsAreDefinedAndTheyWork() throws {
    let engine = Engine()
    let module = try engine.loadModule(contentsOf: Self.module)
    let store = engine.makeStore()
    var ends: [Int32] = [0, 0]
    XCTAssertEqual(pipe(&ends), 0)
    defer { close(ends[0]) }
    let wasi = try WASI(arguments: ["hello"], environment: [], preopens: [], stdout: ends[1])
    var imports = Imports()
    wasi.define(in: &imports, store: store, importedBy: [module.module])
    let candidates = ["args_get", "fd_write", "fd_read", "proc_exit", "path_open", "random_get"]
    XCTAssertEqual(definedNames(imports, among: candidates), ["fd_write", "proc_exit"])

    let instance = try store.instantiate(module, imports: imports)
    XCTAssertThrowsError(try instance.function("_start")!.invoke([])) { error in
      XCTAssertEqual((error as? WASIExit)?.code, 7)
    }
    close(ends[1])
    var buffer = [UInt8](repeating: 0, count: 16)
    let count = read(ends[0], &buffer, buffer.count)
    XCTAssertEqual(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self), "hi\n")
  }

  func testWithoutModulesEverythingIsDefinedAndForNoModulesNothing() throws {
    let store = Engine().makeStore()
    let wasi = try WASI(arguments: [], environment: [], preopens: [])
    var all = Imports(), none = Imports()
    wasi.define(in: &all, store: store)
    wasi.define(in: &none, store: store, importedBy: [])
    let names = ["args_get", "fd_write", "fd_read", "proc_exit", "path_open", "random_get", "sock_accept"]
    XCTAssertEqual(definedNames(all, among: names), names)
    XCTAssertEqual(definedNames(none, among: names), [])
  }
}

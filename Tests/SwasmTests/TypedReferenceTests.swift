import Foundation
import Swasm
import SwasmTestSupport
import XCTest

/// Typed function references (modules/typed-references.wat and its library typed-references-other.wat):
/// call_ref, return_call_ref, ref.as_non_null, br_on_null, br_on_non_null, non-nullable locals, tables with
/// initializers, function subtyping across instances, iso-recursive type identity at link time, and references
/// handed in by the embedder. Every check runs with both interpreter loops, with fuel metering and from the
/// translation cache.
final class TypedReferenceTests: XCTestCase {
  static func module(_ name: String) -> URL { EmbeddingTests.modules.appendingPathComponent(name) }

  struct Setup {
    let store: Store
    let instance: Instance
    let other: Instance
  }

  func instantiate(_ engine: Engine) throws -> Setup {
    let store = engine.makeStore()
    var linker = Linker(store: store)
    let other = try linker.instantiate(engine.loadModule(contentsOf: Self.module("typed-references-other.wat")))
    linker.define(instance: other, as: "other")
    let instance = try linker.instantiate(engine.loadModule(contentsOf: Self.module("typed-references.wat")))
    return Setup(store: store, instance: instance, other: other)
  }

  func call(_ instance: Instance, _ name: String, _ args: [Value] = []) throws -> [Value] {
    guard let function = instance.function(name) else { throw EmbeddingError("no function \(name)") }
    return try function.invoke(args)
  }

  func i32(_ instance: Instance, _ name: String, _ args: Value...) throws -> Int32 {
    let results = try call(instance, name, args)
    guard case .i32(let v) = results.first else { throw EmbeddingError("\(name) returned \(results)") }
    return Int32(bitPattern: v)
  }

  func trapCode(_ body: () throws -> Any) -> TrapCode? {
    do {
      _ = try body()
      return nil
    } catch {
      return (error as? Trap)?.code
    }
  }

  func checkEverything(_ setup: Setup) throws {
    let instance = setup.instance, other = setup.other
    // call_ref: of a reference made here, of references from the other instance's table, and of null.
    XCTAssertEqual(try i32(instance, "apply_add", .i32(40), .i32(2)), 42)
    XCTAssertEqual(try i32(instance, "apply_operator", .i32(0), .i32(10), .i32(3)), 13)
    XCTAssertEqual(try i32(instance, "apply_operator", .i32(1), .i32(10), .i32(3)), 7)
    XCTAssertEqual(trapCode { try self.i32(instance, "apply_null") }, .nullFunctionReference)
    XCTAssertEqual(trapCode { try self.i32(instance, "apply_operator", .i32(2), .i32(1), .i32(1)) },
                   .outOfBoundsTableAccess)

    // A reference returned by the guest, handed back to it; the embedder's own reference to a function.
    let subtract = try call(instance, "operator", [.i32(1)])[0]
    XCTAssertEqual(try i32(instance, "apply", subtract, .i32(50), .i32(8)), 42)
    XCTAssertEqual(try i32(instance, "apply", other.function("add")!.reference, .i32(2), .i32(3)), 5)
    XCTAssertEqual(trapCode { try self.i32(instance, "apply", .funcref(nil), .i32(2), .i32(3)) }, .nullFunctionReference)
    // A function of another type where `(ref null $binop)` is expected is refused before the call.
    XCTAssertThrowsError(try i32(instance, "apply", other.function("seven")!.reference, .i32(1), .i32(1))) {
      XCTAssertTrue($0 is EmbeddingError, "\($0)")
    }
    XCTAssertThrowsError(try i32(instance, "apply", .externref(1), .i32(1), .i32(1))) {
      XCTAssertTrue($0 is EmbeddingError, "\($0)")
    }

    // ref.as_non_null, br_on_null, br_on_non_null.
    XCTAssertEqual(try i32(instance, "as_non_null", other.function("add")!.reference), 1)
    XCTAssertEqual(trapCode { try self.i32(instance, "as_non_null", .funcref(nil)) }, .nullReference)
    let seven = try call(instance, "seven_or_eight", [.i32(1)])[0]
    let eight = try call(instance, "seven_or_eight", [.i32(0)])[0]
    XCTAssertEqual(try i32(instance, "on_null", seven), 7)
    XCTAssertEqual(try i32(instance, "on_null", .funcref(nil)), -1)
    XCTAssertEqual(try i32(instance, "on_non_null", eight), 8)
    XCTAssertEqual(try i32(instance, "on_non_null", .funcref(nil)), -1)

    // return_call_ref: a million calls in constant stack.
    XCTAssertEqual(try call(instance, "count", [.i64(1_000_000)]), [.i64(42)])

    // A non-nullable local; a table of non-nullable references filled by its initializer; call_indirect of a
    // function of a subtype through its supertype (the imported $seven is of $derived).
    XCTAssertEqual(try i32(instance, "local_init"), 8)
    XCTAssertEqual(try i32(instance, "from_defaults", .i32(2)), 7)
    _ = try call(instance, "set_default", [.i32(2)])
    XCTAssertEqual(try i32(instance, "from_defaults", .i32(2)), 8)
    XCTAssertEqual(try i32(instance, "indirect_base", .i32(0)), 7)
    XCTAssertEqual(trapCode { try self.i32(instance, "indirect_base", .i32(1)) }, .indirectCallTypeMismatch)
    XCTAssertEqual(try i32(instance, "forty_two"), 42)
    XCTAssertEqual(try i32(instance, "apply_add", .i32(1), .i32(1)), 2, "the store works after traps")
  }

  func testTypedReferencesWithThreadedDispatch() throws { try checkEverything(try instantiate(Engine())) }
  func testTypedReferencesWithTheSwitchLoop() throws {
    try checkEverything(try instantiate(Engine(configuration: EngineConfiguration(dispatch: .switchLoop))))
  }
  func testTypedReferencesWithFuelMetering() throws {
    try checkEverything(try instantiate(Engine(configuration: EngineConfiguration(limits: StoreLimits(meterFuel: true)))))
  }

  /// The second engine loads both modules from the cache: call_ref and return_call_ref verified from there.
  func testTypedReferencesFromTheTranslationCache() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-typed-references-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try instantiate(Engine(configuration: EngineConfiguration(cacheFolder: folder)))
    let engine = Engine(configuration: EngineConfiguration(cacheFolder: folder))
    let bytes = try [UInt8](Data(contentsOf: Self.module("typed-references.wat")))
    XCTAssertEqual(try engine.loadModuleReportingCache(bytes: bytes).cache, .hit)
    try checkEverything(try instantiate(engine))
  }

  /// Imports match by type identity (iso-recursive: the same position in equal recursion groups) and subtyping.
  func testImportsMatchByRecursionGroupAndSubtype() throws {
    let engine = Engine()
    var linker = Linker(store: engine.makeStore())
    let other = try linker.instantiate(engine.loadModule(contentsOf: Self.module("typed-references-other.wat")))
    linker.define(instance: other, as: "other")
    func link(_ text: String) throws {
      _ = try linker.instantiate(engine.loadModule(bytes: Array(text.utf8)))
    }
    // The same group, written again in another module: the same type.
    try link(#"(module (rec (type $a (func)) (type $b (func (param i32)))) (import "other" "in_group" (func (type $a))))"#)
    // A lone (func) is another type than the first of that group, though equal in shape.
    XCTAssertThrowsError(try link(#"(module (type $a (func)) (import "other" "in_group" (func (type $a))))"#)) {
      XCTAssertTrue("\($0)".contains("incompatible import type"), "\($0)")
    }
    // A subtype where the supertype is declared, or the type itself written again; not a sibling (a final subtype
    // of the same base is another type, though equal in shape).
    try link(#"(module (type $base (sub (func (result i32)))) (import "other" "seven" (func (type $base))))"#)
    try link(#"""
      (module (type $base (sub (func (result i32)))) (type $derived (sub $base (func (result i32))))
              (import "other" "seven" (func (type $derived))))
      """#)
    XCTAssertThrowsError(try link(#"""
      (module (type $base (sub (func (result i32)))) (type $sibling (sub final $base (func (result i32))))
              (import "other" "seven" (func (type $sibling))))
      """#)) { XCTAssertTrue("\($0)".contains("incompatible import type"), "\($0)") }
    // A table's element type must be the same type.
    try link(#"(module (type $binop (func (param i32 i32) (result i32))) (import "other" "operators" (table 2 (ref null $binop))))"#)
    XCTAssertThrowsError(try link(#"(module (import "other" "operators" (table 2 funcref)))"#)) {
      XCTAssertTrue("\($0)".contains("incompatible import type"), "\($0)")
    }
  }

  /// Validation of non-nullable locals: set in a block, a local holds a value only to the block's end.
  func testNonNullableLocalsMustBeSetBeforeUse() throws {
    let engine = Engine()
    func load(_ body: String) throws {
      _ = try engine.loadModule(bytes: Array("""
        (module (type $f (func)) (func $g) (elem declare func $g)
          (func (local $r (ref $f)) \(body)))
        """.utf8))
    }
    try load("(local.set $r (ref.func $g)) (call_ref $f (local.get $r))")
    try load("(local.set $r (ref.func $g)) (block (call_ref $f (local.get $r)))")
    XCTAssertThrowsError(try load("(call_ref $f (local.get $r))")) { XCTAssertTrue("\($0)".contains("uninitialized local"), "\($0)") }
    XCTAssertThrowsError(try load("(block (local.set $r (ref.func $g))) (call_ref $f (local.get $r))")) {
      XCTAssertTrue("\($0)".contains("uninitialized local"), "\($0)")
    }
  }
}

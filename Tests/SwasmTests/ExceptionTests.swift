import Foundation
import Swasm
import SwasmTestSupport
import XCTest

/// Exception handling (modules/exceptions.wat): throw, throw_ref, try_table and the legacy try, across instances,
/// host functions and tail calls, exnrefs kept in locals, globals and tables, the embedding API's tags and
/// exceptions, and bounded memory for a guest that throws millions of times. Every check runs with both
/// interpreter loops, with fuel metering and from the translation cache.
final class ExceptionTests: XCTestCase {
  struct Setup {
    let store: Store
    let instance: Instance
    let other: Instance
    let hostTag: Tag
  }

  func instantiate(_ engine: Engine) throws -> Setup {
    let store = engine.makeStore()
    var linker = Linker(store: store)
    let other = try linker.instantiate(
      engine.loadModule(contentsOf: EmbeddingTests.modules.appendingPathComponent("exceptions-other.wasm")))
    linker.define(instance: other, as: "other")
    let hostTag = store.createTag(parameters: [.i64], name: "host.tag")
    linker.define("host", "tag", .tag(hostTag))
    linker.define("host", "throw") { (_: Caller, x: Int64) in
      throw try WasmException(tag: hostTag, payload: [.i64(UInt64(bitPattern: x))])
    }
    var instanceBox: Instance?
    linker.define("host", "call_back") { (_: Caller, x: Int32) in
      // What the guest throws goes through this host function to the guest that called it.
      _ = try instanceBox!.function("throw_local")!.invoke([.i32(UInt32(bitPattern: x))])
    }
    let instance = try linker.instantiate(
      engine.loadModule(contentsOf: EmbeddingTests.modules.appendingPathComponent("exceptions.wasm")))
    instanceBox = instance
    return Setup(store: store, instance: instance, other: other, hostTag: hostTag)
  }

  func tag(_ instance: Instance, _ name: String) throws -> Tag {
    guard case .tag(let tag) = instance.export(name) else { throw EmbeddingError("no tag \(name)") }
    return tag
  }

  func i32(_ instance: Instance, _ name: String, _ args: Int32...) throws -> Int32 {
    let results = try instance.function(name)!.invoke(args.map { .i32(UInt32(bitPattern: $0)) })
    guard case .i32(let v) = results.first else { throw EmbeddingError("\(name) returned \(results)") }
    return Int32(bitPattern: v)
  }

  func checkEverything(_ setup: Setup) throws {
    let instance = setup.instance
    let local = try tag(instance, "local"), pair = try tag(instance, "pair"), e = try tag(setup.other, "e")

    // Across instances: the imported tag is the other module's; a tag of the same type is not.
    XCTAssertEqual(try i32(instance, "catch_other", 5), 6)
    XCTAssertThrowsError(try i32(instance, "other_passes_local_handler", 5)) { error in
      guard let exception = error as? WasmException else { return XCTFail("\(error)") }
      XCTAssertEqual(exception.tag, e)
      XCTAssertNotEqual(exception.tag, local)
      XCTAssertEqual(exception.payload, [.i32(5)])
    }

    // Host functions: one throws the host's tag, the guest catches it; a guest called back by the host throws
    // through the host function to the guest that called it.
    XCTAssertEqual(try instance.function("catch_host")!.invoke([.i64(9)]), [.i64(9)])
    XCTAssertEqual(try i32(instance, "through_host", 8), 8)
    XCTAssertThrowsError(try i32(instance, "throw_local", 5)) { error in
      guard let exception = error as? WasmException else { return XCTFail("\(error)") }
      XCTAssertEqual(exception.tag, local)
      XCTAssertEqual(exception.tag.name, "local")
      XCTAssertEqual(exception.payload, [.i32(5)])
      XCTAssertEqual(exception.backtrace.first, "throw_local")
    }

    // exnrefs kept in a global, a table and a local (while other exceptions come and go), then thrown again.
    _ = try instance.function("keep")!.invoke([.i64(3), .f64((2.5).bitPattern)])
    guard case .global(let kept) = instance.export("kept"), case .exnref(let keptException?) = kept.value else {
      return XCTFail("no exception kept")
    }
    XCTAssertEqual(keptException.tag, pair)
    XCTAssertEqual(keptException.payload, [.i64(3), .f64((2.5).bitPattern)])
    _ = try i32(instance, "throw_loop", 5_000)
    XCTAssertEqual(try instance.function("rethrow_kept")!.invoke([]), [.i64(3), .f64((2.5).bitPattern)])
    _ = try instance.function("keep_in_table")!.invoke([.i32(2), .i32(77)])
    _ = try i32(instance, "throw_loop", 5_000)
    XCTAssertEqual(try i32(instance, "rethrow_from_table", 2), 77)
    XCTAssertThrowsError(try i32(instance, "rethrow_from_table", 1)) {
      XCTAssertEqual(($0 as? Trap)?.code, .nullExceptionReference)
    }
    XCTAssertEqual(try i32(instance, "keep_in_local", 5, 100_000), 5)
    XCTAssertThrowsError(try instance.function("throw_null")!.invoke([])) {
      XCTAssertEqual(($0 as? Trap)?.code, .nullExceptionReference)
    }

    // Handlers: the first that matches, to the function's label, with a v128 in the payload, keeping the values
    // below the handler's block; a trap is not an exception.
    XCTAssertEqual(try i32(instance, "first_match", 1), 10)
    XCTAssertEqual(try i32(instance, "first_match", 0), 99)
    XCTAssertEqual(try i32(instance, "catch_to_return", 4), 4)
    XCTAssertEqual(try i32(instance, "vector_payload", 6), 9)
    XCTAssertEqual(try i32(instance, "stack_kept", 5), 1005)
    XCTAssertThrowsError(try i32(instance, "trap_not_caught")) {
      XCTAssertEqual(($0 as? Trap)?.code, .integerDivideByZero)
    }
    XCTAssertEqual(try i32(instance, "catch_deep", 10), 7)
    XCTAssertEqual(try i32(instance, "catch_deep", 500), 7)

    // Tail calls: the exception of a tail-called callee reaches its caller's caller; a tail call leaves the
    // handlers of the frame it replaces.
    XCTAssertEqual(try i32(instance, "catch_through_tail_call", 3), 3)
    XCTAssertEqual(try i32(instance, "tail_call_leaves_handler", 3), 10_003)

    // Legacy instructions, alone and mixed with try_table.
    XCTAssertEqual(try i32(instance, "legacy_rethrow", 5), 105)
    XCTAssertEqual(try i32(instance, "legacy_delegate", 5), 1005)
    XCTAssertEqual(try i32(instance, "legacy_mixed", 5), 42)

    XCTAssertEqual(try i32(instance, "rethrow_loop", 1_000), 2_000)
    XCTAssertEqual(try i32(instance, "catch_other", 1), 2, "the store works after uncaught exceptions and traps")
  }

  func testExceptionsWithThreadedDispatch() throws { try checkEverything(try instantiate(Engine())) }
  func testExceptionsWithTheSwitchLoop() throws {
    try checkEverything(try instantiate(Engine(configuration: EngineConfiguration(dispatch: .switchLoop))))
  }
  func testExceptionsWithFuelMetering() throws {
    try checkEverything(try instantiate(Engine(configuration: EngineConfiguration(limits: StoreLimits(meterFuel: true)))))
  }

  /// The second engine loads both modules from the cache: handler tables are verified and installed from there.
  func testExceptionsFromTheTranslationCache() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-exceptions-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try instantiate(Engine(configuration: EngineConfiguration(cacheFolder: folder)))
    let engine = Engine(configuration: EngineConfiguration(cacheFolder: folder))
    let bytes = try [UInt8](Data(contentsOf: EmbeddingTests.modules.appendingPathComponent("exceptions.wasm")))
    XCTAssertEqual(try engine.loadModuleReportingCache(bytes: bytes).cache, .hit)
    try checkEverything(try instantiate(engine))
  }

  /// Ten million exceptions thrown and caught: the objects nothing refers to are collected as the guest runs.
  func testTenMillionThrowsRunInBoundedMemory() throws {
    let setup = try instantiate(Engine())
    XCTAssertEqual(try i32(setup.instance, "throw_loop", 10_000_000), 10_000_000)
    XCTAssertLessThanOrEqual(setup.store.exceptionObjectCount, 2_048)
  }

  /// The host makes, throws, passes and catches exceptions: an exnref handed in comes back as the same exception.
  func testExceptionsOfTheEmbedder() throws {
    let setup = try instantiate(Engine())
    let mine = try WasmException(tag: setup.hostTag, payload: [.i64(41)])
    XCTAssertThrowsError(try setup.instance.function("pass_through")!.invoke([.exnref(mine)])) {
      XCTAssertEqual($0 as? WasmException, mine)
    }
    XCTAssertEqual(try setup.instance.function("catch_and_return")!.invoke([.exnref(mine)]), [.exnref(mine)])
    XCTAssertThrowsError(try WasmException(tag: setup.hostTag, payload: [.i32(1)]), "payload of the wrong type")
    // A tag of another store does not link.
    let engine = Engine()
    var linker = Linker(store: engine.makeStore())
    linker.define("host", "tag", .tag(setup.hostTag))
    linker.define("host", "throw") { (_: Caller, _: Int64) in }
    linker.define("host", "call_back") { (_: Caller, _: Int32) in }
    linker.define(instance: setup.other, as: "other")
    XCTAssertThrowsError(try linker.instantiate(
      engine.loadModule(contentsOf: EmbeddingTests.modules.appendingPathComponent("exceptions.wasm")))) {
      XCTAssertTrue($0 is LinkError, "\($0)")
    }
  }
}

import Foundation
import Swasm
import SwasmWASI
import XCTest

/// WASI for embedders: bound through a `Linker`, run with `WASI.start`, standard streams in memory.
final class WASIEmbeddingTests: XCTestCase {
  static let cat = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("modules/wasi-cat.wasm")

  /// 1.5 MB through standard input and output, all in memory: nothing blocks on a pipe nobody reads.
  func testStandardStreamsInMemoryThroughALinker() throws {
    let engine = Engine()
    let input = (0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }
    let output = WASIOutputBuffer()
    var errorText = ""
    let wasi = try WASI(arguments: ["cat"], standardInput: .bytes(input), standardOutput: .buffer(output),
                        standardError: .closure { errorText += String(decoding: $0, as: UTF8.self) })
    var linker = Linker(store: engine.makeStore())
    wasi.define(in: &linker)
    let instance = try linker.instantiate(try engine.loadModule(contentsOf: Self.cat))
    XCTAssertEqual(try wasi.start(instance), 3, "proc_exit's status")
    XCTAssertEqual(output.bytes.count, input.count)
    XCTAssertTrue(output.bytes == input)
    XCTAssertEqual(errorText, "done\n")
  }

  func testAnEmptyInputAndAClosureForOutput() throws {
    let engine = Engine()
    var chunks = 0
    let wasi = try WASI(arguments: ["cat"], standardInput: .bytes([]), standardOutput: .closure { _ in chunks += 1 },
                        standardError: .buffer(WASIOutputBuffer()))
    var linker = Linker(store: engine.makeStore())
    wasi.define(in: &linker)
    XCTAssertEqual(try wasi.start(try linker.instantiate(try engine.loadModule(contentsOf: Self.cat))), 3)
    XCTAssertEqual(chunks, 0)
  }

  func testStartNeedsACommand() throws {
    let engine = Engine()
    let wasi = try WASI(arguments: [], standardInput: .bytes([]), standardOutput: .buffer(WASIOutputBuffer()),
                        standardError: .buffer(WASIOutputBuffer()))
    let store = engine.makeStore()
    let module = try engine.loadModule(bytes: [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0])
    XCTAssertThrowsError(try wasi.start(try store.instantiate(module))) {
      XCTAssertTrue("\($0)".contains("no _start export"), "\($0)")
    }
  }
}

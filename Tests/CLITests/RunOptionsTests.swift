@testable import swasm
import XCTest

/// `swasm run`'s quick parser against ArgumentParser's reading of the same command lines.
final class RunOptionsTests: XCTestCase {
  /// Command lines the quick parser takes itself.
  let common: [[String]] = [
    ["app.wasm"],
    ["app.wasm", "a", "-b", "--c", "--", "--verbose", "--invoke", "x"],
    ["--invoke", "fib", "examples/fib.wasm", "30"],
    ["--invoke=fib", "--dispatch=switch", "m.wasm", "-5", "3"],
    ["--dispatch", "threaded", "--cache", "--verbose", "m.wasm"],
    ["--dir", "/tmp", "--dir", "/a::/b", "--env", "A=1", "--env=B=2", "--inherit-env", "p.wasm", "x"],
    ["--cache-dir", "/tmp/c", "--preload", "lib=l.wasm", "--preload=m=m.wasm", "--tcplisten", "127.0.0.1:0", "p.wasm"],
    ["--verbose", "--", "app.wasm", "--verbose"],
    ["--", "-odd-name.wasm"],
    ["--invoke=", "m.wasm"],  // the export named ""
    ["--invoke=\u{301}x", "m.wasm"],  // a name starting with a combining mark
    ["--invoke=-dash", "m.wasm"],
    ["--entry", "run", "--preload", "host=h.wasm", "python.wasm", "-c", "pass"],
    ["--fuel", "100", "--timeout=2s", "--max-memory", "1M", "--max-wasm-stack=64K", "--argv0", "app", "m.wasm"],
  ]
  /// Command lines it leaves to ArgumentParser (help, errors, forms it does not read).
  let others: [[String]] = [
    [], ["--help"], ["-h"], ["--version"], ["--bogus", "m.wasm"], ["--invoke"], ["--invoke", "f"],
    ["--dispatch", "fast", "m.wasm"], ["--invoke", "a", "--invoke", "b", "m.wasm"], ["--verbose=yes", "m.wasm"],
    ["--cache", "--cache", "m.wasm"], ["--entry"], ["--entry", "a", "--entry=b", "m.wasm"], ["--env", "-x", "m.wasm"], ["-", "m.wasm"], ["--"],
    ["app.wasm", "---x"], ["app.wasm", "-=1"], ["app.wasm", "--generate-completion-script", "bash"],
    ["app.wasm", "--generate-completion-script=zsh"], ["app.wasm", "--experimental-dump-help"],
    ["-W", "fuel=10", "m.wasm"], ["-S", "inherit-env", "m.wasm"], ["--fuel", "1", "--fuel", "2", "m.wasm"],
  ]

  func testQuickParserAgreesWithArgumentParser() throws {
    for arguments in common {
      let quick = try XCTUnwrap(try RunOptions(quickParsing: arguments), "\(arguments) should be parsed quickly")
      // (ArgumentParser reads these two differently: the next argument as --invoke's value, an unknown option.)
      if arguments.first == "--invoke=" || arguments.first == "--invoke=\u{301}x" { continue }
      XCTAssertEqual(quick, try Run.parse(arguments).options, "\(arguments)")
    }
    for arguments in others {
      XCTAssertNil(try RunOptions(quickParsing: arguments), "\(arguments) should go to ArgumentParser")
    }
    XCTAssertEqual(try RunOptions(quickParsing: ["--invoke=", "m.wasm"])?.invoke, "")
    XCTAssertEqual(try RunOptions(quickParsing: ["--invoke=\u{301}x", "m.wasm"])?.invoke, "\u{301}x")
    // An empty `=` value anywhere else is an error, not the next argument taken as the value.
    XCTAssertThrowsError(try RunOptions(quickParsing: ["--dir=", "m.wasm"]))
  }

  /// wasmtime's `-W` and `-S` spellings come to the same settings as swasm's own options.
  func testWasmtimeSpellingsMeanTheSame() throws {
    func settings(_ arguments: [String]) throws -> RunSettings { try RunSettings(try Run.parse(arguments).options) }
    let own = try settings(["--fuel", "1_000", "--timeout", "1m30s", "--max-memory", "64MiB", "--max-wasm-stack", "512K", "m.wasm"])
    let theirs = try settings(["-W", "fuel=1000,timeout=90s", "-W", "max-memory-size=67108864", "-W", "max-wasm-stack=524288", "m.wasm"])
    XCTAssertEqual(own.fuel, 1000)
    XCTAssertEqual(own.timeout, .seconds(90))
    for s in [own, theirs] {
      XCTAssertEqual(s.limits.maxMemoryPages, 1024)
      XCTAssertEqual(s.limits.stackSlots, 65536)
      XCTAssertTrue(s.limits.meterFuel)
    }
    XCTAssertEqual(own.fuel, theirs.fuel)
    XCTAssertEqual(own.timeout, theirs.timeout)
    let features = try settings(["-W", "simd=n,memory64=no,tail-call", "-W", "gc=n", "m.wasm"]).features
    XCTAssertFalse(features.contains(.simd))
    XCTAssertFalse(features.contains(.memory64))
    XCTAssertTrue(features.contains(.tailCall))
    let wasi = try settings(["-S", "inherit-env,tcplisten=127.0.0.1:0", "m.wasm"])
    XCTAssertTrue(wasi.inheritEnv)
    XCTAssertEqual(wasi.tcplisten, ["127.0.0.1:0"])
    XCTAssertFalse(try settings(["m.wasm"]).limits.meterFuel, "no limit, no fuel checks")
    for bad in [["-W", "gc=y"], ["-W", "fuel"], ["-W", "fuel=-1"], ["-W", "nonsense=1"], ["-W", ",simd"], ["-S", "inherit-env=perhaps"],
                ["--timeout", "0s"], ["--timeout", "3 days"], ["--max-memory", "12Q"], ["--max-memory", "99999999999999999999"]] {
      XCTAssertThrowsError(try settings(bad + ["m.wasm"]), "\(bad)")
    }
    XCTAssertEqual(try RunSettings.duration("250ms", option: "t"), .milliseconds(250))
    XCTAssertEqual(try RunSettings.duration("2", option: "t"), .seconds(2))
    XCTAssertEqual(try RunSettings.size("4G", option: "m"), 4 << 30)
  }
}

/// How a trap's backtrace is printed.
final class BacktraceLinesTests: XCTestCase {
  func testShortBacktracesAreUnchanged() {
    XCTAssertEqual(backtraceLines(["inner", "outer"]), ["at inner", "at outer"])
  }

  func testRecursionIsCounted() {
    XCTAssertEqual(backtraceLines(Array(repeating: "fib", count: 50_000) + ["main"]),
                   ["at fib", "[the frame above repeated 49999 more times]", "at main"])
    XCTAssertEqual(backtraceLines(["f", "f", "g"]), ["at f", "[the frame above repeated 1 more time]", "at g"])
  }

  func testDeepStacksShowBothEnds() {
    let frames = (0..<1000).map { $0 % 2 == 0 ? "even" : "odd" } + ["main"]
    let lines = backtraceLines(frames, head: 4, tail: 2)
    XCTAssertEqual(lines, ["at even", "at odd", "at even", "at odd", "... 995 more frames ...", "at odd", "at main"])
    // A repeated frame at the cut keeps its count with it.
    let cut = backtraceLines((0..<50).map { $0 % 2 == 0 ? "a" : "b" } + ["f", "f", "g", "main"], head: 2, tail: 3)
    XCTAssertEqual(cut, ["at a", "at b", "... 48 more frames ...", "at f", "[the frame above repeated 1 more time]",
                         "at g", "at main"])
  }
}

/// --invoke's float results as wasmtime prints them (Rust's Display: all digits, no exponent, no ".0").
final class FloatTextTests: XCTestCase {
  func testFloatsPrintAsWasmtimePrintsThem() {
    let doubles: [(Double, String)] = [
      (3, "3"), (1.5, "1.5"), (0.1, "0.1"), (-0.0, "-0"), (1e21, "1000000000000000000000"), (1.5e-7, "0.00000015"),
      (123456.789, "123456.789"), (-2.5e-3, "-0.0025"), (.nan, "NaN"), (.infinity, "inf"), (-.infinity, "-inf"),
      (5e-324, "0." + String(repeating: "0", count: 323) + "5"),
    ]
    for (value, text) in doubles { XCTAssertEqual(wasmtimeFloatText(value), text, "\(value)") }
    let floats: [(Float, String)] = [(123456.789, "123456.79"), (0.1, "0.1"), (1e21, "1000000000000000000000"), (3, "3")]
    for (value, text) in floats { XCTAssertEqual(wasmtimeFloatText(value), text, "\(value)") }
  }
}


import Foundation
import SwasmTestSupport
import XCTest

/// Runs the real `swasm` binary the way a user does and checks output and exit status.
final class CLITests: XCTestCase {
  func swasm(_ args: String...) throws -> ProcessResult { try runSwasm(args) }
  func swasm(_ args: [String]) throws -> ProcessResult { try runSwasm(args) }

  let trapModule = "Tests/CLITests/modules/trap.wasm"

  /// Each command-line limit stops the guest with a trap (exit 134) whose message names the limit.
  func testLimitsStopTheGuestAndSayWhich() throws {
    let spin = "Tests/CLITests/modules/limits.wasm"
    for (args, message) in [(["--fuel", "1000"], "all fuel consumed (--fuel 1000)"),
                            (["-W", "fuel=500"], "all fuel consumed (--fuel 500)"),
                            (["--timeout", "200ms"], "interrupted (--timeout 200ms expired)"),
                            (["-W", "timeout=100ms"], "interrupted (--timeout 100ms expired)")] {
      let r = try swasm(["run"] + args + ["--invoke", "spin", spin])
      XCTAssertEqual(r.status, 134, "\(args): \(r.stderr)")
      XCTAssertTrue(r.stderr.hasPrefix("error: trap: \(message)\n  at spin"), "\(args): \(r.stderr)")
    }
    let deep = try swasm("run", "--max-wasm-stack", "64K", "--invoke", "recurse", spin, "0")
    XCTAssertEqual(deep.status, 134)
    XCTAssertTrue(deep.stderr.hasPrefix("error: trap: call stack exhausted (--max-wasm-stack 65536 bytes)"), deep.stderr)
    // A memory cap makes memory.grow fail (-1), as the specification allows, rather than stop the guest.
    XCTAssertEqual(try swasm("run", "--max-memory", "128K", "--invoke", "grow", spin, "1").stdout, "1\n")
    XCTAssertEqual(try swasm("run", "-W", "max-memory-size=131072", "--invoke", "grow", spin, "2").stdout, "-1\n")
    XCTAssertEqual(try swasm("run", "--fuel", "1000000", "--invoke", "grow", spin, "0").stdout, "1\n", "enough fuel")
    for (args, message) in [(["--fuel", "lots"], "--fuel expects a number"), (["--timeout", "5x"], "--timeout expects a duration"),
                            (["-W", "gc=y"], "does not implement the gc proposal"), (["-W", "bogus"], "-W bogus is not an option")] {
      let r = try swasm(["run"] + args + [spin])
      XCTAssertEqual(r.status, 1, "\(args)")
      XCTAssertTrue(r.stderr.hasPrefix("error: ") && r.stderr.contains(message), "\(args): \(r.stderr)")
    }
  }

  /// A bundle compiled with --fuel runs with --fuel, and the mismatch is named as such.
  func testABundleRunsWithTheFuelSettingItWasCompiledWith() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-fuel-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let spin = "Tests/CLITests/modules/limits.wasm"
    let fueled = folder.appendingPathComponent("fuel.swasm").path, plain = folder.appendingPathComponent("plain.swasm").path
    XCTAssertEqual(try swasm("compile", "--fuel", spin, "-o", fueled).status, 0)
    XCTAssertEqual(try swasm("compile", spin, "-o", plain).status, 0)
    let without = try swasm("run", "--invoke", "spin", fueled)
    XCTAssertEqual(without.status, 1)
    XCTAssertTrue(without.stderr.contains("compiled with fuel checks (swasm compile --fuel): run it with --fuel"), without.stderr)
    XCTAssertEqual(try swasm("run", "--fuel", "100", "--invoke", "spin", fueled).status, 134)
    let with = try swasm("run", "--fuel", "100", "--invoke", "spin", plain)
    XCTAssertTrue(with.stderr.contains("compiled without fuel checks: run it without --fuel"), with.stderr)
    // A timeout needs no fuel checks: either bundle stops when it expires.
    let timed = try swasm("run", "--timeout", "100ms", "--invoke", "spin", plain)
    XCTAssertEqual(timed.status, 134)
    XCTAssertTrue(timed.stderr.hasPrefix("error: trap: interrupted (--timeout 100ms expired)"), timed.stderr)
  }

  /// `swasm compile --level N` chooses the zstd level of the code: a higher one writes a file no larger that runs
  /// the same; a level libzstd does not have is a one-line error.
  func testCompileLevel() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-level-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let program = "Tests/CLITests/modules/limits.wasm"
    var sizes: [Int] = []
    for level in ["1", "19"] {
      let bundle = folder.appendingPathComponent("l\(level).swasm").path
      let compile = try swasm("compile", "--level", level, program, "-o", bundle)
      XCTAssertEqual(compile.status, 0, compile.stderr)
      sizes.append(try FileManager.default.attributesOfItem(atPath: bundle)[.size] as? Int ?? 0)
      let run = try swasm("run", bundle)
      XCTAssertEqual(run.status, 0, run.stderr)
    }
    XCTAssertLessThanOrEqual(sizes[1], sizes[0])
    for bad in ["0", "23"] {
      let r = try swasm("compile", "--level", bad, program, "-o", folder.appendingPathComponent("bad.swasm").path)
      XCTAssertEqual(r.status, 1, bad)
      XCTAssertTrue(r.stderr.contains("--level must be between 1 and 22"), r.stderr)
    }
  }

  /// wasmtime's --env NAME (this process's value), --argv0 and -S inherit-env.
  func testEnvironmentAndArgv0() throws {
    let program = "Tests/CLITests/modules/args-env.wasm"
    setenv("SWASM_TEST_VALUE", "from the host", 1)
    defer { unsetenv("SWASM_TEST_VALUE") }
    let r = try swasm("run", "--argv0", "prog", "--env", "SWASM_TEST_VALUE", "--env", "SWASM_TEST_UNSET", "--env", "A=1",
                      program, "x")
    XCTAssertEqual(r.stdout, "prog\0x\0SWASM_TEST_VALUE=from the host\0A=1\0")
    XCTAssertTrue(try swasm("run", "-S", "inherit-env", program).stdout.contains("SWASM_TEST_VALUE=from the host\0"))
  }

  /// WASI preview 1 passes 32-bit pointers: a program whose memory 0 is 64-bit is stopped at its first WASI call,
  /// with a message saying why, not run on guessed addresses.
  func testWASIRefusesA64BitMemory() throws {
    let r = try swasm("run", "Tests/CLITests/modules/wasi-memory64.wasm")
    XCTAssertNotEqual(r.status, 0)
    XCTAssertTrue(r.stderr.contains("memory 0 is 64-bit: WASI preview 1 needs a 32-bit memory"), r.stderr)
  }

  func testInvokePrintsResults() throws {
    let fib = try swasm("run", "--invoke", "fib", "examples/fib.wasm", "20")
    XCTAssertEqual(fib.status, 0)
    XCTAssertEqual(fib.stdout, "6765\n")
    let add = try swasm("run", "--invoke", "add64", trapModule, "-5", "3")
    XCTAssertEqual(add.stdout, "-2\n")
    let mul = try swasm("run", "--dispatch", "switch", "--invoke", "mulf", trapModule, "1.5", "2")
    XCTAssertEqual(mul.stdout, "3\n", "as wasmtime prints it")
  }

  /// References print as wasmtime prints them: `<anyref>`, `<null anyref>` (and likewise for the other kinds).
  func testInvokePrintsReferences() throws {
    let gc = "Tests/SwasmTests/modules/gc.wat"
    XCTAssertEqual(try swasm("run", "--invoke", "make_list", gc, "3").stdout, "<anyref>\n")
    XCTAssertEqual(try swasm("run", "--invoke", "make_list", gc, "0").stdout, "<null anyref>\n")
  }

  /// v128 results print as wasmtime prints them (one unsigned 128-bit number, in decimal); arguments are read
  /// in decimal or as 0x-prefixed hex.
  func testInvokeWithVectors() throws {
    let module = "Tests/CLITests/modules/simd.wasm"
    // Lanes 1, 2, 3, 4 plus lane 0 = 5: lanes 6, 2, 3, 4.
    let add = try swasm("run", "--invoke", "add", module, "0x00000004000000030000000200000001", "5")
    XCTAssertEqual(add.stdout, "\(UInt128(4) << 96 | UInt128(3) << 64 | UInt128(2) << 32 | 6)\n", add.stderr)
    XCTAssertEqual(try swasm("run", "--invoke", "splat", module, "7").stdout, "554597137728977571700839284743\n")
    XCTAssertEqual(try swasm("run", "--invoke", "dot", module).stdout, "120\n")
    let bad = try swasm("run", "--invoke", "add", module, "0x1g", "1")
    XCTAssertEqual(bad.status, 1)
    XCTAssertTrue(bad.stderr.contains("cannot read \"0x1g\" as v128"), bad.stderr)
  }

  func testTrapPrintsMessageAndBacktrace() throws {
    let r = try swasm("run", "--invoke", "outer", trapModule, "0")
    XCTAssertEqual(r.status, 134)
    XCTAssertEqual(r.stderr, "error: trap: integer divide by zero\n  at inner\n  at outer\n")
  }

  func testBadInputGivesOneLineErrors() throws {
    let cases: [[String]] = [
      ["run", "no-such-file.wasm"],
      ["run", "README.md"],
      ["run", "--invoke", "fib", "examples/fib.wasm"],
      ["run", "--invoke", "fib", "examples/fib.wasm", "ten"],
      ["run", "--invoke", "nothing", "examples/fib.wasm"],
      ["run", "examples/fib.wasm"],
      ["run", "Tests/CLITests/modules/needs-import.wasm"],
      ["inspect", "README.md"],
    ]
    for args in cases {
      let r = try swasm(args)
      XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
      XCTAssertTrue(r.stderr.hasPrefix("error: "), "\(args): \(r.stderr)")
      XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "\(args): \(r.stderr)")
    }
  }

  /// Every option goes before FILE (after it, arguments are the guest's): the usage line says so.
  func testRunUsageShowsOptionsBeforeTheFile() throws {
    let r = try swasm("run", "--help")
    XCTAssertTrue(r.stdout.contains("USAGE: swasm run [<options>] <file> [<args> ...]"), r.stdout)
  }

  /// `inspect` prints imports and exports in the text format's words.
  func testInspectPrintsTypesInWasmSyntax() throws {
    let r = try swasm("inspect", "Tests/CLITests/modules/reactor-entry.wasm")
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("import wasi_snapshot_preview1.args_sizes_get: (func (param i32 i32) (result i32))\n"), r.stdout)
    XCTAssertTrue(r.stdout.contains("export \"main\": (func 2)\n"), r.stdout)
  }

  /// `inspect` reads bundles too: their fuel setting, each member, what it is wired to, its imports and exports.
  func testInspectReadsBundles() throws {
    let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-inspect-\(getpid()).swasm").path
    defer { try? FileManager.default.removeItem(atPath: bundle) }
    XCTAssertEqual(try swasm("compile", "--fuel", "lib=Tests/CLITests/modules/preload-lib.wasm",
                             "app=Tests/CLITests/modules/preload-app.wasm", "-o", bundle).status, 0)
    let r = try swasm("inspect", bundle)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("a bundle of 2 modules, compiled with fuel checks\n"), r.stdout)
    XCTAssertTrue(r.stdout.contains("member 1 \"app\": 1 functions, imports lib from member 0\n"), r.stdout)
    XCTAssertTrue(r.stdout.contains("  import lib.put: (func (param i32 i32))\n"), r.stdout)
    let memory64 = try swasm("inspect", "Tests/SwasmRuntimeTests/modules/memories.wasm")
    XCTAssertTrue(memory64.stdout.contains("export \"m64\": (memory 0)"), memory64.stdout)
  }

  /// A component is named for what it is, not as a module of an unknown version.
  func testAComponentIsNamedAsSuch() throws {
    let r = try swasm("run", "Tests/CLITests/modules/component.wasm")
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.stderr.contains("WebAssembly component (the component model, WASI 0.2)"), r.stderr)
  }

  func testUnknownOptionIsAUsageError() throws {
    let r = try swasm("run", "--no-such-option", "examples/fib.wasm")
    XCTAssertNotEqual(r.status, 0)
    XCTAssertTrue(r.stderr.contains("Error: Unknown option '--no-such-option'"), r.stderr)
  }

  func testPreloadSharesMemoryBetweenInstances() throws {
    let r = try swasm("run", "--preload", "lib=Tests/CLITests/modules/preload-lib.wasm", "--invoke", "run",
                      "Tests/CLITests/modules/preload-app.wasm")
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdout, "77\n")
  }

  func testReactorIsInitializedBeforeInvoke() throws {
    let r = try swasm("run", "--invoke", "get", "Tests/CLITests/modules/reactor.wasm")
    XCTAssertEqual(r.stdout, "42\n", r.stderr)
  }

  /// --entry runs a reactor as a program: `_initialize`, then the entry, whose i32 result is the exit status;
  /// ARGS are the program's arguments (the module name counts as the first).
  func testEntryRunsAReactorAsAProgram() throws {
    let module = "Tests/CLITests/modules/reactor-entry.wasm"
    XCTAssertEqual(try swasm("run", "--entry", "main", module, "a", "b").status, 43)
    XCTAssertEqual(try swasm("run", "--entry=main", module).status, 41)
    for (args, message) in [(["--entry", "twice", module], "the entry takes no arguments"),
                            (["--entry", "nope", module], "no exported function named \"nope\""),
                            (["--entry", "main", "--invoke", "twice", module, "1"], "cannot be combined")] {
      let r = try swasm(["run"] + args)
      XCTAssertEqual(r.status, 1, "\(args)")
      XCTAssertTrue(r.stderr.contains(message), r.stderr)
    }
  }

  func testWASIProgramExitCodeIsTheProcessExitCode() throws {
    let shared = sharedFolder.path
    let program = shared + "/wasi-testsuite/assemblyscript/proc_exit-failure.wasm"
    guard FileManager.default.fileExists(atPath: program) else { throw XCTSkip("WASI suite not found at \(shared)") }
    let r = try swasm("run", "--env", "A=1", program)
    XCTAssertEqual(r.status, 33)  // the guest's proc_exit code
  }

  func testVersion() throws {
    let r = try swasm("--version")
    XCTAssertEqual(r.status, 0)
    XCTAssertTrue(r.stdout.hasPrefix("swasm "))
  }

  func testSpectestCommandEndsWithTotals() throws {
    let shared = sharedFolder.path
    let file = shared + "/spectest/wasm-2.0/fac/fac.json"
    guard FileManager.default.fileExists(atPath: file) else { throw XCTSkip("spec suite not found at \(shared)") }
    let r = try swasm("spectest", file)
    XCTAssertEqual(r.status, 0)
    XCTAssertTrue(r.stdout.hasSuffix(" passed, 0 failed, 0 skipped\n"), r.stdout)
  }
}

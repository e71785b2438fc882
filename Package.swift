// swift-tools-version:6.0
import PackageDescription

// Targets follow the data flow: WasmBinary (decode+validate) -> SwasmTranslator -> SwasmBytecode
// -> SwasmRuntime (link, instantiate, interpret) -> SwasmSpecTest / swasm CLI. A target depends only on earlier layers.
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
  name: "swasm",
  products: [
    .executable(name: "swasm", targets: ["swasm"]),
    .library(name: "Swasm", targets: ["Swasm"]),
    // WASI preview 1 for embedders that run WASI programs (`WASI(arguments:environment:preopens:)`, `define(in:store:)`).
    .library(name: "SwasmWASI", targets: ["SwasmWASI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
    // `swift package generate-documentation --target Swasm` builds the DocC documentation of the embedding API.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
  ],
  targets: [
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    // SHA-256 of cache keys.
    .target(name: "CSwasmSHA256"),
    // XXH3 checksums of cache files, from the system's xxHash header (libxxhash-dev), compiled in.
    .target(name: "CSwasmXXH3"),
    // Cache files mapped read-only, safe from their truncation by another process.
    .target(name: "CSwasmMappedFile"),
    .target(name: "WasmBinary", swiftSettings: v5),
    // The text format: WAT modules parsed to the binary format, .wast scripts, and binary modules printed as text.
    .target(name: "WasmText", dependencies: ["WasmBinary"], swiftSettings: v5),
    .target(name: "SwasmBytecode", swiftSettings: v5),
    .target(name: "SwasmTranslator", dependencies: ["WasmBinary", "SwasmBytecode"], swiftSettings: v5),
    // The translation cache and precompiled bundles: file format, zstd, bytecode verifier (cache-format/SPEC.md).
    .target(name: "SwasmCache",
            dependencies: ["WasmBinary", "SwasmBytecode", "SwasmTranslator", "CZstd", "CSwasmSHA256", "CSwasmXXH3",
                           "CSwasmMappedFile"],
            swiftSettings: v5),
    .target(name: "CSwasmDispatch"),
    // The v128 operations written in C with clang's portable vector builtins (header only: inlined into handlers).
    .target(name: "CSwasmSIMD"),
    // Out-of-bounds memory accesses caught as faults in the guard region after each linear memory.
    .target(name: "CSwasmGuard"),
    // Sequentially consistent atomics on guest memory (the threads proposal).
    .target(name: "CSwasmAtomics"),
    .target(name: "SwasmRuntime",
            dependencies: ["WasmBinary", "SwasmBytecode", "SwasmTranslator", "CSwasmDispatch", "CSwasmSIMD", "CSwasmGuard", "CSwasmAtomics",
                           .product(name: "Atomics", package: "swift-atomics")],
            swiftSettings: v5),
    .target(name: "SwasmWASI", dependencies: ["WasmBinary", "SwasmRuntime", "Swasm"], swiftSettings: v5),
    .target(name: "Swasm", dependencies: ["WasmBinary", "WasmText", "SwasmTranslator", "SwasmRuntime", "SwasmCache"], swiftSettings: v5),
    .target(name: "SwasmSpecTest", dependencies: ["WasmBinary", "WasmText", "SwasmTranslator", "SwasmRuntime", "SwasmCache"], swiftSettings: v5),
    .executableTarget(name: "swasm",
                      dependencies: ["WasmBinary", "WasmText", "SwasmBytecode", "SwasmTranslator", "SwasmRuntime", "SwasmCache", "Swasm", "SwasmWASI", "SwasmSpecTest",
                                     .product(name: "ArgumentParser", package: "swift-argument-parser")],
                      swiftSettings: v5),
    // Examples of the embedding API (Examples/), built and run by CLITests.
    .executableTarget(name: "example-call-export", dependencies: ["Swasm"], path: "Examples/CallExport",
                      exclude: ["math.wat"], swiftSettings: v5),
    .executableTarget(name: "example-host-string", dependencies: ["Swasm"], path: "Examples/HostString",
                      exclude: ["greeter.wat", "greeter.wasm"], swiftSettings: v5),
    .executableTarget(name: "example-plugin-host", dependencies: ["Swasm"], path: "Examples/PluginHost",
                      exclude: ["lib.wat", "lib.wasm", "doubler.wat", "doubler.wasm", "squarer.wat", "squarer.wasm"],
                      swiftSettings: v5),
    .executableTarget(name: "example-wasi-program", dependencies: ["Swasm", "SwasmWASI"], path: "Examples/WASIProgram",
                      exclude: ["busy.wat", "busy.wasm"], swiftSettings: v5),
    .executableTarget(name: "example-python", dependencies: ["Swasm", "SwasmWASI"], path: "Examples/Python",
                      swiftSettings: v5),
    // The swasm side of the differential fuzzer (tools/fuzz/diff.py): runs a module's exports as told, prints results.
    .executableTarget(name: "swasm-fuzz-exec", dependencies: ["Swasm"], path: "tools/fuzz/exec", swiftSettings: v5),
    // The coverage-guided fuzz targets (libFuzzer: tools/fuzz/libfuzzer.sh), or, built plainly, their replay with
    // deterministic mutations (the tests run a fixed slice of it).
    .executableTarget(name: "swasm-fuzz-targets", dependencies: ["Swasm", "SwasmTranslator", "SwasmWASI", "WasmText"],
                      path: "tools/fuzz/targets", swiftSettings: v5),
    // Paths and helpers shared by the test targets that run built products or read ../shared.
    .target(name: "SwasmTestSupport", path: "Tests/SwasmTestSupport", swiftSettings: v5),
    .testTarget(name: "WasmTextTests", dependencies: ["WasmText", "SwasmTestSupport"], swiftSettings: v5),
    .testTarget(name: "WasmBinaryTests", dependencies: ["WasmBinary", "SwasmTestSupport"], swiftSettings: v5),
    .testTarget(name: "SwasmCacheTests", dependencies: ["SwasmCache", "SwasmRuntime", "SwasmTestSupport", "WasmText"], swiftSettings: v5),
    .testTarget(name: "SwasmRuntimeTests", dependencies: ["SwasmRuntime", "SwasmTestSupport"], exclude: ["modules"], swiftSettings: v5),
    .testTarget(name: "SwasmTests", dependencies: ["Swasm", "SwasmCache", "SwasmWASI", "SwasmTestSupport"], exclude: ["modules"], swiftSettings: v5),
    .testTarget(name: "CLITests",
                dependencies: ["swasm", "SwasmTestSupport", "example-call-export", "example-host-string", "example-plugin-host", "example-python", "example-wasi-program"], exclude: ["modules"], swiftSettings: v5),
    .testTarget(name: "WASITests", dependencies: ["swasm", "SwasmTestSupport"], exclude: ["expected-failures.txt", "guests", "programs"],
                swiftSettings: v5),
    .testTarget(name: "FuzzTests", dependencies: ["SwasmTestSupport", "swasm-fuzz-exec", "swasm-fuzz-targets"],
                swiftSettings: v5),
    .testTarget(name: "SpecSuiteTests", dependencies: ["SwasmSpecTest", "SwasmTestSupport", "CSwasmSIMD"], exclude: ["expected-failures.txt"],
                swiftSettings: v5),
  ]
)

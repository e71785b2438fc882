// swift-tools-version:6.0
// Decoding, validation and translation speed on one module, in MB/s of its code section (issue 27 asks for it on
// python.wasm). Run: swift run -c release --package-path Benchmarks/validation validation-speed MODULE.wasm [REPS]
// The decoder, validator and translator are swasm's own sources (Sources/WasmBinary, SwasmBytecode and
// SwasmTranslator, through links), built alone: a change to them rebuilds this in seconds, where a dependency on
// the Swasm library would rebuild the interpreter too.
import PackageDescription

let package = Package(
  name: "validation-speed",
  targets: [
    .target(name: "WasmBinary", swiftSettings: [.swiftLanguageMode(.v5)]),
    .target(name: "SwasmBytecode", swiftSettings: [.swiftLanguageMode(.v5)]),
    .target(name: "SwasmTranslator", dependencies: ["WasmBinary", "SwasmBytecode"], swiftSettings: [.swiftLanguageMode(.v5)]),
    .executableTarget(name: "validation-speed", dependencies: ["WasmBinary", "SwasmTranslator"],
                      swiftSettings: [.swiftLanguageMode(.v5)]),
  ])

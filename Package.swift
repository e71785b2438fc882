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
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
  ],
  targets: [
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .target(name: "WasmBinary", swiftSettings: v5),
    .target(name: "SwasmBytecode", swiftSettings: v5),
    .target(name: "SwasmTranslator", dependencies: ["WasmBinary", "SwasmBytecode"], swiftSettings: v5),
    .target(name: "CSwasmDispatch"),
    .target(name: "SwasmRuntime",
            dependencies: ["WasmBinary", "SwasmBytecode", "SwasmTranslator", "CSwasmDispatch",
                           .product(name: "Atomics", package: "swift-atomics")],
            swiftSettings: v5),
    .target(name: "Swasm", dependencies: ["WasmBinary", "SwasmTranslator", "SwasmRuntime"], swiftSettings: v5),
    .target(name: "SwasmSpecTest", dependencies: ["SwasmRuntime"], swiftSettings: v5),
    .executableTarget(name: "swasm",
                      dependencies: ["WasmBinary", "SwasmBytecode", "SwasmTranslator", "SwasmRuntime", "SwasmSpecTest", "CZstd",
                                     .product(name: "ArgumentParser", package: "swift-argument-parser")],
                      swiftSettings: v5),
    .testTarget(name: "WasmBinaryTests", dependencies: ["WasmBinary"], swiftSettings: v5),
    .testTarget(name: "SwasmRuntimeTests", dependencies: ["SwasmRuntime"], exclude: ["modules"], swiftSettings: v5),
    .testTarget(name: "SwasmTests", dependencies: ["Swasm"], exclude: ["modules"], swiftSettings: v5),
    .testTarget(name: "CLITests", dependencies: ["swasm"], exclude: ["modules"], swiftSettings: v5),
    .testTarget(name: "SpecSuiteTests", dependencies: ["SwasmSpecTest"], exclude: ["expected-failures.txt"],
                swiftSettings: v5),
  ]
)

// swift-tools-version:6.0
// Embedding-cost benchmark: swasm next to WasmKit 0.4.2, in one binary, release build.
// Run: cd Benchmarks/embedding && swift run -c release embedding-bench
import PackageDescription

let package = Package(
  name: "embedding-bench",
  dependencies: [
    .package(path: "../.."),
    .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
  ],
  targets: [
    .executableTarget(
      name: "embedding-bench",
      dependencies: [
        .product(name: "Swasm", package: "main"),
        .product(name: "WasmKit", package: "WasmKit"),
      ],
      swiftSettings: [.swiftLanguageMode(.v5)]),
  ])

// swift-tools-version:6.0
// Embedding-cost benchmark: swasm next to WasmKit 0.4.2, in one binary, release build.
// Run: cd Benchmarks/embedding && swift run -c release embedding-bench
import PackageDescription

let package = Package(
  name: "embedding-bench",
  dependencies: [
    // Named, because a path dependency is otherwise known by its folder's name, which differs between checkouts.
    .package(name: "swasm", path: "../.."),
    .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
  ],
  targets: [
    .executableTarget(
      name: "embedding-bench",
      dependencies: [
        .product(name: "Swasm", package: "swasm"),
        .product(name: "WasmKit", package: "WasmKit"),
      ],
      swiftSettings: [.swiftLanguageMode(.v5)]),
  ])

// swift-tools-version:6.0
// Warm start-up inside a running process: a WASI program loaded from the translation cache, instantiated and run
// again and again in one process (what an embedder pays per load; the conditions of startup.py's wasmtime column).
// Run: Benchmarks/startup.py builds it (swift build -c release --package-path Benchmarks/inprocess).
import PackageDescription

let package = Package(
  name: "inprocess-startup",
  // Named, because a path dependency is otherwise known by its folder's name, which differs between checkouts.
  dependencies: [.package(name: "swasm", path: "../..")],
  targets: [
    .executableTarget(
      name: "inprocess-startup",
      dependencies: [
        .product(name: "Swasm", package: "swasm"),
        .product(name: "SwasmWASI", package: "swasm"),
      ],
      swiftSettings: [.swiftLanguageMode(.v5)]),
  ])

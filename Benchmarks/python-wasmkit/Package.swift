// swift-tools-version:6.0
// CPython for WASI under WasmKit 0.4.2, for Benchmarks/python.py: WasmKit's CLI cannot give python.wasm its one
// custom import (host.call), so this runs it through WasmKit's embedding API, as swasm's `--entry run` does.
// Build: cd Benchmarks/python-wasmkit && swift build -c release (WasmKit from $SWASM_PEERS/WasmKit, Benchmarks/peers.sh).
import Foundation
import PackageDescription

let peers = ProcessInfo.processInfo.environment["SWASM_PEERS"] ?? "/work/peers"

let package = Package(
  name: "python-wasmkit",
  dependencies: [.package(name: "WasmKit", path: peers + "/WasmKit")],
  targets: [
    .executableTarget(
      name: "python-wasmkit",
      dependencies: [
        .product(name: "WasmKit", package: "WasmKit"),
        .product(name: "WasmKitWASI", package: "WasmKit"),
      ],
      swiftSettings: [.swiftLanguageMode(.v5)]),
  ])

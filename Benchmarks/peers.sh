#!/usr/bin/env bash
# Builds and installs the peer runtimes the benchmarks compare against, outside the repository:
#   WasmKit 0.4.2's CLI (Swift, release build) in $SWASM_PEERS/WasmKit (default /work/peers),
#   wasm3 (PyPI pywasm3) and wasmtime (PyPI wasmtime).
set -euo pipefail
peers="${SWASM_PEERS:-/work/peers}"
mkdir -p "$peers"
if [ ! -x "$peers/WasmKit/.build/release/wasmkit-cli" ]; then
  if [ ! -d "$peers/WasmKit" ]; then
    git clone -q https://github.com/swiftwasm/WasmKit "$peers/WasmKit"
  fi
  (cd "$peers/WasmKit" && git checkout -q 0.4.2 && swift build -c release --product wasmkit-cli)
fi
python3 -m pip install -q pywasm3 wasmtime
echo "peers ready in $peers"

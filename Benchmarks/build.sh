#!/usr/bin/env bash
# Builds the benchmark programs into Benchmarks/out/ as freestanding Wasm modules that export `run` and import
# nothing, so every engine (with or without WASI) runs them the same way. Needs PyPI's ziglang.
set -euo pipefail
cd "$(dirname "$0")"
python3 -c "import ziglang" 2>/dev/null || python3 -m pip install -q ziglang
mkdir -p out
for src in programs/*.c; do
  name="$(basename "$src" .c)"
  python3 -m ziglang cc -target wasm32-freestanding -O2 -nostdlib -Wl,--no-entry -Wl,--export=run \
    -o "out/$name.wasm" "$src"
done
ls -l out/*.wasm

#!/usr/bin/env bash
# Builds the benchmark suite (Benchmarks/suite/*.c) for wasm32-wasi into Benchmarks/out/suite/ with zig cc
# (PyPI ziglang), -O2. The target features are the ones every compared engine supports (wasm3 rejects zig's
# default, which adds reference types and more): MVP plus bulk memory (memcpy and memset become memory.copy and
# memory.fill), sign extension, non-trapping float-to-int and mutable globals.
set -euo pipefail
cd "$(dirname "$0")"
python3 -c "import ziglang" 2>/dev/null || python3 -m pip install -q ziglang
mkdir -p ../out/suite
for src in *.c; do
  name="$(basename "$src" .c)"
  python3 -m ziglang cc -target wasm32-wasi -O2 -s -mcpu=mvp -mbulk-memory -msign-ext -mnontrapping-fptoint -mmutable-globals -o "../out/suite/$name.wasm" "$src" -lm
done
ls -l ../out/suite/*.wasm

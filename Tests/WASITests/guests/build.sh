#!/usr/bin/env bash
# Rebuilds the guest programs the WASI tests run (needs PyPI's ziglang: pip install ziglang).
set -euo pipefail
cd "$(dirname "$0")"
for src in *.c; do python3 -m ziglang cc -target wasm32-wasi -O2 -s -o "${src%.c}.wasm" "$src"; done

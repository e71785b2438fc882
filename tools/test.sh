#!/usr/bin/env bash
# Runs every test: the generated sources are up to date, then `swift test` (unit tests, the wasm-2.0 spec
# suite with both interpreter loops, malformed-input and CLI tests).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source tools/lib/deps.sh
ensure_dependencies
report_shared_data "$root"
if command -v python3 >/dev/null; then
  python3 tools/generate.py --check
else
  echo "WARNING: python3 not found: not checking that the generated sources match tools/isa.py" >&2
fi
swift test

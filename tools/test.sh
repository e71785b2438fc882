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
  echo "WARNING: python3 not found: not checking that the generated sources match tools/isa/" >&2
fi
# Real programs for the WASI tests (Lua from a registry's sources, compared with wasmtime); best effort: without
# them those tests say so and skip.
tools/build-real-programs.sh || echo "WARNING: could not build the real programs; their tests will be SKIPPED" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# XCTest only (no Swift Testing tests exist), so the run ends with XCTest's totals; then one plain closing line.
set +e
swift test --disable-swift-testing 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
summary="$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with .*[0-9]+ failures?" "$log" | tail -1)"
total="$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')"
failures="$(echo "$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/')"
skipped="$(grep -c "' skipped (" "$log" || true)"
if [ -n "$summary" ]; then
  echo "$((total - failures - skipped)) passed, $failures failed, $skipped skipped"
fi
exit "$status"

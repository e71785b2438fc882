#!/usr/bin/env bash
# Builds the benchmark suite (Benchmarks/suite/*.c) for wasm32-wasi into Benchmarks/out/suite/ with zig cc
# (PyPI ziglang), -O2. The target features are the ones every compared engine supports (wasm3 rejects zig's
# default, which adds reference types and more): MVP plus bulk memory (memcpy and memset become memory.copy and
# memory.fill), sign extension, non-trapping float-to-int and mutable globals.
#
# And CoreMark (EEMBC's, https://github.com/eembc/coremark, its posix port), from $COREMARK_SRC or a clone in
# Benchmarks/out/coremark-src (its licence keeps it out of this repository): run.py passes it the seeds of a
# performance run and a fixed iteration count, so that every engine does the same work.
set -euo pipefail
cd "$(dirname "$0")"
python3 -c "import ziglang" 2>/dev/null || python3 -m pip install -q ziglang
mkdir -p ../out/suite
flags=(-target wasm32-wasi -O2 -s -mcpu=mvp -mbulk-memory -msign-ext -mnontrapping-fptoint -mmutable-globals)
for src in *.c; do
  name="$(basename "$src" .c)"
  python3 -m ziglang cc "${flags[@]}" -o "../out/suite/$name.wasm" "$src" -lm
done

coremark="${COREMARK_SRC:-../out/coremark-src}"
if [ ! -d "$coremark" ]; then
  mirror="${PEER_SOURCES:-/work/.mirror}/eembc+coremark/repo"
  [ -d "$mirror" ] || mirror="${GIT_BASE:-https://github.com}/eembc/coremark"
  git clone -q "$mirror" "$coremark" && git -C "$coremark" checkout -q d5fad6b || echo "(CoreMark not available: skipped)"
fi
if [ -f "$coremark/core_main.c" ]; then
  (cd "$coremark" && python3 -m ziglang cc "${flags[@]}" -Iposix -I. -DPERFORMANCE_RUN=1 '-DFLAGS_STR="-O2"' \
    core_list_join.c core_main.c core_matrix.c core_state.c core_util.c posix/core_portme.c \
    -o "$OLDPWD/../out/suite/coremark.wasm")
fi
ls -l ../out/suite/*.wasm

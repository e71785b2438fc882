#!/usr/bin/env bash
# Coverage-guided fuzzing of one target (tools/fuzz/targets/Targets.swift) with libFuzzer and AddressSanitizer.
#
#   tools/fuzz/libfuzzer.sh TARGET [SECONDS] [libFuzzer options...]      TARGET: decode, translate, cache, path, wat
#
# Builds the targets instrumented (.build-libfuzzer, debug, --sanitize=fuzzer and address), writes a seed corpus
# from the spec suite's modules (../shared, or $SWASM_SHARED) unless .build-libfuzzer/corpus/TARGET exists, and runs
# for SECONDS (default 60), growing that corpus. A crash leaves its input in .build-libfuzzer/findings/ and stops the
# run with libFuzzer's report; replay it with the plain build: swasm-fuzz-targets TARGET FILE.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
target="${1:?usage: tools/fuzz/libfuzzer.sh TARGET [SECONDS] [libFuzzer options...]}"
seconds="${2:-60}"
shift $(( $# > 1 ? 2 : 1 ))
shared="${SWASM_SHARED:-$root/../shared}"
swift build --scratch-path .build-libfuzzer --sanitize=fuzzer --sanitize=address -Xswiftc -DSWASM_LIBFUZZER \
  -Xswiftc -sanitize=fuzzer \
  --product swasm-fuzz-targets 2>&1 | grep -v "Cannot export local symbol" | tail -2
corpus=".build-libfuzzer/corpus/$target"
if [ ! -d "$corpus" ]; then
  swift build --product swasm-fuzz-targets 2>&1 | tail -1
  pattern='*.wasm'
  [ "$target" = wat ] && pattern='*.wast'  # the text parser starts from the suite's scripts
  modules=$(find "$shared/spectest/wasm-2.0" "$shared/spectest/core" "$shared/spectest/wast" -name "$pattern" 2>/dev/null | sort | awk 'NR % 8 == 0')
  # shellcheck disable=SC2086  # one argument per module
  .build/debug/swasm-fuzz-targets seeds "$target" "$corpus" $modules
fi
mkdir -p .build-libfuzzer/findings
# handle_segv=0: out-of-bounds Wasm memory accesses fault in guard pages by design, and swasm's own handler turns
# them into traps (ASan's would report them).
SWASM_FUZZ_TARGET="$target" ASAN_OPTIONS="handle_segv=0:detect_leaks=0:${ASAN_OPTIONS:-}" \
  .build-libfuzzer/debug/swasm-fuzz-targets -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix=.build-libfuzzer/findings/"$target"- "$@" "$corpus"

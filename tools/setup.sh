#!/usr/bin/env bash
# Sets up a fresh machine (Debian/Ubuntu with Swift installed) and builds swasm in release mode.
# Installs libzstd-dev, libxxhash-dev and pkg-config with apt-get when they are missing and this runs as root.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source tools/lib/deps.sh
ensure_dependencies
# --omit-frame-pointers: SwiftPM otherwise forces frame pointers, which costs the interpreter's handlers
# three instructions each (see ../shared/design/README.md, section 1). --static-swift-stdlib: a launch then
# loads no Swift shared libraries, which makes every `swasm run` start about 3 ms sooner (measured: 5.3 ms
# against 8.6 ms for `swasm --version`). --disable-local-rpath: with no Swift libraries beside it, the binary
# needs no $ORIGIN search path, whose lookups cost every launch a dozen failed system calls per library.
#
# libstdc++ linked statically too (the Swift runtime needs it): the swift driver asks for -lstdc++, and a folder
# holding only libstdc++.a, searched first, makes the linker take the archive. Loading libstdc++.so and binding
# its symbols cost every launch about 1.7M instructions (a warm `swasm run --cache` of a Rust program: 8.6M ->
# 6.8M; wall time 0.84x to 0.93x, `swasm --version` 0.83x to 0.93x, in three runs of 100 to 150 interleaved
# launches). Without a static libstdc++ (no g++ installed), the shared one is used as before.
static_libs=()
archive="$(g++ -print-file-name=libstdc++.a 2>/dev/null || true)"
if [[ "$archive" == /* && -f "$archive" ]]; then
  mkdir -p .build/static-libstdc++
  ln -sf "$archive" .build/static-libstdc++/libstdc++.a
  static_libs=(-Xlinker -L"$root/.build/static-libstdc++")
fi
#
# Linked by lld (it comes with Swift) with packed relative relocations (DT_RELR, which glibc 2.36 and later read):
# the binary's 40,000 relative relocations take 7.6 KB instead of 950 KB, and the dynamic loader applies them
# faster (a warm `swasm run --cache` of a Rust program: 6.83M -> 6.65M instructions; wall time 0.93x, `swasm
# --version` 0.90x, medians of 150 interleaved launches; Lua's and QuickJS's run times unchanged). Otherwise the
# toolchain's default linker, as before.
linker=()
lld="$(dirname "$(realpath "$(command -v swift)")")/ld.lld"
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}' || true)"
if [[ -x "$lld" && -n "$glibc" && "$(printf '%s\n' 2.36 "$glibc" | sort -V | head -1)" == 2.36 ]]; then
  mkdir -p .build
  printf '{ "schemaVersion": "1.0", "linker": { "path": "%s" } }\n' "$lld" > .build/lld-toolset.json
  linker=(--toolset "$root/.build/lld-toolset.json" -Xlinker -z -Xlinker pack-relative-relocs)
fi
swift build -c release --omit-frame-pointers --static-swift-stdlib --disable-local-rpath --product swasm \
  "${static_libs[@]}" "${linker[@]}"
echo "built: $root/.build/release/swasm"

# Shared by tools/setup.sh and tools/test.sh: make sure the system libraries swasm builds with are present:
# libzstd (the cache's compression), found through pkg-config, and xxHash's header (the cache's checksums,
# compiled in); on Debian/Ubuntu they come from libzstd-dev and libxxhash-dev.
ensure_dependencies() {
  if ! command -v swift >/dev/null 2>&1; then
    echo "error: swift is not on PATH; install a Swift 6 toolchain first (https://www.swift.org/install/)" >&2
    return 1
  fi
  if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libzstd libxxhash; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing libzstd-dev, libxxhash-dev and pkg-config with apt-get..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzstd-dev libxxhash-dev pkg-config >/dev/null
  else
    echo "error: libzstd-dev, libxxhash-dev or pkg-config is missing; run:" \
      "sudo apt-get install -y libzstd-dev libxxhash-dev pkg-config" >&2
    return 1
  fi
}

# Where the shared test data (spec suite, WASI suite) is: $SWASM_SHARED, or ../shared beside the project.
report_shared_data() {
  local root="$1"
  local shared="${SWASM_SHARED:-$root/../shared}"
  if [ -d "$shared/spectest" ]; then
    echo "test data: $(cd "$shared" && pwd)"
  else
    echo "WARNING: test data not found at $shared: the spec suite tests will be SKIPPED." >&2
    echo "WARNING: set SWASM_SHARED, or rebuild the corpus with tools/rebuild-spectest.sh." >&2
  fi
}

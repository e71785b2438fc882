// XXH3 from the system's xxHash header (Debian: libxxhash-dev), compiled into swasm: XXH_INLINE_ALL makes every
// xxHash function static here, so the binary does not load libxxhash at run time (each shared library costs
// every launch its loading and symbol binding). XXH3 hashes a cache file about five times faster than XXH64
// (SSE2 on x86-64): a warm start checks the whole entry.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "CSwasmXXH3.h"

uint64_t swasm_xxh3_64(const void *data, size_t count, uint64_t seed) {
  return XXH3_64bits_withSeed(data, count, seed);
}

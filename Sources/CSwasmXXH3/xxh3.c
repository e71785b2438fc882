// XXH3 from the system's xxHash header (Debian: libxxhash-dev), compiled into swasm: XXH_INLINE_ALL makes every
// xxHash function static here, so the binary does not load libxxhash at run time (each shared library costs
// every launch its loading and symbol binding). A warm start hashes the whole cache entry; on x86-64 machines
// with AVX2 it takes the AVX2 version (xxh3_avx2.c), about twice as fast as the SSE2 one every x86-64 has.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "CSwasmXXH3.h"

uint64_t swasm_xxh3_64_portable(const void *data, size_t count, uint64_t seed) {
  return XXH3_64bits_withSeed(data, count, seed);
}

#if defined(__x86_64__) && defined(__clang__)
uint64_t swasm_xxh3_64_avx2(const void *data, size_t count, uint64_t seed);

static int has_avx2 = -1;  // not known yet; a race only computes it twice

uint64_t swasm_xxh3_64(const void *data, size_t count, uint64_t seed) {
  if (has_avx2 < 0) has_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
  return has_avx2 ? swasm_xxh3_64_avx2(data, count, seed) : swasm_xxh3_64_portable(data, count, seed);
}
#else
uint64_t swasm_xxh3_64(const void *data, size_t count, uint64_t seed) {
  return swasm_xxh3_64_portable(data, count, seed);
}
#endif

// The AVX2 version of XXH3, for xxh3.c to call on machines that have AVX2: this file's functions, those of the
// header included, are compiled for AVX2 whatever the target's flags.
#if defined(__x86_64__) && defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#define XXH_INLINE_ALL
#define XXH_VECTOR 2  // XXH_AVX2
#include <immintrin.h>
#include <xxhash.h>

#include <stddef.h>
#include <stdint.h>

uint64_t swasm_xxh3_64_avx2(const void *data, size_t count, uint64_t seed) {
  return XXH3_64bits_withSeed(data, count, seed);
}
#pragma clang attribute pop
#endif

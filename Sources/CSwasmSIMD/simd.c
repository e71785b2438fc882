// The v128 operations are header-only (include/CSwasmSIMD.h): the Swift handler bodies import and inline them.
// Here: the byte selections that need an instruction beyond the x86-64 baseline, compiled for it and chosen at
// run time.
#include "CSwasmSIMD.h"

#if defined(__x86_64__)
#include <tmmintrin.h>

_Bool swasm_simd_has_ssse3 = 0;

__attribute__((constructor)) static void swasm_simd_detect(void) {
  __builtin_cpu_init();
  swasm_simd_has_ssse3 = __builtin_cpu_supports("ssse3");
}

__attribute__((target("ssse3"))) void swasm_select_bytes_ssse3(uint64_t *d, const uint64_t *a, const uint64_t *b,
                                                                const uint64_t *masks) {
  __m128i x = _mm_loadu_si128((const __m128i *)a), y = _mm_loadu_si128((const __m128i *)b);
  __m128i mx = _mm_loadu_si128((const __m128i *)masks), my = _mm_loadu_si128((const __m128i *)(masks + 2));
  // pshufb looks at bit 7 and the low four bits of each mask byte: exactly the masks' meaning.
  _mm_storeu_si128((__m128i *)d, _mm_or_si128(_mm_shuffle_epi8(x, mx), _mm_shuffle_epi8(y, my)));
}

__attribute__((target("ssse3"))) void swasm_swizzle_ssse3(uint64_t *d, const uint64_t *a, const uint64_t *s) {
  __m128i x = _mm_loadu_si128((const __m128i *)a), i = _mm_loadu_si128((const __m128i *)s);
  // Indices 16 and above get bit 7 (a saturating add of 0x70 keeps the low four bits of those below 16).
  _mm_storeu_si128((__m128i *)d, _mm_shuffle_epi8(x, _mm_adds_epu8(i, _mm_set1_epi8(0x70))));
}
#else
_Bool swasm_simd_has_ssse3 = 0;
#endif

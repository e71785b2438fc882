#pragma once
// The v128 operations that Swift's SIMD types cannot express as a few vector instructions (tools/isa/simd.py
// says which operation is written where): saturating and rounding arithmetic, lane rearrangements, masks,
// narrowing, dot products, float min/max with Wasm's NaN and -0 rules, rounding, saturating conversions.
//
// Written with clang's vector extensions and its __builtin_elementwise_* / __builtin_reduce_* builtins, which
// clang lowers for any target: SSE2 (the x86-64 baseline) and NEON here come from the same source. Where a
// baseline x86-64 instruction does exactly what Wasm asks (pmovmskb for bitmasks) it is used under __SSE2__, with
// a portable loop otherwise. Everything is static inline: the handler bodies (Swift) that call these are inlined
// into the threaded shims, and these into them.
//
// Every function reads its operands from frame slots (8-byte aligned, so 16-byte values are loaded unaligned,
// through memcpy) and writes its result to `d`, which may be an operand's slot too: all operands are loaded first.
#include <stdint.h>
#include <string.h>
#if defined(__aarch64__)
#include <arm_neon.h>
#endif

#define SWASM_SIMD static inline __attribute__((always_inline))

typedef int8_t swasm_i8x16 __attribute__((vector_size(16)));
typedef uint8_t swasm_u8x16 __attribute__((vector_size(16)));
typedef int16_t swasm_i16x8 __attribute__((vector_size(16)));
typedef uint16_t swasm_u16x8 __attribute__((vector_size(16)));
typedef int32_t swasm_i32x4 __attribute__((vector_size(16)));
typedef uint32_t swasm_u32x4 __attribute__((vector_size(16)));
typedef int64_t swasm_i64x2 __attribute__((vector_size(16)));
typedef uint64_t swasm_u64x2 __attribute__((vector_size(16)));
typedef float swasm_f32x4 __attribute__((vector_size(16)));
typedef double swasm_f64x2 __attribute__((vector_size(16)));
typedef int8_t swasm_i8x8 __attribute__((vector_size(8)));
typedef uint8_t swasm_u8x8 __attribute__((vector_size(8)));
typedef int16_t swasm_i16x4 __attribute__((vector_size(8)));
typedef uint16_t swasm_u16x4 __attribute__((vector_size(8)));
typedef int32_t swasm_i32x2 __attribute__((vector_size(8)));
typedef uint32_t swasm_u32x2 __attribute__((vector_size(8)));
typedef float swasm_f32x2 __attribute__((vector_size(8)));
typedef int32_t swasm_i32x8 __attribute__((vector_size(32)));

// Loads and stores of a 16-byte value at a frame slot (or anywhere), of any lane type.
#define SWASM_LOAD(type, p) ({ type v_; memcpy(&v_, (p), 16); v_; })
#define SWASM_STORE(p, v) ({ __typeof__(v) v_ = (v); memcpy((p), &v_, 16); })

// MARK: integer arithmetic

#define SWASM_BINARY(name, type, expr)                                                          \
  SWASM_SIMD void swasm_##name(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {          \
    type a = SWASM_LOAD(type, pa), b = SWASM_LOAD(type, pb);                                    \
    SWASM_STORE(d, (expr));                                                                     \
  }
#define SWASM_UNARY(name, type, expr)                                                           \
  SWASM_SIMD void swasm_##name(uint64_t *d, const uint64_t *pa) {                               \
    type a = SWASM_LOAD(type, pa);                                                              \
    SWASM_STORE(d, (expr));                                                                     \
  }

SWASM_BINARY(i8x16_add_sat_s, swasm_i8x16, __builtin_elementwise_add_sat(a, b))
SWASM_BINARY(i8x16_add_sat_u, swasm_u8x16, __builtin_elementwise_add_sat(a, b))
SWASM_BINARY(i8x16_sub_sat_s, swasm_i8x16, __builtin_elementwise_sub_sat(a, b))
SWASM_BINARY(i8x16_sub_sat_u, swasm_u8x16, __builtin_elementwise_sub_sat(a, b))
SWASM_BINARY(i16x8_add_sat_s, swasm_i16x8, __builtin_elementwise_add_sat(a, b))
SWASM_BINARY(i16x8_add_sat_u, swasm_u16x8, __builtin_elementwise_add_sat(a, b))
SWASM_BINARY(i16x8_sub_sat_s, swasm_i16x8, __builtin_elementwise_sub_sat(a, b))
SWASM_BINARY(i16x8_sub_sat_u, swasm_u16x8, __builtin_elementwise_sub_sat(a, b))

SWASM_BINARY(i8x16_min_s, swasm_i8x16, __builtin_elementwise_min(a, b))
SWASM_BINARY(i8x16_min_u, swasm_u8x16, __builtin_elementwise_min(a, b))
SWASM_BINARY(i8x16_max_s, swasm_i8x16, __builtin_elementwise_max(a, b))
SWASM_BINARY(i8x16_max_u, swasm_u8x16, __builtin_elementwise_max(a, b))
SWASM_BINARY(i16x8_min_s, swasm_i16x8, __builtin_elementwise_min(a, b))
SWASM_BINARY(i16x8_min_u, swasm_u16x8, __builtin_elementwise_min(a, b))
SWASM_BINARY(i16x8_max_s, swasm_i16x8, __builtin_elementwise_max(a, b))
SWASM_BINARY(i16x8_max_u, swasm_u16x8, __builtin_elementwise_max(a, b))
SWASM_BINARY(i32x4_min_s, swasm_i32x4, __builtin_elementwise_min(a, b))
SWASM_BINARY(i32x4_min_u, swasm_u32x4, __builtin_elementwise_min(a, b))
SWASM_BINARY(i32x4_max_s, swasm_i32x4, __builtin_elementwise_max(a, b))
SWASM_BINARY(i32x4_max_u, swasm_u32x4, __builtin_elementwise_max(a, b))

// Rounding average without a wider type: (a + b + 1) >> 1 == (a | b) - ((a ^ b) >> 1).
SWASM_BINARY(i8x16_avgr_u, swasm_u8x16, (a | b) - ((a ^ b) >> 1))
SWASM_BINARY(i16x8_avgr_u, swasm_u16x8, (a | b) - ((a ^ b) >> 1))

// Absolute value, wrapping (the minimum stays the minimum): (a ^ s) - s with s the sign mask, in unsigned lanes.
SWASM_UNARY(i8x16_abs, swasm_i8x16, (swasm_i8x16)(((swasm_u8x16)a ^ (swasm_u8x16)(a >> 7)) - (swasm_u8x16)(a >> 7)))
SWASM_UNARY(i16x8_abs, swasm_i16x8, (swasm_i16x8)(((swasm_u16x8)a ^ (swasm_u16x8)(a >> 15)) - (swasm_u16x8)(a >> 15)))
SWASM_UNARY(i32x4_abs, swasm_i32x4, (swasm_i32x4)(((swasm_u32x4)a ^ (swasm_u32x4)(a >> 31)) - (swasm_u32x4)(a >> 31)))
SWASM_UNARY(i64x2_abs, swasm_i64x2, (swasm_i64x2)(((swasm_u64x2)a ^ (swasm_u64x2)(a >> 63)) - (swasm_u64x2)(a >> 63)))

SWASM_UNARY(i8x16_popcnt, swasm_u8x16, __builtin_elementwise_popcount(a))

/// i16x8.q15mulr_sat_s: (a * b + 0x4000) >> 15, saturated (only -32768 * -32768 overflows).
SWASM_SIMD void swasm_i16x8_q15mulr_sat_s(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {
  swasm_i16x8 a = SWASM_LOAD(swasm_i16x8, pa), b = SWASM_LOAD(swasm_i16x8, pb);
  swasm_i32x8 p = (__builtin_convertvector(a, swasm_i32x8) * __builtin_convertvector(b, swasm_i32x8) + 0x4000) >> 15;
  p = __builtin_elementwise_min(p, (swasm_i32x8){32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767});
  SWASM_STORE(d, __builtin_convertvector(p, swasm_i16x8));
}

/// i32x4.dot_i16x8_s: sums of the products of lane pairs (wrapping: only -32768 * -32768 twice overflows).
SWASM_SIMD void swasm_i32x4_dot_i16x8_s(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {
  swasm_i16x8 a = SWASM_LOAD(swasm_i16x8, pa), b = SWASM_LOAD(swasm_i16x8, pb);
  swasm_i32x8 p = __builtin_convertvector(a, swasm_i32x8) * __builtin_convertvector(b, swasm_i32x8);
  swasm_u32x4 even = (swasm_u32x4)__builtin_shufflevector(p, p, 0, 2, 4, 6);
  swasm_u32x4 odd = (swasm_u32x4)__builtin_shufflevector(p, p, 1, 3, 5, 7);
  SWASM_STORE(d, even + odd);
}

/// The relaxed dot products, deterministically: both operands signed, products and sums wrapping (one of the
/// results the relaxed-SIMD specification allows; x86's pmaddubsw would give another).
SWASM_SIMD void swasm_i16x8_relaxed_dot_i8x16_i7x16_s(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {
  swasm_i8x16 a = SWASM_LOAD(swasm_i8x16, pa), b = SWASM_LOAD(swasm_i8x16, pb);
  swasm_u16x8 ae = (swasm_u16x8)__builtin_convertvector(__builtin_shufflevector(a, a, 0, 2, 4, 6, 8, 10, 12, 14), swasm_i16x8);
  swasm_u16x8 ao = (swasm_u16x8)__builtin_convertvector(__builtin_shufflevector(a, a, 1, 3, 5, 7, 9, 11, 13, 15), swasm_i16x8);
  swasm_u16x8 be = (swasm_u16x8)__builtin_convertvector(__builtin_shufflevector(b, b, 0, 2, 4, 6, 8, 10, 12, 14), swasm_i16x8);
  swasm_u16x8 bo = (swasm_u16x8)__builtin_convertvector(__builtin_shufflevector(b, b, 1, 3, 5, 7, 9, 11, 13, 15), swasm_i16x8);
  SWASM_STORE(d, ae * be + ao * bo);
}

/// The same dot product, its pairs of 16-bit sums added (as i32x4.extadd_pairwise_i16x8_s does) to c.
SWASM_SIMD void swasm_i32x4_relaxed_dot_i8x16_i7x16_add_s(uint64_t *d, const uint64_t *pa, const uint64_t *pb,
                                                           const uint64_t *pc) {
  uint64_t dot[2];
  swasm_i16x8_relaxed_dot_i8x16_i7x16_s(dot, pa, pb);
  swasm_i16x8 p = SWASM_LOAD(swasm_i16x8, dot);
  swasm_u32x4 even = (swasm_u32x4)__builtin_convertvector(__builtin_shufflevector(p, p, 0, 2, 4, 6), swasm_i32x4);
  swasm_u32x4 odd = (swasm_u32x4)__builtin_convertvector(__builtin_shufflevector(p, p, 1, 3, 5, 7), swasm_i32x4);
  SWASM_STORE(d, even + odd + SWASM_LOAD(swasm_u32x4, pc));
}

// MARK: lanes rearranged

// Byte selection by index, in one instruction where the machine has one: pshufb (SSSE3, which every x86-64 made
// since 2006 has, but the baseline does not include: chosen at run time, `swasm_simd_has_ssse3`), tbl on arm64,
// a loop elsewhere.

/// Whether this x86-64 has SSSE3 (set once at load time, simd.c).
extern _Bool swasm_simd_has_ssse3;
#if defined(__x86_64__)
void swasm_select_bytes_ssse3(uint64_t *d, const uint64_t *a, const uint64_t *b, const uint64_t *masks);
void swasm_swizzle_ssse3(uint64_t *d, const uint64_t *a, const uint64_t *s);
#endif

/// i8x16.shuffle, with the translator's two masks at `masks` (16 bytes for a, then 16 for b): lane i of the result
/// is lane `masks[i] & 15` of a, or 0 when bit 7 of that mask byte is set, or'ed with the same from b's mask. Any
/// mask bytes select inside the two operands.
SWASM_SIMD void swasm_i8x16_shuffle(uint64_t *d, const uint64_t *pa, const uint64_t *pb, const uint64_t *masks) {
#if defined(__x86_64__)
  if (__builtin_expect(swasm_simd_has_ssse3, 1)) {
    swasm_select_bytes_ssse3(d, pa, pb, masks);
    return;
  }
#elif defined(__aarch64__)
  // tbl gives 0 for an index of 16 or more, bit 7 set included.
  uint8x16_t ma = vld1q_u8((const uint8_t *)masks), mb = vld1q_u8((const uint8_t *)(masks + 2));
  vst1q_u8((uint8_t *)d, vorrq_u8(vqtbl1q_u8(vld1q_u8((const uint8_t *)pa), ma),
                                  vqtbl1q_u8(vld1q_u8((const uint8_t *)pb), mb)));
  return;
#endif
#if !defined(__aarch64__)
  uint8_t a[16], b[16], ma[16], mb[16], r[16];
  memcpy(a, pa, 16);
  memcpy(b, pb, 16);
  memcpy(ma, masks, 16);
  memcpy(mb, masks + 2, 16);
  for (int i = 0; i < 16; i++) {
    r[i] = (ma[i] & 0x80 ? 0 : a[ma[i] & 15]) | (mb[i] & 0x80 ? 0 : b[mb[i] & 15]);
  }
  memcpy(d, r, 16);
#endif
}

/// i8x16.swizzle: lane i of the result is lane s[i] of a, or 0 when s[i] >= 16.
SWASM_SIMD void swasm_i8x16_swizzle(uint64_t *d, const uint64_t *pa, const uint64_t *ps) {
#if defined(__x86_64__)
  if (__builtin_expect(swasm_simd_has_ssse3, 1)) {
    swasm_swizzle_ssse3(d, pa, ps);
    return;
  }
#elif defined(__aarch64__)
  vst1q_u8((uint8_t *)d, vqtbl1q_u8(vld1q_u8((const uint8_t *)pa), vld1q_u8((const uint8_t *)ps)));
  return;
#endif
#if !defined(__aarch64__)
  uint8_t a[16], s[16], r[16];
  memcpy(a, pa, 16);
  memcpy(s, ps, 16);
  for (int i = 0; i < 16; i++) r[i] = s[i] < 16 ? a[s[i]] : 0;
  memcpy(d, r, 16);
#endif
}

/// Narrowing: the lanes of a, then of b, each saturated to the narrower type.
SWASM_SIMD void swasm_i8x16_narrow_i16x8_s(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {
  swasm_i16x8 lo = (swasm_i16x8){-128, -128, -128, -128, -128, -128, -128, -128}, hi = -lo - 1;
  swasm_i16x8 a = __builtin_elementwise_min(__builtin_elementwise_max(SWASM_LOAD(swasm_i16x8, pa), lo), hi);
  swasm_i16x8 b = __builtin_elementwise_min(__builtin_elementwise_max(SWASM_LOAD(swasm_i16x8, pb), lo), hi);
  swasm_i8x8 na = __builtin_convertvector(a, swasm_i8x8), nb = __builtin_convertvector(b, swasm_i8x8);
  SWASM_STORE(d, __builtin_shufflevector(na, nb, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}
SWASM_SIMD void swasm_i8x16_narrow_i16x8_u(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {
  swasm_i16x8 lo = (swasm_i16x8){0, 0, 0, 0, 0, 0, 0, 0}, hi = lo + 255;
  swasm_i16x8 a = __builtin_elementwise_min(__builtin_elementwise_max(SWASM_LOAD(swasm_i16x8, pa), lo), hi);
  swasm_i16x8 b = __builtin_elementwise_min(__builtin_elementwise_max(SWASM_LOAD(swasm_i16x8, pb), lo), hi);
  swasm_u8x8 na = __builtin_convertvector(a, swasm_u8x8), nb = __builtin_convertvector(b, swasm_u8x8);
  SWASM_STORE(d, __builtin_shufflevector(na, nb, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}
SWASM_SIMD void swasm_i16x8_narrow_i32x4_s(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {
  swasm_i32x4 lo = (swasm_i32x4){-32768, -32768, -32768, -32768}, hi = -lo - 1;
  swasm_i32x4 a = __builtin_elementwise_min(__builtin_elementwise_max(SWASM_LOAD(swasm_i32x4, pa), lo), hi);
  swasm_i32x4 b = __builtin_elementwise_min(__builtin_elementwise_max(SWASM_LOAD(swasm_i32x4, pb), lo), hi);
  swasm_i16x4 na = __builtin_convertvector(a, swasm_i16x4), nb = __builtin_convertvector(b, swasm_i16x4);
  SWASM_STORE(d, __builtin_shufflevector(na, nb, 0, 1, 2, 3, 4, 5, 6, 7));
}
SWASM_SIMD void swasm_i16x8_narrow_i32x4_u(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {
  swasm_i32x4 lo = (swasm_i32x4){0, 0, 0, 0}, hi = lo + 65535;
  swasm_i32x4 a = __builtin_elementwise_min(__builtin_elementwise_max(SWASM_LOAD(swasm_i32x4, pa), lo), hi);
  swasm_i32x4 b = __builtin_elementwise_min(__builtin_elementwise_max(SWASM_LOAD(swasm_i32x4, pb), lo), hi);
  swasm_u16x4 na = __builtin_convertvector(a, swasm_u16x4), nb = __builtin_convertvector(b, swasm_u16x4);
  SWASM_STORE(d, __builtin_shufflevector(na, nb, 0, 1, 2, 3, 4, 5, 6, 7));
}

// MARK: masks

/// all_true: every lane is non-zero.
#define SWASM_ALL_TRUE(name, type)                                                              \
  SWASM_SIMD uint32_t swasm_##name(const uint64_t *pa) {                                        \
    type a = SWASM_LOAD(type, pa);                                                              \
    return __builtin_reduce_or(a == 0) == 0;                                                    \
  }
SWASM_ALL_TRUE(i8x16_all_true, swasm_u8x16)
SWASM_ALL_TRUE(i16x8_all_true, swasm_u16x8)
SWASM_ALL_TRUE(i32x4_all_true, swasm_u32x4)
SWASM_ALL_TRUE(i64x2_all_true, swasm_u64x2)

/// bitmask: bit i of the result is the sign bit of lane i. SSE2 has it in one instruction per lane width (for
/// 16-bit lanes after a saturating pack, which keeps each sign).
SWASM_SIMD uint32_t swasm_i8x16_bitmask(const uint64_t *pa) {
  swasm_i8x16 a = SWASM_LOAD(swasm_i8x16, pa);
#if defined(__SSE2__)
  return (uint32_t)__builtin_ia32_pmovmskb128((char __attribute__((vector_size(16))))a);
#else
  uint32_t m = 0;
  for (int i = 0; i < 16; i++) m |= (uint32_t)(a[i] < 0) << i;
  return m;
#endif
}
SWASM_SIMD uint32_t swasm_i16x8_bitmask(const uint64_t *pa) {
  swasm_i16x8 a = SWASM_LOAD(swasm_i16x8, pa);
#if defined(__SSE2__)
  typedef short short8 __attribute__((vector_size(16)));
  typedef char char16 __attribute__((vector_size(16)));
  char16 packed = __builtin_ia32_packsswb128((short8)a, (short8){0});
  return (uint32_t)__builtin_ia32_pmovmskb128(packed) & 0xFF;
#else
  uint32_t m = 0;
  for (int i = 0; i < 8; i++) m |= (uint32_t)(a[i] < 0) << i;
  return m;
#endif
}
SWASM_SIMD uint32_t swasm_i32x4_bitmask(const uint64_t *pa) {
  swasm_i32x4 a = SWASM_LOAD(swasm_i32x4, pa);
#if defined(__SSE2__)
  return (uint32_t)__builtin_ia32_movmskps((swasm_f32x4)a);
#else
  uint32_t m = 0;
  for (int i = 0; i < 4; i++) m |= (uint32_t)(a[i] < 0) << i;
  return m;
#endif
}
SWASM_SIMD uint32_t swasm_i64x2_bitmask(const uint64_t *pa) {
  swasm_i64x2 a = SWASM_LOAD(swasm_i64x2, pa);
#if defined(__SSE2__)
  return (uint32_t)__builtin_ia32_movmskpd((swasm_f64x2)a);
#else
  return (uint32_t)(a[0] < 0) | (uint32_t)(a[1] < 0) << 1;
#endif
}

// MARK: floats

SWASM_UNARY(f32x4_sqrt, swasm_f32x4, __builtin_elementwise_sqrt(a))
SWASM_UNARY(f64x2_sqrt, swasm_f64x2, __builtin_elementwise_sqrt(a))
SWASM_UNARY(f32x4_ceil, swasm_f32x4, __builtin_elementwise_ceil(a))
SWASM_UNARY(f32x4_floor, swasm_f32x4, __builtin_elementwise_floor(a))
SWASM_UNARY(f32x4_trunc, swasm_f32x4, __builtin_elementwise_trunc(a))
SWASM_UNARY(f32x4_nearest, swasm_f32x4, __builtin_elementwise_roundeven(a))
SWASM_UNARY(f64x2_ceil, swasm_f64x2, __builtin_elementwise_ceil(a))
SWASM_UNARY(f64x2_floor, swasm_f64x2, __builtin_elementwise_floor(a))
SWASM_UNARY(f64x2_trunc, swasm_f64x2, __builtin_elementwise_trunc(a))
SWASM_UNARY(f64x2_nearest, swasm_f64x2, __builtin_elementwise_roundeven(a))

/// Wasm min and max: NaN when either operand is NaN (a + b: a quiet NaN from the inputs), -0 below +0. Lanes that
/// compare equal (a zero of each sign included) take the bitwise or (min: -0 wins) or and (max: +0 wins).
/// `before`: `<` for min (a wins when a < b), `>` for max.
#define SWASM_MIN_MAX(name, ftype, itype, before, equal)                                        \
  SWASM_SIMD void swasm_##name(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {          \
    ftype a = SWASM_LOAD(ftype, pa), b = SWASM_LOAD(ftype, pb);                                 \
    itype ai = (itype)a, bi = (itype)b;                                                         \
    itype first = (itype)(a before b), second = (itype)(b before a);                            \
    itype r = (first & ai) | (second & bi) | (~(first | second) & (equal));                     \
    itype nan = (itype)(a != a) | (itype)(b != b);                                              \
    r = (nan & (itype)(a + b)) | (~nan & r);                                                    \
    SWASM_STORE(d, r);                                                                          \
  }
SWASM_MIN_MAX(f32x4_min, swasm_f32x4, swasm_i32x4, <, ai | bi)
SWASM_MIN_MAX(f32x4_max, swasm_f32x4, swasm_i32x4, >, ai & bi)
SWASM_MIN_MAX(f64x2_min, swasm_f64x2, swasm_i64x2, <, ai | bi)
SWASM_MIN_MAX(f64x2_max, swasm_f64x2, swasm_i64x2, >, ai & bi)
#undef SWASM_MIN_MAX

/// Pseudo-min and pseudo-max (C's `b < a ? b : a` and `a < b ? b : a`, lane by lane).
#define SWASM_PSEUDO(name, ftype, itype, x, y)                                                  \
  SWASM_SIMD void swasm_##name(uint64_t *d, const uint64_t *pa, const uint64_t *pb) {          \
    ftype a = SWASM_LOAD(ftype, pa), b = SWASM_LOAD(ftype, pb);                                 \
    itype take = (itype)(x < y);                                                                \
    SWASM_STORE(d, (take & (itype)b) | (~take & (itype)a));                                     \
  }
SWASM_PSEUDO(f32x4_pmin, swasm_f32x4, swasm_i32x4, b, a)
SWASM_PSEUDO(f32x4_pmax, swasm_f32x4, swasm_i32x4, a, b)
SWASM_PSEUDO(f64x2_pmin, swasm_f64x2, swasm_i64x2, b, a)
SWASM_PSEUDO(f64x2_pmax, swasm_f64x2, swasm_i64x2, a, b)
#undef SWASM_PSEUDO

// MARK: conversions

/// Saturating float-to-integer conversions: clamped into range (min/max ignore a NaN, so a NaN lane becomes a
/// bound), converted, then lanes at or past the upper bound set to the maximum and NaN lanes to 0.
SWASM_SIMD void swasm_i32x4_trunc_sat_f32x4_s(uint64_t *d, const uint64_t *pa) {
  swasm_f32x4 a = SWASM_LOAD(swasm_f32x4, pa);
  swasm_f32x4 c = __builtin_elementwise_max(__builtin_elementwise_min(a, (swasm_f32x4){0} + 2147483520.0f),
                                            (swasm_f32x4){0} - 2147483648.0f);
  swasm_i32x4 r = __builtin_convertvector(c, swasm_i32x4);
  swasm_i32x4 high = (swasm_i32x4)(a >= 2147483648.0f);
  r = (high & 0x7FFFFFFF) | (~high & r);
  SWASM_STORE(d, r & (swasm_i32x4)(a == a));
}
SWASM_SIMD void swasm_i32x4_trunc_sat_f32x4_u(uint64_t *d, const uint64_t *pa) {
  swasm_f32x4 a = SWASM_LOAD(swasm_f32x4, pa);
  swasm_f32x4 c = __builtin_elementwise_max(__builtin_elementwise_min(a, (swasm_f32x4){0} + 4294967040.0f),
                                            (swasm_f32x4){0});
  swasm_u32x4 r = __builtin_convertvector(c, swasm_u32x4);
  swasm_u32x4 high = (swasm_u32x4)(a >= 4294967296.0f);
  r = high | r;
  SWASM_STORE(d, r & (swasm_u32x4)(a == a));
}
SWASM_SIMD void swasm_i32x4_trunc_sat_f64x2_s_zero(uint64_t *d, const uint64_t *pa) {
  swasm_f64x2 a = SWASM_LOAD(swasm_f64x2, pa);
  swasm_f64x2 c = __builtin_elementwise_max(__builtin_elementwise_min(a, (swasm_f64x2){0} + 2147483647.0),
                                            (swasm_f64x2){0} - 2147483648.0);
  swasm_i32x2 r = __builtin_convertvector(c, swasm_i32x2) & __builtin_convertvector((swasm_i64x2)(a == a), swasm_i32x2);
  SWASM_STORE(d, __builtin_shufflevector(r, (swasm_i32x2){0, 0}, 0, 1, 2, 3));
}
SWASM_SIMD void swasm_i32x4_trunc_sat_f64x2_u_zero(uint64_t *d, const uint64_t *pa) {
  swasm_f64x2 a = SWASM_LOAD(swasm_f64x2, pa);
  swasm_f64x2 c = __builtin_elementwise_max(__builtin_elementwise_min(a, (swasm_f64x2){0} + 4294967295.0),
                                            (swasm_f64x2){0});
  swasm_u32x2 r = __builtin_convertvector(c, swasm_u32x2) & __builtin_convertvector((swasm_u64x2)(a == a), swasm_u32x2);
  SWASM_STORE(d, __builtin_shufflevector(r, (swasm_u32x2){0, 0}, 0, 1, 2, 3));
}

SWASM_UNARY(f32x4_convert_i32x4_u, swasm_u32x4, __builtin_convertvector(a, swasm_f32x4))

SWASM_SIMD void swasm_f64x2_convert_low_i32x4_s(uint64_t *d, const uint64_t *pa) {
  swasm_i32x4 a = SWASM_LOAD(swasm_i32x4, pa);
  SWASM_STORE(d, __builtin_convertvector(__builtin_shufflevector(a, a, 0, 1), swasm_f64x2));
}
SWASM_SIMD void swasm_f64x2_convert_low_i32x4_u(uint64_t *d, const uint64_t *pa) {
  swasm_u32x4 a = SWASM_LOAD(swasm_u32x4, pa);
  SWASM_STORE(d, __builtin_convertvector(__builtin_shufflevector(a, a, 0, 1), swasm_f64x2));
}
SWASM_SIMD void swasm_f32x4_demote_f64x2_zero(uint64_t *d, const uint64_t *pa) {
  swasm_f64x2 a = SWASM_LOAD(swasm_f64x2, pa);
  swasm_f32x2 r = __builtin_convertvector(a, swasm_f32x2);
  SWASM_STORE(d, __builtin_shufflevector(r, (swasm_f32x2){0, 0}, 0, 1, 2, 3));
}
SWASM_SIMD void swasm_f64x2_promote_low_f32x4(uint64_t *d, const uint64_t *pa) {
  swasm_f32x4 a = SWASM_LOAD(swasm_f32x4, pa);
  SWASM_STORE(d, __builtin_convertvector(__builtin_shufflevector(a, a, 0, 1), swasm_f64x2));
}

#undef SWASM_BINARY
#undef SWASM_UNARY
#undef SWASM_ALL_TRUE

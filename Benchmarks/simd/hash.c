// Hashing a buffer in lanes with wasm_simd128.h intrinsics and a scalar fallback that computes the same values:
// an 8 x 32-bit multiply-xor-rotate hash (i32x4.mul, shifts, lanes seeded with replace_lane and finished with
// shuffles and extract_lane), an XXH3-style 4 x 64-bit hash (i64x2.extmul of 32-bit halves, i64x2 shuffles, adds,
// and an i64x2.mul scramble), and a population count of the buffer (i8x16.popcnt, widened with extadd_pairwise).
// Prints (both builds): checksum: 2994691037 16542292150427756
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define ROUNDS 1400
#define N (1 << 16)                     // bytes, a multiple of 16
#define P1 0x9E3779B1u
#define P2 0x85EBCA77u
#define P64 0xC2B2AE3D27D4EB4Full
static uint8_t data[N] __attribute__((aligned(16)));

static uint32_t load32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint32_t rotl32(uint32_t v, int k) { return v << k | v >> (32 - k); }
static uint32_t mix32(uint32_t h) { h ^= h >> 15; h *= P2; h ^= h >> 13; h *= P1; return h ^ (h >> 16); }

#ifdef __wasm_simd128__

static uint32_t hash32(const uint8_t *s, uint32_t seed) {
  // Two states of four lanes (32 bytes a step): two independent multiply chains.
  v128_t a = wasm_i32x4_splat((int32_t)seed);
  a = wasm_i32x4_replace_lane(a, 1, (int32_t)(seed + P1));
  a = wasm_i32x4_replace_lane(a, 2, (int32_t)(seed ^ P2));
  a = wasm_i32x4_replace_lane(a, 3, (int32_t)(seed - P1));
  v128_t b = wasm_i32x4_add(a, wasm_i32x4_splat((int32_t)P2));
  const v128_t p1 = wasm_i32x4_splat((int32_t)P1), p2 = wasm_i32x4_splat((int32_t)P2);
  for (int i = 0; i < N; i += 32) {
    a = wasm_i32x4_mul(wasm_v128_xor(a, wasm_v128_load(s + i)), p1);
    b = wasm_i32x4_mul(wasm_v128_xor(b, wasm_v128_load(s + i + 16)), p1);
    a = wasm_i32x4_add(wasm_v128_or(wasm_i32x4_shl(a, 13), wasm_u32x4_shr(a, 19)), p2);
    b = wasm_i32x4_add(wasm_v128_or(wasm_i32x4_shl(b, 13), wasm_u32x4_shr(b, 19)), p2);
  }
  uint32_t h = 0;
  for (int lane = 0; lane < 4; lane++) {
    // extract_lane needs a constant lane index: rotate the lanes instead.
    h = rotl32(h, 7) ^ mix32((uint32_t)wasm_i32x4_extract_lane(a, 0));
    h ^= mix32((uint32_t)wasm_i32x4_extract_lane(b, 0));
    a = wasm_i32x4_shuffle(a, a, 1, 2, 3, 0);
    b = wasm_i32x4_shuffle(b, b, 1, 2, 3, 0);
  }
  return h;
}

// XXH3-style: each 64-bit lane adds the product of the low and high halves of (data ^ key), and the other lane
// adds the data itself; every 1 KB the accumulators are scrambled with a 64-bit multiply.
static uint64_t hash64(const uint8_t *s, uint64_t seed) {
  v128_t acc[2] = {wasm_i64x2_make((int64_t)seed, (int64_t)~seed),
                   wasm_i64x2_make((int64_t)(seed * P64), (int64_t)P64)};
  const v128_t key = wasm_i64x2_make((int64_t)0xBE4BA423396CFEB8ull, (int64_t)0x1CAD21F72C81017Cull);
  const v128_t prime = wasm_i64x2_splat((int64_t)P64);
  for (int block = 0; block < N; block += 1024) {
    for (int i = block; i < block + 1024; i += 32)
      for (int k = 0; k < 2; k++) {
        v128_t data = wasm_v128_load(s + i + 16 * k);
        v128_t mixed = wasm_v128_xor(data, key);
        v128_t product = wasm_u64x2_extmul_low_u32x4(wasm_i32x4_shuffle(mixed, mixed, 0, 2, 0, 0),
                                                     wasm_i32x4_shuffle(mixed, mixed, 1, 3, 0, 0));
        acc[k] = wasm_i64x2_add(wasm_i64x2_add(acc[k], product), wasm_i64x2_shuffle(data, data, 1, 0));
      }
    for (int k = 0; k < 2; k++)
      acc[k] = wasm_i64x2_mul(wasm_v128_xor(acc[k], wasm_u64x2_shr(acc[k], 47)), prime);
  }
  uint64_t h = 0;
  for (int k = 0; k < 2; k++)
    h = h * 31 + (uint64_t)wasm_i64x2_extract_lane(acc[k], 0) * 17 + (uint64_t)wasm_i64x2_extract_lane(acc[k], 1);
  return h;
}

static uint32_t popcount(const uint8_t *s) {
  v128_t total = wasm_i32x4_splat(0);
  for (int i = 0; i < N; i += 16) {
    v128_t bits = wasm_u16x8_extadd_pairwise_u8x16(wasm_i8x16_popcnt(wasm_v128_load(s + i)));
    total = wasm_i32x4_add(total, wasm_u32x4_extadd_pairwise_u16x8(bits));
  }
  v128_t pairs = wasm_i32x4_add(total, wasm_i32x4_shuffle(total, total, 2, 3, 0, 1));
  return (uint32_t)wasm_i32x4_extract_lane(wasm_i32x4_add(pairs, wasm_i32x4_shuffle(pairs, pairs, 1, 0, 3, 2)), 0);
}

#else

static uint32_t hash32(const uint8_t *s, uint32_t seed) {
  uint32_t a[4] = {seed, seed + P1, seed ^ P2, seed - P1}, b[4];
  for (int lane = 0; lane < 4; lane++) b[lane] = a[lane] + P2;
  for (int i = 0; i < N; i += 32)
    for (int lane = 0; lane < 4; lane++) {
      a[lane] = rotl32((a[lane] ^ load32(s + i + 4 * lane)) * P1, 13) + P2;
      b[lane] = rotl32((b[lane] ^ load32(s + i + 16 + 4 * lane)) * P1, 13) + P2;
    }
  uint32_t h = 0;
  for (int lane = 0; lane < 4; lane++) h = rotl32(h, 7) ^ mix32(a[lane]) ^ mix32(b[lane]);
  return h;
}

static uint64_t hash64(const uint8_t *s, uint64_t seed) {
  uint64_t acc[4] = {seed, ~seed, seed * P64, P64};
  const uint64_t key[2] = {0xBE4BA423396CFEB8ull, 0x1CAD21F72C81017Cull};
  for (int block = 0; block < N; block += 1024) {
    for (int i = block; i < block + 1024; i += 32)
      for (int lane = 0; lane < 4; lane++) {
        uint64_t data, other;
        memcpy(&data, s + i + 8 * lane, 8);
        memcpy(&other, s + i + 8 * (lane ^ 1), 8);
        uint64_t mixed = data ^ key[lane & 1];
        acc[lane] += (mixed & 0xFFFFFFFF) * (mixed >> 32) + other;
      }
    for (int lane = 0; lane < 4; lane++) acc[lane] = (acc[lane] ^ (acc[lane] >> 47)) * P64;
  }
  uint64_t h = 0;
  for (int k = 0; k < 2; k++) h = h * 31 + acc[2 * k] * 17 + acc[2 * k + 1];
  return h;
}

static uint32_t popcount(const uint8_t *s) {
  uint32_t total = 0;
  for (int i = 0; i < N; i++) total += (uint32_t)__builtin_popcount(s[i]);
  return total;
}

#endif

int main(void) {
  uint32_t x = 1;
  for (int i = 0; i < N; i++) { x = x * 1664525u + 1013904223u; data[i] = (uint8_t)(x >> 24); }
  uint32_t check = 0;
  uint64_t check64 = 0;
  for (int round = 0; round < ROUNDS; round++) {
    uint32_t h = hash32(data, (uint32_t)round);
    check = check * 31 + h;
    check64 = check64 * 31 + hash64(data, check64 ^ h);
    check = check * 31 + popcount(data);
    data[h % N] ^= (uint8_t)(h >> 24);       // every round hashes different data
  }
  printf("checksum: %u %llu\n", check, (unsigned long long)check64);
  return 0;
}

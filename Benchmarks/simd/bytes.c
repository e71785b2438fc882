// Byte scanning over generated UTF-8 text with wasm_simd128.h intrinsics and a scalar fallback that computes the
// same results: counting a byte (i8x16.eq, with byte counters widened by extadd_pairwise), finding every
// occurrence of a byte (memchr-like: i8x16.bitmask and count-trailing-zeros), UTF-8 validation with an ASCII fast
// path (i8x16.all_true of a signed compare), ASCII upper-casing (range compare, v128.and, i8x16.sub), and hex
// encoding (i8x16.swizzle as a nibble lookup table, bytes interleaved with i8x16.shuffle).
// Prints (both builds): checksum: 1417258119
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define ROUNDS 80
#define N (1 << 17)                     // a multiple of 16: the SIMD loops need no tail
#define HEX 4096                        // bytes hex-encoded per round
static uint8_t text[N] __attribute__((aligned(16)));
static uint8_t upper[N] __attribute__((aligned(16)));
static uint8_t hex[2 * HEX] __attribute__((aligned(16)));

// One UTF-8 sequence at text[i]: its length, or 1 with *bad set when it is malformed. Shared by both builds.
static size_t utf8_sequence(const uint8_t *s, size_t i, size_t n, uint32_t *bad) {
  uint8_t c = s[i];
  if (c < 0x80) return 1;
  size_t length;
  uint8_t lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) length = 2;
  else if (c >= 0xE0 && c <= 0xEF) { length = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
  else if (c >= 0xF0 && c <= 0xF4) { length = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
  else { ++*bad; return 1; }
  if (i + length > n || s[i + 1] < lo || s[i + 1] > hi) { ++*bad; return 1; }
  for (size_t k = 2; k < length; k++)
    if (s[i + k] < 0x80 || s[i + k] > 0xBF) { ++*bad; return 1; }
  return length;
}

#ifdef __wasm_simd128__

static uint32_t count_byte(const uint8_t *s, size_t n, uint8_t byte) {
  const v128_t needle = wasm_i8x16_splat((int8_t)byte);
  v128_t total = wasm_i32x4_splat(0);
  for (size_t i = 0; i < n;) {
    // Up to 255 blocks per batch: each lane counts in a byte (a match is -1, subtracted).
    size_t end = i + 255 * 16 < n ? i + 255 * 16 : n;
    v128_t counts = wasm_i8x16_splat(0);
    for (; i < end; i += 16) counts = wasm_i8x16_sub(counts, wasm_i8x16_eq(wasm_v128_load(s + i), needle));
    total = wasm_i32x4_add(total, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(counts)));
  }
  return wasm_u32x4_extract_lane(total, 0) + wasm_u32x4_extract_lane(total, 1) +
         wasm_u32x4_extract_lane(total, 2) + wasm_u32x4_extract_lane(total, 3);
}

// Every position of byte, folded into a hash (in order).
static uint32_t find_all(const uint8_t *s, size_t n, uint8_t byte) {
  const v128_t needle = wasm_i8x16_splat((int8_t)byte);
  uint32_t hash = 0;
  for (size_t i = 0; i < n; i += 16) {
    uint32_t mask = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(s + i), needle));
    while (mask) {
      hash = hash * 31 + (uint32_t)(i + __builtin_ctz(mask));
      mask &= mask - 1;
    }
  }
  return hash;
}

static uint32_t validate(const uint8_t *s, size_t n, uint32_t *bad) {
  const v128_t zero = wasm_i8x16_splat(0);
  uint32_t characters = 0;
  for (size_t i = 0; i < n;) {
    // Sixteen ASCII bytes (all >= 0 as signed bytes) at once.
    if ((i & 15) == 0 && i + 16 <= n && wasm_i8x16_all_true(wasm_i8x16_ge(wasm_v128_load(s + i), zero))) {
      i += 16;
      characters += 16;
      continue;
    }
    i += utf8_sequence(s, i, n, bad);
    characters++;
  }
  return characters;
}

static void to_upper(uint8_t *out, const uint8_t *s, size_t n) {
  const v128_t a = wasm_i8x16_splat('a'), letters = wasm_i8x16_splat(26), bit = wasm_i8x16_splat(0x20);
  for (size_t i = 0; i < n; i += 16) {
    v128_t v = wasm_v128_load(s + i);
    v128_t lower = wasm_u8x16_lt(wasm_i8x16_sub(v, a), letters);
    wasm_v128_store(out + i, wasm_i8x16_sub(v, wasm_v128_and(lower, bit)));
  }
}

static void hex_encode(uint8_t *out, const uint8_t *s, size_t n) {
  const v128_t digits =
      wasm_i8x16_make('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f');
  const v128_t low_nibble = wasm_i8x16_splat(0x0F);
  for (size_t i = 0; i < n; i += 16) {
    v128_t v = wasm_v128_load(s + i);
    v128_t hi = wasm_i8x16_swizzle(digits, wasm_u8x16_shr(v, 4));
    v128_t lo = wasm_i8x16_swizzle(digits, wasm_v128_and(v, low_nibble));
    wasm_v128_store(out + 2 * i, wasm_i8x16_shuffle(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
    wasm_v128_store(out + 2 * i + 16,
                    wasm_i8x16_shuffle(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31));
  }
}

#else

static uint32_t count_byte(const uint8_t *s, size_t n, uint8_t byte) {
  uint32_t count = 0;
  for (size_t i = 0; i < n; i++) count += s[i] == byte;
  return count;
}

static uint32_t find_all(const uint8_t *s, size_t n, uint8_t byte) {
  uint32_t hash = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == byte) hash = hash * 31 + (uint32_t)i;
  return hash;
}

static uint32_t validate(const uint8_t *s, size_t n, uint32_t *bad) {
  uint32_t characters = 0;
  for (size_t i = 0; i < n; characters++) i += utf8_sequence(s, i, n, bad);
  return characters;
}

static void to_upper(uint8_t *out, const uint8_t *s, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = s[i] >= 'a' && s[i] <= 'z' ? s[i] - 0x20 : s[i];
}

static void hex_encode(uint8_t *out, const uint8_t *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = "0123456789abcdef"[s[i] >> 4];
    out[2 * i + 1] = "0123456789abcdef"[s[i] & 15];
  }
}

#endif

static uint32_t seed = 88172645u;
static uint32_t next(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

// Words of lower-case letters, punctuation and line breaks, with some 2-, 3- and 4-byte characters and a few
// malformed bytes.
static void generate(void) {
  static const char *const multibyte[] = {"\xC3\xA9", "\xC3\xBC", "\xE2\x82\xAC", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80"};
  size_t n = 0;
  while (n < N) {
    uint32_t r = next();
    if (r % 11 == 0) {
      for (const char *m = multibyte[(r >> 8) % 5]; *m && n < N; m++) text[n++] = (uint8_t)*m;
    } else if (r % 97 == 0) {
      text[n++] = (uint8_t)(0x80 + (r >> 24) % 0x80);
    } else {
      uint32_t length = 1 + (r >> 4) % 9;
      for (uint32_t k = 0; k < length && n < N; k++) text[n++] = (uint8_t)('a' + (r >> (k * 3)) % 26);
    }
    if (n < N) text[n++] = " ,.\n"[(r >> 28) % 4];
  }
}

int main(void) {
  generate();
  uint32_t check = 0;
  for (int round = 0; round < ROUNDS; round++) {
    uint32_t bad = 0;
    check = check * 31 + count_byte(text, N, '\n');
    check = check * 31 + count_byte(text, N, (uint8_t)('a' + round % 26));
    check = check * 31 + find_all(text, N, ',');
    check = check * 31 + validate(text, N, &bad);
    check = check * 31 + bad;
    to_upper(upper, text, N);
    uint32_t sum = 0;
    for (size_t i = 0; i < N; i++) sum += (uint32_t)upper[i] * (uint32_t)(i & 255);
    check = check * 31 + sum;
    hex_encode(hex, text + (round * 4096) % (N - HEX), HEX);
    for (size_t i = 0; i < 2 * HEX; i++) sum = sum * 33 + hex[i];
    check = check * 31 + sum;
    // Mutate the text a little so that every round sees different bytes.
    for (int k = 0; k < 64; k++) text[next() % N] = (uint8_t)('a' + next() % 26);
  }
  printf("checksum: %u\n", check);
  return 0;
}

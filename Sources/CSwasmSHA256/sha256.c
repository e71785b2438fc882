// SHA-256 (FIPS 180-4) in portable C. swasm hashes module bytes for cache keys; a library for this alone
// (libcrypto) had cost every process about 0.9 ms to load and initialise.
#include "CSwasmSHA256.h"

#include <string.h>

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static inline uint32_t load_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void compress_portable(uint32_t state[8], const uint8_t *block, size_t blocks) {
  for (; blocks > 0; blocks--, block += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) w[i] = load_be32(block + 4 * i);
    for (int i = 16; i < 64; i++) {
      uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
      uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g; g = f; f = e; e = d + t1;
      d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
  }
}

#if defined(__x86_64__) && defined(__clang__)
#include <cpuid.h>
void swasm_sha256_compress_shani(uint32_t state[8], const uint8_t *block, size_t blocks, const uint32_t k[64]);

static void compress_shani(uint32_t state[8], const uint8_t *block, size_t blocks) {
  swasm_sha256_compress_shani(state, block, blocks, K);
}

/// The SHA extensions' version where the processor has them (CPUID leaf 7: SHA; leaf 1: SSSE3 and SSE4.1).
static swasm_sha256_compress_function fastest_compress(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & (1u << 29))) return compress_portable;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19))) return compress_portable;
  return compress_shani;
}
#else
static swasm_sha256_compress_function fastest_compress(void) { return compress_portable; }
#endif

static void init_with(swasm_sha256_context *context, swasm_sha256_compress_function compress) {
  static const uint32_t initial[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };
  memcpy(context->state, initial, sizeof initial);
  context->compress = compress;
  context->length = 0;
  context->buffered = 0;
}

void swasm_sha256_init(swasm_sha256_context *context) {
  static swasm_sha256_compress_function fastest;  // chosen once; threads racing to choose choose the same
  swasm_sha256_compress_function chosen = __atomic_load_n(&fastest, __ATOMIC_RELAXED);
  if (!chosen) {
    chosen = fastest_compress();
    __atomic_store_n(&fastest, chosen, __ATOMIC_RELAXED);
  }
  init_with(context, chosen);
}

void swasm_sha256_init_portable(swasm_sha256_context *context) {
  init_with(context, compress_portable);
}

void swasm_sha256_update(swasm_sha256_context *context, const void *data, size_t count) {
  if (count == 0) return;
  const uint8_t *bytes = data;
  context->length += count;
  if (context->buffered > 0) {
    size_t take = 64 - context->buffered < count ? 64 - context->buffered : count;
    memcpy(context->buffer + context->buffered, bytes, take);
    context->buffered += take;
    bytes += take;
    count -= take;
    if (context->buffered < 64) return;
    context->compress(context->state, context->buffer, 1);
    context->buffered = 0;
  }
  context->compress(context->state, bytes, count / 64);
  bytes += count / 64 * 64;
  count %= 64;
  memcpy(context->buffer, bytes, count);
  context->buffered = count;
}

void swasm_sha256_final(swasm_sha256_context *context, uint8_t digest[32]) {
  uint64_t bits = context->length * 8;
  uint8_t padding[72] = {0x80};
  // Pad to 56 bytes modulo 64, then the length in bits, big-endian.
  size_t pad = (context->buffered < 56 ? 56 : 120) - context->buffered;
  for (int i = 0; i < 8; i++) padding[pad + i] = (uint8_t)(bits >> (56 - 8 * i));
  swasm_sha256_update(context, padding, pad + 8);
  for (int i = 0; i < 8; i++) {
    digest[4 * i] = (uint8_t)(context->state[i] >> 24);
    digest[4 * i + 1] = (uint8_t)(context->state[i] >> 16);
    digest[4 * i + 2] = (uint8_t)(context->state[i] >> 8);
    digest[4 * i + 3] = (uint8_t)context->state[i];
  }
}

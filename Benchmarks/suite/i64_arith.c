// 64-bit arithmetic: modular exponentiation with 64-bit multiply and remainder, and a 64-bit mixing hash.
#include <stdint.h>
#include <stdio.h>

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) {
  uint64_t r = 0;
  a %= m;
  while (b) {
    if (b & 1) { r += a; if (r >= m) r -= m; }
    a <<= 1; if (a >= m) a -= m;
    b >>= 1;
  }
  return r;
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
  uint64_t r = 1;
  while (e) {
    if (e & 1) r = mulmod(r, b, m);
    b = mulmod(b, b, m);
    e >>= 1;
  }
  return r;
}

int main(void) {
  uint64_t acc = 0;
  for (uint64_t i = 1; i <= 15000; i++) acc ^= powmod(i * 2654435761u, 0xFFFFFFFFull + i, 0x7FFFFFFFFFFFFFE7ull);
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (uint64_t i = 0; i < 50000000; i++) {
    h ^= i * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 31)) * 0x94D049BB133111EBull;
    h += (int64_t)h < 0 ? i / 3 : i % 7;
  }
  printf("checksum: %llu\n", (unsigned long long)(acc ^ h));
  return 0;
}

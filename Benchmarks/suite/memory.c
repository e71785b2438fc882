// Memory-bound loops over large arrays: a stream triad, a prefix sum and a strided gather over 16 MB of data.
#include <stdint.h>
#include <stdio.h>

#define N (2 * 1024 * 1024)
static uint32_t a[N], b[N], c[N];

int main(void) {
  for (uint32_t i = 0; i < N; i++) { a[i] = i * 2654435761u; b[i] = i ^ 0x5555; }
  uint32_t check = 0;
  for (int round = 0; round < 20; round++) {
    for (uint32_t i = 0; i < N; i++) c[i] = a[i] + 3 * b[i];
    for (uint32_t i = 1; i < N; i++) c[i] += c[i - 1];
    uint32_t j = round;
    for (uint32_t i = 0; i < N; i++) { check += c[j]; j = (j + 4099) & (N - 1); }
    for (uint32_t i = 0; i < N; i++) b[i] = c[i] >> 3;
  }
  printf("checksum: %u\n", check);
  return 0;
}

// memory.copy and memory.fill (compiled with bulk memory: memcpy/memset become single instructions), mixed with
// small loops that read the copies.
#include <stdio.h>
#include <string.h>

#define SIZE (1 << 20)
static unsigned char src[SIZE], dst[SIZE];

int main(void) {
  for (int i = 0; i < SIZE; i++) src[i] = (unsigned char)(i * 131 + 7);
  unsigned check = 0;
  for (int round = 0; round < 40000; round++) {
    int n = 4096 + (round * 7919) % (SIZE - 8192);
    memset(dst, round & 0xFF, n);
    memcpy(dst + (round & 4095), src + (round * 13 % 4096), n);
    memmove(dst + 1, dst, n / 2);
    for (int i = 0; i < 4096; i += 64) check = check * 31 + dst[i + (round & 63)];
  }
  for (int round = 0; round < 12000000; round++) {
    unsigned char small[48];
    memcpy(small, src + (round & 0xFFFF), 48);
    memset(small + (round & 15), 0, 16);
    check += small[round % 48];
  }
  printf("checksum: %u\n", check);
  return 0;
}

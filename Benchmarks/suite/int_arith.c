// Integer arithmetic and branches: Collatz sequence lengths and a xorshift-driven branchy state machine (i32).
#include <stdio.h>

int main(void) {
  unsigned longest = 0, total = 0;
  for (unsigned start = 1; start < 1200000; start++) {
    unsigned n = start, steps = 0;
    while (n != 1 && steps < 1000) {
      n = (n & 1) ? 3 * n + 1 : n >> 1;
      steps++;
    }
    total += steps;
    if (steps > longest) longest = steps;
  }
  unsigned x = 2463534242u, state = 0, acc = 0;
  for (int i = 0; i < 30000000; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    switch ((x >> 7) & 3) {
      case 0: state = state * 3 + 1; break;
      case 1: state ^= x; break;
      case 2: state = (state >> 1) | (state << 31); break;
      default: if (state > x) state -= x; else state += 7;
    }
    acc += state & 0xFF;
  }
  printf("checksum: %u\n", total ^ longest ^ acc);
  return 0;
}

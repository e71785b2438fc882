// Recursion and call-heavy code: recursive fib, Ackermann, and many small non-inlined functions.
#include <stdio.h>

__attribute__((noinline)) static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
__attribute__((noinline)) static unsigned ack(unsigned m, unsigned n) {
  return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1));
}
__attribute__((noinline)) static unsigned mix(unsigned a, unsigned b, unsigned c) { return (a * 31 + b) ^ (c >> 3); }
__attribute__((noinline)) static unsigned step(unsigned x) { return mix(x, x >> 5, x << 2) + 1; }

int main(void) {
  unsigned acc = fib(35);
  acc += ack(2, 2000) + ack(3, 7);
  unsigned x = 1;
  for (int i = 0; i < 30000000; i++) x = step(x);
  printf("checksum: %u\n", acc ^ x);
  return 0;
}

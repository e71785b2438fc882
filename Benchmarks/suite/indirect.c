// Indirect calls through a table: a virtual-dispatch style loop over shapes, and a function-pointer pipeline.
#include <stdio.h>

typedef unsigned (*op_fn)(unsigned, unsigned);
__attribute__((noinline)) static unsigned op_add(unsigned a, unsigned b) { return a + b; }
__attribute__((noinline)) static unsigned op_xor(unsigned a, unsigned b) { return a ^ b; }
__attribute__((noinline)) static unsigned op_mul(unsigned a, unsigned b) { return a * (b | 1); }
__attribute__((noinline)) static unsigned op_rot(unsigned a, unsigned b) { return (a << (b & 31)) | (a >> ((32 - b) & 31)); }
__attribute__((noinline)) static unsigned op_sub(unsigned a, unsigned b) { return a - b; }
__attribute__((noinline)) static unsigned op_min(unsigned a, unsigned b) { return a < b ? a : b; }
static op_fn ops[8] = {op_add, op_xor, op_mul, op_rot, op_sub, op_min, op_add, op_xor};

struct shape { unsigned (*area)(const struct shape *); unsigned w, h; };
__attribute__((noinline)) static unsigned rect(const struct shape *s) { return s->w * s->h; }
__attribute__((noinline)) static unsigned tri(const struct shape *s) { return s->w * s->h / 2; }
__attribute__((noinline)) static unsigned sq(const struct shape *s) { return s->w * s->w; }

int main(void) {
  static struct shape shapes[64];
  unsigned (*kinds[3])(const struct shape *) = {rect, tri, sq};
  for (int i = 0; i < 64; i++) shapes[i] = (struct shape){kinds[i % 3], (unsigned)i + 1, (unsigned)(i * 7 % 13) + 1};
  unsigned acc = 0;
  for (int r = 0; r < 600000; r++)
    for (int i = 0; i < 64; i++) acc += shapes[i].area(&shapes[i]);
  unsigned x = 12345;
  for (int i = 0; i < 40000000; i++) x = ops[(x >> 3) & 7](x, (unsigned)i);
  printf("checksum: %u\n", acc ^ x);
  return 0;
}

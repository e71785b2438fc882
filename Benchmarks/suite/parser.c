// A byte-oriented parser and interpreter loop: tokenizes generated arithmetic expressions and evaluates them with
// a small stack machine (switch dispatch over bytes).
#include <stdio.h>

static char text[1 << 20];

static int generate(unsigned seed) {
  int n = 0;
  for (int e = 0; e < 20000; e++) {
    int terms = 3 + (seed >> 28);
    for (int t = 0; t < terms; t++) {
      seed = seed * 1103515245u + 12345u;
      n += sprintf(text + n, "%u", (seed >> 16) % 1000);
      if (t + 1 < terms) text[n++] = "+-*"[(seed >> 8) % 3];
    }
    text[n++] = ';';
  }
  text[n] = 0;
  return n;
}

static long evaluate(const char *p) {
  long total = 0, stack[64];
  int sp = 0;
  char pending = 0;
  long number = 0;
  int in_number = 0;
  for (;; p++) {
    char c = *p;
    switch (c) {
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        number = number * 10 + (c - '0');
        in_number = 1;
        break;
      case '+': case '-': case '*': case ';': case 0:
        if (in_number) {
          if (pending == '*') stack[sp - 1] *= number;
          else if (pending == '-') stack[sp++] = -number;
          else stack[sp++] = number;
          number = 0;
          in_number = 0;
        }
        if (c == '+' || c == '-' || c == '*') { pending = c; break; }
        while (sp > 0) total += stack[--sp];
        pending = 0;
        if (c == 0) return total;
        break;
      default:
        break;
    }
  }
}

int main(void) {
  int n = generate(42);
  long check = 0;
  for (int round = 0; round < 60; round++) check = check * 7 + evaluate(text + (round % 7));
  printf("checksum: %ld %d\n", check, n);
  return 0;
}

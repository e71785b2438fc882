// Loop-heavy integer and memory work: a sieve of Eratosthenes, an integer matrix multiply and a byte hash.
// Exported as run(); returns a checksum. No libc: the module has no imports at all.
#define SIEVE_N 4000000
#define MAT_N 160

static unsigned char sieve[SIEVE_N];
static int a[MAT_N][MAT_N], b[MAT_N][MAT_N], c[MAT_N][MAT_N];

static unsigned count_primes(void) {
  for (int i = 0; i < SIEVE_N; i++) sieve[i] = 1;
  sieve[0] = sieve[1] = 0;
  for (int i = 2; (long)i * i < SIEVE_N; i++)
    if (sieve[i])
      for (int j = i * i; j < SIEVE_N; j += i) sieve[j] = 0;
  unsigned count = 0;
  for (int i = 0; i < SIEVE_N; i++) count += sieve[i];
  return count;
}

static unsigned matmul(void) {
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      a[i][j] = (i * 31 + j * 17) % 101;
      b[i][j] = (i * 7 + j * 13) % 97;
    }
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      int sum = 0;
      for (int k = 0; k < MAT_N; k++) sum += a[i][k] * b[k][j];
      c[i][j] = sum;
    }
  unsigned h = 0;
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) h = h * 31 + (unsigned)c[i][j];
  return h;
}

static unsigned fnv(void) {
  unsigned h = 2166136261u;
  for (int round = 0; round < 8; round++)
    for (int i = 0; i < SIEVE_N; i++) h = (h ^ sieve[i] ^ (unsigned char)i) * 16777619u;
  return h;
}

__attribute__((export_name("run"))) int run(void) {
  unsigned primes = 0, m = 0;
  for (int rep = 0; rep < 3; rep++) {
    primes += count_primes();
    m ^= matmul();
  }
  return (int)(primes ^ m ^ fnv());
}

// Autovectorized float loops (plain C; -O3 -msimd128 turns them into f32x4/f64x2 code): saxpy steps, a clamp,
// float-to-int and int-to-float conversions, and an f64 pass fed by f32 values (promotion, abs, division). Every
// operation is elementwise, so the SIMD and scalar builds compute bit-identical floats; the checksum sums their
// bit patterns.
// Prints (both builds): checksum: 971942466 2903824613 4535317630745374954 15096609493586126079 -934022
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ROUNDS 3000
#define N 4096
static float x[N], y[N];
static int32_t q[N];
static double u[N], v[N];

static uint32_t bits32(const float *a, int n) {
  uint32_t sum = 0;
  for (int i = 0; i < n; i++) {
    uint32_t b;
    memcpy(&b, &a[i], 4);
    sum += b;
  }
  return sum;
}

static uint64_t bits64(const double *a, int n) {
  uint64_t sum = 0;
  for (int i = 0; i < n; i++) {
    uint64_t b;
    memcpy(&b, &a[i], 8);
    sum += b;
  }
  return sum;
}

int main(void) {
  for (int i = 0; i < N; i++) {
    x[i] = (float)(i % 97) * 25.0f - 1200.0f;
    y[i] = (float)(i % 13) * 1.5f;
    u[i] = (double)(i % 31) * 0.125;
    v[i] = 1.0;
  }
  int64_t qsum = 0;
  for (int round = 0; round < ROUNDS; round++) {
    // An oscillator (x, y) turned by a small angle with two saxpy steps (symplectic Euler: the amplitude
    // neither grows nor decays, so no value drifts to infinity or into subnormals), y clamped.
    float a = (float)(1 + (round & 3)) * 0.01f;
    for (int i = 0; i < N; i++) y[i] = a * x[i] + y[i];
    for (int i = 0; i < N; i++) x[i] = -a * y[i] + x[i];
    for (int i = 0; i < N; i++) y[i] = y[i] > 1000.0f ? 1000.0f : (y[i] < -1000.0f ? -1000.0f : y[i]);
    if ((round & 15) == 15) {
      // Quantize: truncate to integers (in range, so no saturation), accumulate, and convert back.
      for (int i = 0; i < N; i++) q[i] = (int32_t)(y[i] * 16.0f);
      for (int i = 0; i < N; i++) qsum += q[i];
      for (int i = 0; i < N; i++) y[i] = (float)q[i] * 0.0625f;
    }
    for (int i = 0; i < N; i++) u[i] = u[i] * 0.75 + (double)x[i];
    for (int i = 0; i < N; i++) v[i] = v[i] * 0.5 + u[i] * u[i] / (1000.0 + fabs(u[i]));
  }
  printf("checksum: %u %u %llu %llu %lld\n", bits32(x, N), bits32(y, N), (unsigned long long)bits64(u, N),
         (unsigned long long)bits64(v, N), (long long)qsum);
  return 0;
}

// A small quantized neural network with wasm_simd128.h intrinsics and a scalar fallback that computes the same
// integers: int16 matrix-vector products with i32x4.dot_i16x8_s (row sums gathered with i32x4 shuffles), then a
// requantization through f32 (convert, scale, round to nearest, truncate back: exact per lane), saturating
// narrowing to int16, a leaky ReLU (i16x8.q15mulr_sat_s, max), a saturating bias add and a clamp (min/max).
// Prints (both builds): checksum: 3718653275
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define ROUNDS 400
#define SIZE 256                        // neurons per layer; the matrices are SIZE x SIZE
#define LAYERS 4
#define SCALE (1.0f / 512)
static int16_t weights[LAYERS][SIZE][SIZE] __attribute__((aligned(16)));
static int16_t bias[LAYERS][SIZE] __attribute__((aligned(16)));
static int16_t activations[2][SIZE] __attribute__((aligned(16)));

#ifdef __wasm_simd128__

static void layer(const int16_t (*w)[SIZE], const int16_t *b, const int16_t *in, int16_t *out) {
  for (int row = 0; row < SIZE; row += 8) {
    v128_t sums[2];
    for (int group = 0; group < 2; group++) {
      v128_t acc[4];
      for (int r = 0; r < 4; r++) {
        const int16_t *weight = w[row + 4 * group + r];
        v128_t a = wasm_i32x4_splat(0);
        for (int k = 0; k < SIZE; k += 8)
          a = wasm_i32x4_add(a, wasm_i32x4_dot_i16x8(wasm_v128_load(weight + k), wasm_v128_load(in + k)));
        acc[r] = a;
      }
      // Transpose-and-add: lane r of the result is the sum of acc[r]'s four lanes.
      v128_t s01 = wasm_i32x4_add(wasm_i32x4_shuffle(acc[0], acc[1], 0, 4, 1, 5),
                                  wasm_i32x4_shuffle(acc[0], acc[1], 2, 6, 3, 7));
      v128_t s23 = wasm_i32x4_add(wasm_i32x4_shuffle(acc[2], acc[3], 0, 4, 1, 5),
                                  wasm_i32x4_shuffle(acc[2], acc[3], 2, 6, 3, 7));
      v128_t total = wasm_i32x4_add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5),
                                    wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
      v128_t scaled = wasm_f32x4_nearest(wasm_f32x4_mul(wasm_f32x4_convert_i32x4(total), wasm_f32x4_splat(SCALE)));
      sums[group] = wasm_i32x4_trunc_sat_f32x4(scaled);
    }
    v128_t v = wasm_i16x8_narrow_i32x4(sums[0], sums[1]);
    v = wasm_i16x8_max(v, wasm_i16x8_q15mulr_sat(v, wasm_i16x8_splat(4096)));   // x > 0 ? x : x / 8
    v = wasm_i16x8_add_sat(v, wasm_v128_load(b + row));
    v = wasm_i16x8_min(wasm_i16x8_max(v, wasm_i16x8_splat(-1024)), wasm_i16x8_splat(1023));
    wasm_v128_store(out + row, v);
  }
}

#else

static int32_t saturate16(int32_t v) { return v < -32768 ? -32768 : (v > 32767 ? 32767 : v); }

static void layer(const int16_t (*w)[SIZE], const int16_t *b, const int16_t *in, int16_t *out) {
  for (int row = 0; row < SIZE; row++) {
    int32_t acc = 0;
    for (int k = 0; k < SIZE; k++) acc += (int32_t)w[row][k] * in[k];
    int32_t v = saturate16((int32_t)rintf((float)acc * SCALE));
    int32_t leak = saturate16((v * 4096 + 0x4000) >> 15);
    v = v > leak ? v : leak;
    v = saturate16(v + b[row]);
    out[row] = (int16_t)(v < -1024 ? -1024 : (v > 1023 ? 1023 : v));
  }
}

#endif

int main(void) {
  uint32_t seed = 123456789u;
  for (int l = 0; l < LAYERS; l++) {
    for (int r = 0; r < SIZE; r++) {
      for (int k = 0; k < SIZE; k++) {
        seed = seed * 1664525u + 1013904223u;
        weights[l][r][k] = (int16_t)((int32_t)(seed >> 24) - 128);
      }
      bias[l][r] = (int16_t)((r * 37 + l * 11) % 64 - 32);
    }
  }
  uint32_t check = 0;
  for (int round = 0; round < ROUNDS; round++) {
    for (int k = 0; k < SIZE; k++) activations[0][k] = (int16_t)(((k * 29 + round * 7) & 2047) - 1024);
    for (int l = 0; l < LAYERS; l++) layer(weights[l], bias[l], activations[l & 1], activations[(l + 1) & 1]);
    for (int k = 0; k < SIZE; k++) check = check * 31 + (uint16_t)activations[LAYERS & 1][k];
  }
  printf("checksum: %u\n", check);
  return 0;
}

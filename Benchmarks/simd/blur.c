// A separable 3x3 binomial blur ([1 2 1] x [1 2 1] / 16) of an 8-bit image, then an edge count (pixels whose
// difference to the blurred image exceeds a threshold), with wasm_simd128.h intrinsics and a scalar fallback that
// computes the same integers. The horizontal pass builds the left and right neighbours with i8x16.shuffle from
// aligned loads, widens to 16 bits, and the vertical pass narrows back with saturation.
// Prints (both builds): checksum: 1255051897 4257527051
#include <stdint.h>
#include <stdio.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define ROUNDS 140
#define W 512
#define H 256
#define PAD 16                  // zero columns left and right of every row: the border reads them
#define STRIDE (W + 2 * PAD)
static uint8_t image[2][(H + 2) * STRIDE] __attribute__((aligned(16)));  // rows -1 and H are zero too
static uint16_t rows[(H + 2) * STRIDE] __attribute__((aligned(16)));     // horizontal sums, zero rows around

#define PIXEL(buffer, x, y) ((buffer)[((y) + 1) * STRIDE + PAD + (x)])

#ifdef __wasm_simd128__

static void blur(const uint8_t *src, uint8_t *dst) {
  for (int y = 0; y < H; y++) {
    const uint8_t *in = &PIXEL(src, 0, y);
    uint16_t *out = &rows[(y + 1) * STRIDE + PAD];
    v128_t previous = wasm_v128_load(in - 16), current = wasm_v128_load(in);
    for (int x = 0; x < W; x += 16) {
      v128_t next = wasm_v128_load(in + x + 16);
      v128_t left = wasm_i8x16_shuffle(previous, current, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                                       29, 30);
      v128_t right = wasm_i8x16_shuffle(current, next, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
      v128_t lo = wasm_i16x8_add(wasm_u16x8_extend_low_u8x16(left), wasm_u16x8_extend_low_u8x16(right));
      v128_t hi = wasm_i16x8_add(wasm_u16x8_extend_high_u8x16(left), wasm_u16x8_extend_high_u8x16(right));
      lo = wasm_i16x8_add(lo, wasm_i16x8_shl(wasm_u16x8_extend_low_u8x16(current), 1));
      hi = wasm_i16x8_add(hi, wasm_i16x8_shl(wasm_u16x8_extend_high_u8x16(current), 1));
      wasm_v128_store(out + x, lo);
      wasm_v128_store(out + x + 8, hi);
      previous = current;
      current = next;
    }
  }
  const v128_t round = wasm_i16x8_splat(8);
  for (int y = 0; y < H; y++) {
    const uint16_t *above = &rows[y * STRIDE + PAD], *middle = above + STRIDE, *below = middle + STRIDE;
    uint8_t *out = &PIXEL(dst, 0, y);
    for (int x = 0; x < W; x += 16) {
      v128_t sum[2];
      for (int half = 0; half < 2; half++) {
        int i = x + 8 * half;
        v128_t s = wasm_i16x8_add(wasm_v128_load(above + i), wasm_v128_load(below + i));
        s = wasm_i16x8_add(s, wasm_i16x8_shl(wasm_v128_load(middle + i), 1));
        sum[half] = wasm_u16x8_shr(wasm_i16x8_add(s, round), 4);
      }
      wasm_v128_store(out + x, wasm_u8x16_narrow_i16x8(sum[0], sum[1]));
    }
  }
}

// Pixels where |a - b| > threshold: |a - b| from two saturating subtractions, the comparison's lanes counted
// with i8x16.bitmask and a population count.
static uint32_t edges(const uint8_t *a, const uint8_t *b, uint8_t threshold) {
  const v128_t limit = wasm_u8x16_splat(threshold);
  uint32_t count = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x += 16) {
      v128_t p = wasm_v128_load(&PIXEL(a, x, y)), q = wasm_v128_load(&PIXEL(b, x, y));
      v128_t d = wasm_v128_or(wasm_u8x16_sub_sat(p, q), wasm_u8x16_sub_sat(q, p));
      v128_t over = wasm_u8x16_gt(d, limit);
      if (wasm_v128_any_true(over)) count += __builtin_popcount(wasm_i8x16_bitmask(over));
    }
  return count;
}

#else

static void blur(const uint8_t *src, uint8_t *dst) {
  for (int y = 0; y < H; y++) {
    const uint8_t *in = &PIXEL(src, 0, y);
    uint16_t *out = &rows[(y + 1) * STRIDE + PAD];
    for (int x = 0; x < W; x++) out[x] = (uint16_t)(in[x - 1] + 2 * in[x] + in[x + 1]);
  }
  for (int y = 0; y < H; y++) {
    const uint16_t *above = &rows[y * STRIDE + PAD], *middle = above + STRIDE, *below = middle + STRIDE;
    uint8_t *out = &PIXEL(dst, 0, y);
    for (int x = 0; x < W; x++) out[x] = (uint8_t)((above[x] + 2 * middle[x] + below[x] + 8) >> 4);
  }
}

static uint32_t edges(const uint8_t *a, const uint8_t *b, uint8_t threshold) {
  uint32_t count = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      int d = PIXEL(a, x, y) - PIXEL(b, x, y);
      count += (d < 0 ? -d : d) > threshold;
    }
  return count;
}

#endif

int main(void) {
  uint32_t seed = 2463534242u;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
      // Smooth gradients, bright squares and noise.
      int v = (x ^ y) + ((x / 32 + y / 32) % 3 == 0 ? 100 : 0) + (int)(seed & 31);
      PIXEL(image[0], x, y) = (uint8_t)(v > 255 ? 255 : v);
    }
  uint32_t check = 0;
  int from = 0;
  for (int round = 0; round < ROUNDS; round++) {
    blur(image[from], image[1 - from]);
    check = check * 31 + edges(image[from], image[1 - from], (uint8_t)(2 + round % 7));
    // Sharpen the source every round so that the image does not blur away: keep the blurred copy every 4th round.
    if (round % 4 != 3) {
      uint8_t *keep = image[from];
      for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) PIXEL(keep, x, y) ^= (uint8_t)((x * 7 + y * 13 + round) & 15);
    } else {
      from = 1 - from;
    }
  }
  uint32_t final = 0;
  for (int i = 0; i < (H + 2) * STRIDE; i++) final = final * 33 + image[from][i];
  printf("checksum: %u %u\n", check, final);
  return 0;
}

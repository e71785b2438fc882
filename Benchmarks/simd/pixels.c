// Autovectorized 8-bit image loops (plain C; -O3 -msimd128 vectorizes them): brightness/contrast with a clamp,
// a saturating blend, RGBA-to-gray with interleaved channels, an absolute difference, and integer sum, min and
// max reductions. Integer arithmetic only, so the SIMD and scalar builds agree exactly.
// Prints (both builds): checksum: 1357797008 3436396183
#include <stdint.h>
#include <stdio.h>

#define ROUNDS 60
#define W 256
#define H 256
#define PIXELS (W * H)
static uint8_t rgba[PIXELS * 4], adjusted[PIXELS * 4], overlay[PIXELS * 4];
static uint8_t gray[PIXELS], previous[PIXELS], diff[PIXELS];

int main(void) {
  uint32_t seed = 12345;
  for (int i = 0; i < PIXELS * 4; i++) {
    seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
    rgba[i] = (uint8_t)((i / 4 % W) + (seed & 63));
    overlay[i] = (uint8_t)(seed >> 24);
  }
  uint32_t check = 0;
  for (int round = 0; round < ROUNDS; round++) {
    int contrast = 192 + (round & 127);       // 0.75x .. 1.25x, in 1/256
    int brightness = (round % 41) - 20;
    // Brightness/contrast around mid-gray, clamped to 0..255.
    for (int i = 0; i < PIXELS * 4; i++) {
      int v = (((int)rgba[i] - 128) * contrast >> 8) + 128 + brightness;
      adjusted[i] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
    }
    // Saturating add of an overlay (becomes a saturating byte add).
    for (int i = 0; i < PIXELS * 4; i++) {
      uint8_t s = (uint8_t)(adjusted[i] + (overlay[i] >> 2));
      adjusted[i] = s < adjusted[i] ? 255 : s;
    }
    // RGBA to gray: interleaved channels, weights in 1/256.
    for (int p = 0; p < PIXELS; p++) {
      const uint8_t *px = &adjusted[p * 4];
      gray[p] = (uint8_t)((px[0] * 77 + px[1] * 150 + px[2] * 29) >> 8);
    }
    // Absolute difference to the previous frame, then sum, min and max.
    for (int p = 0; p < PIXELS; p++) {
      int d = (int)gray[p] - (int)previous[p];
      diff[p] = (uint8_t)(d < 0 ? -d : d);
    }
    uint32_t sum = 0;
    uint8_t lo = 255, hi = 0;
    for (int p = 0; p < PIXELS; p++) {
      sum += diff[p];
      lo = diff[p] < lo ? diff[p] : lo;
      hi = gray[p] > hi ? gray[p] : hi;
    }
    for (int p = 0; p < PIXELS; p++) previous[p] = gray[p];
    // Feed the result back so that rounds differ.
    for (int i = 0; i < PIXELS * 4; i++) rgba[i] = (uint8_t)(rgba[i] + (adjusted[i] >> 5));
    check = check * 31 + sum + ((uint32_t)lo << 8) + hi;
  }
  uint32_t final = 0;
  for (int i = 0; i < PIXELS * 4; i++) final = final * 33 + rgba[i];
  printf("checksum: %u %u\n", check, final);
  return 0;
}

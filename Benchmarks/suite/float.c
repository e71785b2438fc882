// Floating point: an n-body simulation in f64 and a Mandelbrot set in f32.
#include <math.h>
#include <stdio.h>

#define BODIES 5
static double px[BODIES], py[BODIES], pz[BODIES], vx[BODIES], vy[BODIES], vz[BODIES], mass[BODIES];

static void advance(double dt) {
  for (int i = 0; i < BODIES; i++)
    for (int j = i + 1; j < BODIES; j++) {
      double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      vx[i] -= dx * mass[j] * mag; vy[i] -= dy * mass[j] * mag; vz[i] -= dz * mass[j] * mag;
      vx[j] += dx * mass[i] * mag; vy[j] += dy * mass[i] * mag; vz[j] += dz * mass[i] * mag;
    }
  for (int i = 0; i < BODIES; i++) { px[i] += dt * vx[i]; py[i] += dt * vy[i]; pz[i] += dt * vz[i]; }
}

int main(void) {
  for (int i = 0; i < BODIES; i++) {
    px[i] = i * 1.1; py[i] = i * -0.7; pz[i] = i * 0.3;
    vx[i] = 0.01 * i; vy[i] = 0.02; vz[i] = -0.01 * i; mass[i] = 1.0 + i * 0.5;
  }
  for (int step = 0; step < 1500000; step++) advance(0.001);
  double e = 0;
  for (int i = 0; i < BODIES; i++) e += mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);

  unsigned inside = 0;
  for (int y = 0; y < 500; y++)
    for (int x = 0; x < 500; x++) {
      float cr = -2.0f + x * (3.0f / 500), ci = -1.5f + y * (3.0f / 500), zr = 0, zi = 0;
      int k = 0;
      while (k < 100 && zr * zr + zi * zi < 4.0f) {
        float t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        k++;
      }
      inside += k;
    }
  printf("checksum: %u %.9f\n", inside, e);
  return 0;
}

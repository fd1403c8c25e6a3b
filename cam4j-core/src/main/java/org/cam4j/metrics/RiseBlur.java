package org.cam4j.metrics;

/**
 * The blur RISE's evaluation code uses as the insertion start image: an 11x11 kernel made by
 * SciPy's {@code gaussian_filter(delta, sigma=5)} of a centred delta, applied to each channel by
 * {@code conv2d(padding=5)}, so pixels outside the image count as 0.
 */
final class RiseBlur {
  static final int SIZE = 11;
  static final double SIGMA = 5;
  /** SciPy's default truncation: the Gaussian reaches {@code 4 * sigma} either side. */
  private static final int SCIPY_RADIUS = (int) (4 * SIGMA + 0.5);
  private static final float[] KERNEL = kernel();

  private RiseBlur() {
  }

  /**
   * One axis of the separable kernel. SciPy filters the delta in its default "reflect" mode, so
   * Gaussian taps that fall outside the 11 samples fold back in: the kernel is flatter than a
   * truncated Gaussian and still sums to 1.
   */
  static float[] kernel() {
    double[] gauss = new double[2 * SCIPY_RADIUS + 1];
    double sum = 0;
    for (int t = -SCIPY_RADIUS; t <= SCIPY_RADIUS; t++) {
      gauss[t + SCIPY_RADIUS] = Math.exp(-0.5 * t * t / (SIGMA * SIGMA));
      sum += gauss[t + SCIPY_RADIUS];
    }
    int centre = SIZE / 2;
    double[] k = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      for (int t = -SCIPY_RADIUS; t <= SCIPY_RADIUS; t++) {
        if (reflect(i + t) == centre) {
          k[i] += gauss[t + SCIPY_RADIUS] / sum;
        }
      }
    }
    float[] out = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      out[i] = (float) k[i];
    }
    return out;
  }

  /** SciPy's "reflect" boundary (d c b a | a b c d | d c b a) for an axis of {@link #SIZE}. */
  private static int reflect(int i) {
    int m = Math.floorMod(i, 2 * SIZE);
    return m < SIZE ? m : 2 * SIZE - 1 - m;
  }

  static float[] apply(float[] image, ImageShape shape) {
    int h = shape.height();
    int w = shape.width();
    int r = SIZE / 2;
    float[] out = new float[image.length];
    float[] plane = new float[h * w];
    float[] across = new float[h * w];
    for (int c = 0; c < shape.channels(); c++) {
      for (int p = 0; p < h * w; p++) {
        plane[p] = image[shape.index(p, c)];
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int t = Math.max(-r, -x); t <= Math.min(r, w - 1 - x); t++) {
            s += KERNEL[t + r] * plane[y * w + x + t];
          }
          across[y * w + x] = (float) s;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int t = Math.max(-r, -y); t <= Math.min(r, h - 1 - y); t++) {
            s += KERNEL[t + r] * across[(y + t) * w + x];
          }
          out[shape.index(y * w + x, c)] = (float) s;
        }
      }
    }
    return out;
  }
}

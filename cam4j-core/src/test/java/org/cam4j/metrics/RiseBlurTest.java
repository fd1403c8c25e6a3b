package org.cam4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cam4j.tensor.Layout;
import org.junit.jupiter.api.Test;

/** Known values from SciPy: {@code gaussian_filter(delta_11x11, 5)} and zero-padded correlate2d. */
class RiseBlurTest {
  private static final double[] SCIPY_AXIS = {0.0879581458, 0.0888961198, 0.0904741965,
      0.0921911178, 0.0934893884, 0.0939820633, 0.0934893884, 0.0921911178, 0.0904741965,
      0.0888961198, 0.0879581458};

  @Test
  void kernelMatchesScipysReflectedGaussian() {
    float[] k = RiseBlur.kernel();
    for (int i = 0; i < k.length; i++) {
      assertEquals(SCIPY_AXIS[i], k[i], 1e-8, "tap " + i);
    }
  }

  @Test
  void aCentredDeltaBlursIntoTheKernel() {
    ImageShape shape = new ImageShape(Layout.NCHW, 1, 11, 11);
    float[] delta = new float[121];
    delta[60] = 1;
    float[] blurred = RiseBlur.apply(delta, shape);
    assertEquals(0.008832628216191647, blurred[60], 1e-9);
    assertEquals(0.007736635408576913, blurred[0], 1e-9);
    assertEquals(0.007736635408576913, blurred[120], 1e-9);
  }

  @Test
  void zeroPaddingDarkensTheBordersOfAFlatImageInEveryChannel() {
    ImageShape shape = new ImageShape(Layout.NHWC, 2, 11, 11);
    float[] ones = new float[shape.values()];
    java.util.Arrays.fill(ones, 1);
    float[] blurred = RiseBlur.apply(ones, shape);
    for (int c = 0; c < 2; c++) {
      assertArrayEquals(new float[] {0.2991992f, 1f, 0.5469910f},
          new float[] {blurred[shape.index(0, c)], blurred[shape.index(60, c)],
              blurred[shape.index(5, c)]}, 1e-6f);
    }
  }
}

package org.cam4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Map comparisons of the export tests. */
final class MapAssertions {
  private MapAssertions() {
  }

  /**
   * The largest difference is within {@code tolerance} times the largest expected magnitude, or
   * times {@code minScale} when that is larger (an absolute floor for maps near zero).
   */
  static void assertClose(float[] expected, float[] actual, double tolerance, double minScale,
      String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    System.out.printf("%s: max difference %.3g at scale %.3g%n", what, worst, scale);
    assertTrue(worst <= tolerance * Math.max(scale, minScale), what + ": max difference " + worst
        + " at scale " + scale);
  }
}

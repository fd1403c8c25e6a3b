package org.cam4j.internal.autodiff;

/**
 * Rectifier masks as 0/1 floats from saturated HardSigmoids, {@code max(0, min(1, a y + b))},
 * on the rectifier's output y (never below its lower bound 0). A power-of-two slope a makes
 * {@code a y + b} the exact scaling of {@code y} or {@code max - y} rounded once, with or without
 * a fused multiply-add, so the mask is exactly 0 at the bound and exactly 1 one float inside it.
 */
final class SaturatedMask {
  /** 2^126: maps the smallest normal float, 2^-126, to 1. */
  private static final float ABOVE_ZERO_SLOPE = 0x1p126f;

  private SaturatedMask() {
  }

  /**
   * Whether a mask below {@code max} (+inf: none) can be built: HardSigmoid exists (opset 6) and
   * {@code max} is a constant, positive, with a finite slope and intercept.
   */
  static boolean usable(GradientEmitter e, Float max) {
    if (e.opset() < 6 || max == null || !(max > 0f)) {
      return false;
    }
    if (max == Float.POSITIVE_INFINITY) {
      return true;
    }
    float slope = belowMaxSlope(max);
    return Float.isFinite(slope) && Float.isFinite(slope * max);
  }

  /**
   * 1 where y > 0: {@code min(1, 2^126 y)}. Exact for y = 0 and every normal y; a subnormal y
   * (0 < y < 2^-126, not produced by any realistic activation) gets 2^126 y, in [2^-23, 1).
   */
  static String aboveZero(GradientEmitter e, String y) {
    return e.hardSigmoid(y, ABOVE_ZERO_SLOPE, 0f);
  }

  /**
   * 1 where y < max, for y <= max: {@code min(1, s (max - y))} with s = 1 / (max - the float
   * below max), a power of two: max - y rounds to at least 1/s for every y below max, and to 0
   * at max. ReLU6: s = 2^21.
   */
  static String belowMax(GradientEmitter e, String y, float max) {
    float slope = belowMaxSlope(max);
    return e.hardSigmoid(y, -slope, slope * max);
  }

  private static float belowMaxSlope(float max) {
    return 1f / (max - Math.nextDown(max));
  }
}

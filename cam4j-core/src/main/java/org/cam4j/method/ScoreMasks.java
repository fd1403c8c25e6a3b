package org.cam4j.method;

import org.cam4j.internal.image.AxisSampling;

/**
 * Score-CAM's masks for one image, as pytorch-grad-cam makes them: each channel of A upsampled
 * to the input size with {@code UpsamplingBilinear2d} (corners aligned), then scaled to [0, 1]
 * by {@code (u - min) / (max - min + 1e-8)}.
 */
final class ScoreMasks {
  private static final float EPSILON = 1e-8f;

  private final FeatureMaps activations;
  private final int image;
  private final AxisSampling rows;
  private final AxisSampling cols;

  ScoreMasks(FeatureMaps activations, int image, int height, int width) {
    this.activations = activations;
    this.image = image;
    this.rows = AxisSampling.alignCorners(activations.h(), height);
    this.cols = AxisSampling.alignCorners(activations.w(), width);
  }

  /** The mask of one channel, row-major [height, width]. */
  float[] mask(int channel) {
    int base = activations.offset(image, channel);
    int w = activations.w();
    float[] m = AxisSampling.resample((row, into) -> System.arraycopy(activations.data(),
        base + row * w, into, 0, w), w, rows, cols);
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : m) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    float range = max - min + EPSILON;
    for (int p = 0; p < m.length; p++) {
      m[p] = (m[p] - min) / range;
    }
    return m;
  }
}

package org.cam4j.method;

import org.cam4j.internal.maps.TensorArrays;
import org.cam4j.tensor.FloatTensor;

/**
 * A [N,C,h,w] tensor unpacked for the per-channel loops of the CAM methods. {@link #of} reads the
 * tensor's own array (not a copy): no method writes to {@link #data}.
 */
record FeatureMaps(float[] data, int n, int c, int h, int w) {
  public static FeatureMaps of(FloatTensor t) {
    if (t.rank() != 4) {
      throw new IllegalArgumentException("expected a [N,C,h,w] feature map, got " + t);
    }
    return new FeatureMaps(TensorArrays.readOnly(t), (int) t.dim(0), (int) t.dim(1), (int) t.dim(2),
        (int) t.dim(3));
  }

  public int area() {
    return h * w;
  }

  /** Index of element (image i, channel c, pixel 0). */
  public int offset(int i, int c) {
    return (i * this.c + c) * area();
  }

  /** Spatial mean of one channel. */
  public double mean(int i, int c) {
    return sum(i, c) / area();
  }

  public double sum(int i, int c) {
    double s = 0;
    int base = offset(i, c);
    for (int p = 0; p < area(); p++) {
      s += data[base + p];
    }
    return s;
  }

  /** A map set of the same shape holding other values. */
  public FeatureMaps withData(float[] values) {
    if (values.length != data.length) {
      throw new IllegalArgumentException("expected " + data.length + " values, got "
          + values.length);
    }
    return new FeatureMaps(values, n, c, h, w);
  }

  /** {@code w_c * A_c} with per-image channel weights, row-major [N, C]. */
  public FeatureMaps weighted(float[] weights) {
    if (weights.length != n * c) {
      throw new IllegalArgumentException("expected " + n * c + " channel weights, got "
          + weights.length);
    }
    float[] out = new float[data.length];
    for (int i = 0; i < n * c; i++) {
      float wc = weights[i];
      int base = i * area();
      for (int p = 0; p < area(); p++) {
        out[base + p] = wc * data[base + p];
      }
    }
    return withData(out);
  }

  /** {@code sum_c w_c A_c} per image, [N,h,w]: {@code weighted(weights).channelSum()}. */
  public FloatTensor weightedChannelSum(float[] weights) {
    if (weights.length != n * c) {
      throw new IllegalArgumentException("expected " + n * c + " channel weights, got "
          + weights.length);
    }
    float[] out = new float[n * area()];
    for (int i = 0; i < n; i++) {
      int o = i * area();
      for (int ch = 0; ch < c; ch++) {
        float wc = weights[i * c + ch];
        int base = offset(i, ch);
        for (int p = 0; p < area(); p++) {
          out[o + p] += wc * data[base + p];
        }
      }
    }
    return FloatTensor.wrap(new long[] {n, h, w}, out);
  }

  /** The sum over channels, [N,h,w]. */
  public FloatTensor channelSum() {
    float[] out = new float[n * area()];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        int base = offset(i, ch);
        int o = i * area();
        for (int p = 0; p < area(); p++) {
          out[o + p] += data[base + p];
        }
      }
    }
    return FloatTensor.of(new long[] {n, h, w}, out);
  }
}

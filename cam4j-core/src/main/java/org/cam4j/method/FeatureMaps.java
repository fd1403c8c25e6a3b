package org.cam4j.method;

import org.cam4j.engine.FloatTensor;

/** A [N,C,h,w] tensor unpacked for the per-channel loops of the CAM methods. */
public record FeatureMaps(float[] data, int n, int c, int h, int w) {
  public static FeatureMaps of(FloatTensor t) {
    if (t.rank() != 4) {
      throw new IllegalArgumentException("expected a [N,C,h,w] feature map, got " + t);
    }
    return new FeatureMaps(t.toArray(), (int) t.dim(0), (int) t.dim(1), (int) t.dim(2),
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
}

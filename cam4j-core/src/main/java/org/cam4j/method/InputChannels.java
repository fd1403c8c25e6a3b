package org.cam4j.method;

import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/** Input-shaped tensors ([N,C,H,W] or [N,H,W,C]) reduced over channels to maps [N,H,W]. */
final class InputChannels {
  private InputChannels() {
  }

  /** {@code max_c |t_c|}: the channel reduction of gradient saliency (Simonyan et al.). */
  static FloatTensor maxAbs(FloatTensor t, Layout layout) {
    return reduce(t, layout, true);
  }

  /** {@code sum_c t_c}, signed. */
  static FloatTensor sum(FloatTensor t, Layout layout) {
    return reduce(t, layout, false);
  }

  static int height(FloatTensor t, Layout layout) {
    return (int) t.dim(layout.heightAxis());
  }

  static int width(FloatTensor t, Layout layout) {
    return (int) t.dim(layout.widthAxis());
  }

  private static FloatTensor reduce(FloatTensor t, Layout layout, boolean maxAbs) {
    if (t.rank() != 4) {
      throw new IllegalArgumentException("expected an input-shaped [N,C,H,W] or [N,H,W,C] tensor,"
          + " got " + t);
    }
    int n = (int) t.dim(0);
    int c = (int) t.dim(layout.channelAxis());
    int area = height(t, layout) * width(t, layout);
    float[] out = new float[n * area];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < area; p++) {
        float acc = 0f;
        for (int ch = 0; ch < c; ch++) {
          int at = layout == Layout.NCHW ? (i * c + ch) * area + p : (i * area + p) * c + ch;
          float v = t.get(at);
          acc = maxAbs ? Math.max(acc, Math.abs(v)) : acc + v;
        }
        out[i * area + p] = acc;
      }
    }
    return FloatTensor.of(new long[] {n, height(t, layout), width(t, layout)}, out);
  }
}

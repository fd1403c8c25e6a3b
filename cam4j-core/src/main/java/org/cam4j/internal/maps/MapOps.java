package org.cam4j.internal.maps;

import java.util.List;
import org.cam4j.internal.image.AxisSampling;
import org.cam4j.tensor.FloatTensor;

/**
 * Post-processing of raw maps: ReLU, per-image min-max scaling and resizing. A raw map holding
 * NaN or an infinity is refused ({@link org.cam4j.tensor.NonFiniteValueException}): no
 * normalised map is ever non-finite.
 */
public final class MapOps {
  /** pytorch-grad-cam's epsilon in {@code cam / (1e-7 + max)}: keeps all-zero maps at zero. */
  public static final float EPSILON = 1e-7f;
  private static final String RAW_MAP = "the raw map: the model produced non-finite values";

  private MapOps() {
  }

  /**
   * The normalised map of each image, exactly as pytorch-grad-cam returns it for one layer: the
   * per-layer step ({@link #scaledAndResized}) followed by the aggregation step
   * ({@link #fuse}). [N,h,w] -> [N,H,W].
   */
  public static FloatTensor normalised(FloatTensor raw, int height, int width) {
    return fuse(List.of(scaledAndResized(raw, height, width)));
  }

  /**
   * The Keras Grad-CAM tutorial's normalisation, per image at the map's own resolution:
   * {@code max(raw, 0) / max}; a map whose maximum is 0 stays all zero. [N,h,w] -> [N,h,w].
   */
  public static FloatTensor reluOverMax(FloatTensor raw) {
    raw.requireFinite(RAW_MAP);
    int n = (int) raw.dim(0);
    int area = raw.size() / n;
    float[] v = raw.toArray();
    for (int i = 0; i < n; i++) {
      float max = 0;
      for (int p = i * area; p < (i + 1) * area; p++) {
        v[p] = Math.max(v[p], 0f);
        max = Math.max(max, v[p]);
      }
      for (int p = i * area; max > 0 && p < (i + 1) * area; p++) {
        v[p] /= max;
      }
    }
    return FloatTensor.of(raw.shape(), v);
  }

  /** Per layer: ReLU, min-max scale, bilinear resize to (height, width). [N,h,w] -> [N,H,W]. */
  public static FloatTensor scaledAndResized(FloatTensor raw, int height, int width) {
    raw.requireFinite(RAW_MAP);
    int n = (int) raw.dim(0);
    int h = (int) raw.dim(1);
    int w = (int) raw.dim(2);
    float[] src = raw.toArray();
    float[] out = new float[n * height * width];
    float[] map = new float[h * w];
    for (int i = 0; i < n; i++) {
      System.arraycopy(src, i * h * w, map, 0, h * w);
      relu(map);
      scale(map);
      float[] big = resizeBilinear(map, h, w, height, width);
      System.arraycopy(big, 0, out, i * height * width, big.length);
    }
    return FloatTensor.of(new long[] {n, height, width}, out);
  }

  /**
   * Multi-layer fusion (pytorch-grad-cam's aggregation): ReLU, mean over the layers' maps, then
   * min-max scale per image. All maps must have the same [N,H,W] shape.
   */
  public static FloatTensor fuse(List<FloatTensor> maps) {
    long[] shape = maps.get(0).shape();
    int n = (int) shape[0];
    int area = maps.get(0).size() / n;
    float[] out = new float[maps.get(0).size()];
    for (FloatTensor m : maps) {
      if (!java.util.Arrays.equals(m.shape(), shape)) {
        throw new IllegalArgumentException("cannot fuse maps of shapes "
            + java.util.Arrays.toString(shape) + " and " + java.util.Arrays.toString(m.shape()));
      }
      for (int i = 0; i < out.length; i++) {
        out[i] += Math.max(m.get(i), 0f);
      }
    }
    float[] one = new float[area];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < area; p++) {
        one[p] = out[i * area + p] / maps.size();
      }
      scale(one);
      System.arraycopy(one, 0, out, i * area, area);
    }
    return FloatTensor.of(shape, out);
  }

  /** ReLU in place. */
  public static void relu(float[] m) {
    for (int i = 0; i < m.length; i++) {
      m[i] = Math.max(m[i], 0f);
    }
  }

  /** {@code m = (m - min) / (1e-7 + max(m - min))}: never NaN, all-equal maps become 0. */
  public static void scale(float[] m) {
    float min = Float.POSITIVE_INFINITY;
    for (float v : m) {
      min = Math.min(min, v);
    }
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < m.length; i++) {
      m[i] -= min;
      max = Math.max(max, m[i]);
    }
    float d = EPSILON + max;
    for (int i = 0; i < m.length; i++) {
      m[i] /= d;
    }
  }

  /**
   * Bilinear resize with half-pixel centres and clamped borders, no antialiasing (OpenCV's
   * INTER_LINEAR on float32, PyTorch's align_corners=False).
   */
  public static float[] resizeBilinear(float[] src, int h, int w, int outH, int outW) {
    AxisSampling rows = AxisSampling.linear(h, outH, 0, (double) h / outH);
    AxisSampling cols = AxisSampling.linear(w, outW, 0, (double) w / outW);
    return AxisSampling.resample((row, dst) -> System.arraycopy(src, row * w, dst, 0, w), w,
        rows, cols);
  }
}

package org.cam4j.internal.image;

/**
 * Where each output sample of one axis of a resize reads the input: {@code (1 - w) * in[lo] +
 * w * in[hi]}. Output index {@code i} sits at input coordinate {@code start + (i + 0.5) * step -
 * 0.5} (half-pixel centres, the convention of PyTorch {@code align_corners=False}, OpenCV
 * {@code INTER_LINEAR} and TF {@code half_pixel_centers}); {@code start} shifts the window, e.g.
 * to a crop. No antialiasing: downscaling reads two neighbours whatever the factor. Immutable.
 */
public final class AxisSampling {
  private final int[] lo;
  private final int[] hi;
  private final float[] weight;

  private AxisSampling(int[] lo, int[] hi, float[] weight) {
    this.lo = lo;
    this.hi = hi;
    this.weight = weight;
  }

  /**
   * Linear interpolation: {@code src = max(start + (i + 0.5) * step - 0.5, 0)},
   * {@code lo = floor(src)}, {@code hi = min(lo + 1, inSize - 1)}, {@code w = src - lo}.
   */
  public static AxisSampling linear(int inSize, int count, double start, double step) {
    check(inSize, count, step);
    int[] lo = new int[count];
    int[] hi = new int[count];
    float[] weight = new float[count];
    for (int i = 0; i < count; i++) {
      double src = Math.max(start + (i + 0.5) * step - 0.5, 0);
      int i0 = (int) Math.floor(src);
      if (i0 >= inSize - 1) {
        lo[i] = inSize - 1;
        hi[i] = inSize - 1;
      } else {
        lo[i] = i0;
        hi[i] = i0 + 1;
        weight[i] = (float) (src - i0);
      }
    }
    return new AxisSampling(lo, hi, weight);
  }

  /**
   * Linear interpolation with corners aligned (PyTorch {@code align_corners=True}, e.g.
   * {@code UpsamplingBilinear2d}): {@code src = i * (inSize - 1) / (count - 1)}, so the first and
   * last samples of both axes coincide.
   */
  public static AxisSampling alignCorners(int inSize, int count) {
    check(inSize, count, 1);
    double scale = count > 1 ? (double) (inSize - 1) / (count - 1) : 0;
    int[] lo = new int[count];
    int[] hi = new int[count];
    float[] weight = new float[count];
    for (int i = 0; i < count; i++) {
      double src = i * scale;
      int i0 = Math.min((int) src, inSize - 1);
      lo[i] = i0;
      hi[i] = Math.min(i0 + 1, inSize - 1);
      weight[i] = (float) (src - i0);
    }
    return new AxisSampling(lo, hi, weight);
  }

  /**
   * Nearest neighbour: the input pixel whose span holds the output centre,
   * {@code floor(start + (i + 0.5) * step)} clamped to the image (PIL {@code NEAREST}, PyTorch
   * {@code nearest-exact}).
   */
  public static AxisSampling nearest(int inSize, int count, double start, double step) {
    check(inSize, count, step);
    int[] index = new int[count];
    for (int i = 0; i < count; i++) {
      index[i] = Math.min(Math.max((int) Math.floor(start + (i + 0.5) * step), 0), inSize - 1);
    }
    return new AxisSampling(index, index, new float[count]);
  }

  private static void check(int inSize, int count, double step) {
    if (inSize < 1 || count < 1 || !(step > 0)) {
      throw new IllegalArgumentException("cannot resample " + inSize + " samples to " + count
          + " with step " + step);
    }
  }

  /** Number of output samples. */
  public int size() {
    return lo.length;
  }

  /**
   * Resamples a plane read row by row: first between rows ({@code rows} samples the vertical
   * axis, values kept as float), then along each row ({@code cols}). Returns the row-major
   * {@code rows.size() x cols.size()} result.
   */
  public static float[] resample(RowSource source, int width, AxisSampling rows,
      AxisSampling cols) {
    int outH = rows.size();
    int outW = cols.size();
    float[] upper = new float[width];
    float[] lower = new float[width];
    float[] between = new float[width];
    float[] out = new float[outH * outW];
    for (int y = 0; y < outH; y++) {
      source.read(rows.lo[y], upper);
      source.read(rows.hi[y], lower);
      float wy = rows.weight[y];
      for (int x = 0; x < width; x++) {
        between[x] = (1 - wy) * upper[x] + wy * lower[x];
      }
      for (int x = 0; x < outW; x++) {
        float wx = cols.weight[x];
        out[y * outW + x] = (1 - wx) * between[cols.lo[x]] + wx * between[cols.hi[x]];
      }
    }
    return out;
  }

  /** Supplies the input plane to {@link #resample} one row at a time. */
  @FunctionalInterface
  public interface RowSource {
    /** Writes row {@code y} (width values) into {@code into}. */
    void read(int y, float[] into);
  }
}

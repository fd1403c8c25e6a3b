package org.cam4j.internal.export;

import java.util.List;
import org.cam4j.internal.maps.MapOps;

/**
 * The normalised map at input resolution as ONNX nodes, step for step what
 * {@link MapOps#normalised} computes (the {@code M.npy} of {@code explain --tensor}): ReLU,
 * per-image min-max ({@code (m - min) / (1e-7 + max(m - min))}, so a constant map becomes 0 rather
 * than NaN), bilinear resize, ReLU, min-max again.
 *
 * <p>The resize is written as two matrix products, {@code R_y . m . R_x^T}, whose constant
 * matrices are made by {@link MapOps#resizeBilinear} itself applied to unit vectors: the same
 * half-pixel, clamped, non-antialiased weights by construction, with no opset requirement (ONNX
 * {@code Resize} would need opset 11 for half-pixel centres and gives no such guarantee).
 */
final class NormalisedMapGraph {
  private static final long[] PIXELS = {1, 2};
  private static final float EPSILON = 1e-7f;

  private NormalisedMapGraph() {
  }

  /**
   * Writes the normalised map [N,H,W] of a raw map [N,h,w] into the tensor named {@code out}.
   */
  static String write(NodeWriter w, String raw, int h, int width, int outHeight, int outWidth,
      String out) {
    String scaled = minMax(w, w.relu(raw));
    String rows = w.floats(null, new long[] {outHeight, h}, rowMatrix(h, outHeight));
    String colsT = w.floats(null, new long[] {width, outWidth}, columnMatrixTransposed(width,
        outWidth));
    String resized = w.op("MatMul", List.of(rows,
        w.op("MatMul", List.of(scaled, colsT))));
    String positive = w.relu(resized);
    String min = w.reduceMin(positive, PIXELS);
    String shifted = w.sub(positive, min);
    return w.op("Div", out, List.of(shifted,
        w.add(w.reduceMax(shifted, PIXELS), w.scalar(EPSILON))));
  }

  private static String minMax(NodeWriter w, String m) {
    String shifted = w.sub(m, w.reduceMin(m, PIXELS));
    return w.div(shifted, w.add(w.reduceMax(shifted, PIXELS), w.scalar(EPSILON)));
  }

  /** R_y [outHeight, h]: column k is the resize of the unit column e_k. */
  static float[] rowMatrix(int h, int outHeight) {
    float[] m = new float[outHeight * h];
    for (int k = 0; k < h; k++) {
      float[] unit = new float[h];
      unit[k] = 1f;
      float[] column = MapOps.resizeBilinear(unit, h, 1, outHeight, 1);
      for (int y = 0; y < outHeight; y++) {
        m[y * h + k] = column[y];
      }
    }
    return m;
  }

  /** R_x^T [w, outWidth]: row k is the resize of the unit row e_k. */
  static float[] columnMatrixTransposed(int w, int outWidth) {
    float[] m = new float[w * outWidth];
    for (int k = 0; k < w; k++) {
      float[] unit = new float[w];
      unit[k] = 1f;
      System.arraycopy(MapOps.resizeBilinear(unit, 1, w, 1, outWidth), 0, m, k * outWidth,
          outWidth);
    }
    return m;
  }
}

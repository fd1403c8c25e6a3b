package org.cam4j.tensor;

/** Numerically stable softmax over the last axis of a [N, K] tensor. */
public final class Softmax {
  private Softmax() {
  }

  /** The softmax of each row of {@code scores} [N, K], computed stably (max subtracted first). */
  public static FloatTensor rows(FloatTensor scores) {
    int n = (int) scores.dim(0);
    int k = scores.size() / n;
    float[] out = new float[scores.size()];
    for (int r = 0; r < n; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, scores.get(r * k + j));
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(scores.get(r * k + j) - max);
      }
      for (int j = 0; j < k; j++) {
        out[r * k + j] = (float) (Math.exp(scores.get(r * k + j) - max) / sum);
      }
    }
    return FloatTensor.wrap(new long[] {n, k}, out);
  }
}

package org.cam4j.engine;

import java.util.Arrays;

/**
 * What each image of a batch explains: its own top-1 class, a given class, or any weighting of
 * the class scores (the backward seed). Immutable.
 */
public final class ScoreSeed {
  private final int rows;
  private final float[][] weights;
  private final boolean[] top;

  private ScoreSeed(int rows, float[][] weights, boolean[] top) {
    this.rows = rows;
    this.weights = weights;
    this.top = top;
  }

  /** Every row explains its own highest-scoring class. */
  public static ScoreSeed topClass(int rows) {
    boolean[] top = new boolean[rows];
    Arrays.fill(top, true);
    return new ScoreSeed(rows, new float[rows][], top);
  }

  /** Row i explains class {@code classes[i]}. */
  public static ScoreSeed classes(int... classes) {
    float[][] w = new float[classes.length][];
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] < 0) {
        throw new IllegalArgumentException("class index must be >= 0, got " + classes[i]);
      }
      w[i] = oneHot(classes[i]);
    }
    return new ScoreSeed(classes.length, w, new boolean[classes.length]);
  }

  /** Row i explains {@code sum_k weights[i][k] * score[k]}. */
  public static ScoreSeed weights(float[][] weights) {
    float[][] copy = new float[weights.length][];
    for (int i = 0; i < weights.length; i++) {
      copy[i] = weights[i].clone();
    }
    return new ScoreSeed(weights.length, copy, new boolean[weights.length]);
  }

  private static float[] oneHot(int index) {
    float[] v = new float[index + 1];
    v[index] = 1f;
    return v;
  }

  public int rows() {
    return rows;
  }

  /** The explicit weights as a [rows, classes] row-major array. */
  float[] seedMatrix(int classes) {
    float[] m = new float[rows * classes];
    for (int r = 0; r < rows; r++) {
      float[] w = weights[r];
      if (w == null) {
        continue;
      }
      if (w.length > classes) {
        int last = w.length - 1;
        throw new IllegalArgumentException("class " + last + " is out of range: the model has "
            + classes + " classes (0.." + (classes - 1) + ")");
      }
      System.arraycopy(w, 0, m, r * classes, w.length);
    }
    return m;
  }

  float[] topFlags() {
    float[] f = new float[rows];
    for (int r = 0; r < rows; r++) {
      f[r] = top[r] ? 1f : 0f;
    }
    return f;
  }

  boolean isTop(int row) {
    return top[row];
  }

  /** The seed restricted to one row. */
  ScoreSeed row(int r) {
    return new ScoreSeed(1, new float[][] {weights[r]}, new boolean[] {top[r]});
  }
}

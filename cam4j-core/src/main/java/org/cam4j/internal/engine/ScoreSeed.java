package org.cam4j.internal.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.Target;
import org.cam4j.tensor.FloatTensor;

/**
 * What each image of a batch explains: its own top-1 class, a given class, or any weighting of
 * the class scores (the backward seed); optionally negated (what argues against it) or taken
 * through the softmax (probabilities rather than scores). Immutable.
 */
public final class ScoreSeed {
  /** {@link #onlyNonzero}'s answer for a row with several nonzero weights. */
  private static final int MANY = -2;

  private final int rows;
  private final float[][] weights;
  /** Per row, the weight of the row's own top-1 class: 1, -1 when negated, 0 for none. */
  private final float[] top;
  private final boolean[] probability;

  private ScoreSeed(int rows, float[][] weights, float[] top, boolean[] probability) {
    this.rows = rows;
    this.weights = weights;
    this.top = top;
    this.probability = probability;
  }

  private ScoreSeed(int rows, float[][] weights, float[] top) {
    this(rows, weights, top, new boolean[rows]);
  }

  /**
   * The compiled form of {@link Target}s: row i explains {@code perImage.get(i)}. Named classes
   * must be resolved first ({@link Target#resolve}).
   */
  public static ScoreSeed of(List<Target> perImage) {
    if (perImage.isEmpty()) {
      throw new IllegalArgumentException("no target: the batch is empty");
    }
    int n = perImage.size();
    float[][] w = new float[n][];
    float[] top = new float[n];
    boolean[] p = new boolean[n];
    for (int r = 0; r < n; r++) {
      Target t = perImage.get(r);
      float sign = t.isNegative() ? -1f : 1f;
      if (t.isTop()) {
        top[r] = sign;
      } else {
        w[r] = t.weights();
        for (int k = 0; k < w[r].length; k++) {
          w[r][k] *= sign;
        }
      }
      p[r] = t.isProbability();
    }
    return new ScoreSeed(n, w, top, p);
  }

  /** Every row explains its own highest-scoring class. */
  public static ScoreSeed topClass(int rows) {
    float[] top = new float[rows];
    Arrays.fill(top, 1f);
    return new ScoreSeed(rows, new float[rows][], top);
  }

  /** Row i explains class {@code classes[i]}. */
  public static ScoreSeed classes(int... classes) {
    float[][] w = new float[classes.length][];
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] < 0) {
        throw new InvalidInputException("class index must be >= 0, got " + classes[i]);
      }
      w[i] = oneHot(classes[i]);
    }
    return new ScoreSeed(classes.length, w, new float[classes.length]);
  }

  /** Row i explains {@code sum_k weights[i][k] * score[k]}. */
  public static ScoreSeed weights(float[][] weights) {
    float[][] copy = new float[weights.length][];
    for (int i = 0; i < weights.length; i++) {
      copy[i] = weights[i].clone();
    }
    return new ScoreSeed(weights.length, copy, new float[weights.length]);
  }

  /** The rows of several seeds, one after the other (e.g. a different target per image). */
  public static ScoreSeed concat(List<ScoreSeed> parts) {
    int n = parts.stream().mapToInt(ScoreSeed::rows).sum();
    float[][] w = new float[n][];
    float[] t = new float[n];
    boolean[] p = new boolean[n];
    int at = 0;
    for (ScoreSeed s : parts) {
      System.arraycopy(s.weights, 0, w, at, s.rows);
      System.arraycopy(s.top, 0, t, at, s.rows);
      System.arraycopy(s.probability, 0, p, at, s.rows);
      at += s.rows;
    }
    return new ScoreSeed(n, w, t, p);
  }

  private static float[] oneHot(int index) {
    float[] v = new float[index + 1];
    v[index] = 1f;
    return v;
  }

  public int rows() {
    return rows;
  }

  /** The same rows explaining minus their score: what argues against each class. */
  public ScoreSeed negated() {
    float[][] w = new float[rows][];
    float[] t = new float[rows];
    for (int r = 0; r < rows; r++) {
      if (weights[r] != null) {
        w[r] = new float[weights[r].length];
        for (int k = 0; k < w[r].length; k++) {
          w[r][k] = -weights[r][k];
        }
      }
      t[r] = -top[r];
    }
    return new ScoreSeed(rows, w, t, probability);
  }

  /**
   * The same rows explaining the softmax of the scores: {@code sum_k w_k p_k} instead of
   * {@code sum_k w_k score_k}, so a class explains its probability.
   */
  public ScoreSeed ofProbabilities() {
    boolean[] p = new boolean[rows];
    Arrays.fill(p, true);
    return new ScoreSeed(rows, weights, top, p);
  }

  /**
   * Rows that explain their own top-1 class get the class these scores [rows, K] rank first, as
   * a fixed class: modified copies of an image (noise, interpolation paths, augmentations) then
   * explain the class of the original rather than their own.
   */
  public ScoreSeed withTopFixed(FloatTensor scores) {
    int k = scores.size() / rows;
    if (scores.dim(0) != rows) {
      throw new IllegalArgumentException("scores have " + scores.dim(0) + " rows for a seed of "
          + rows);
    }
    float[] m = seedMatrix(k);
    float[][] w = new float[rows][];
    for (int r = 0; r < rows; r++) {
      w[r] = Arrays.copyOfRange(m, r * k, (r + 1) * k);
      if (top[r] != 0f) {
        w[r][argmax(scores, r * k, k)] += top[r];
      }
    }
    return new ScoreSeed(rows, w, new float[rows], probability);
  }

  /** The seed restricted to one row. */
  public ScoreSeed row(int r) {
    return new ScoreSeed(1, new float[][] {weights[r]}, new float[] {top[r]},
        new boolean[] {probability[r]});
  }

  /** The explicit weights as a [rows, classes] row-major array. */
  public float[] seedMatrix(int classes) {
    float[] m = new float[rows * classes];
    for (int r = 0; r < rows; r++) {
      float[] w = weights[r];
      if (w == null) {
        continue;
      }
      checkRange(w, classes);
      System.arraycopy(w, 0, m, r * classes, w.length);
    }
    return m;
  }

  private static void checkRange(float[] w, int classes) {
    if (w.length > classes) {
      int last = w.length - 1;
      throw new InvalidInputException("class " + last + " is out of range: the model has "
          + classes + " classes (0.." + (classes - 1) + ")");
    }
  }

  /** Per row, the one class it explains (-1: the row's own top-1) and that class's weight. */
  public record ClassWeights(long[] classes, float[] weights) {
  }

  /**
   * The seed as one weighted class per row, when every row explains a single class score (its
   * top-1 or one class with a nonzero weight, not a probability); empty otherwise.
   */
  public Optional<ClassWeights> singleClasses(int classes) {
    long[] c = new long[rows];
    float[] w = new float[rows];
    for (int r = 0; r < rows; r++) {
      int only = weights[r] == null ? -1 : onlyNonzero(weights[r]);
      if (probability[r] || only == MANY || (only >= 0 && top[r] != 0f)) {
        return Optional.empty();
      }
      if (only >= 0) {
        checkRange(weights[r], classes);
      }
      c[r] = only;
      w[r] = only >= 0 ? weights[r][only] : top[r];
    }
    return Optional.of(new ClassWeights(c, w));
  }

  /** The index of the one nonzero weight, -1 for none, {@link #MANY} for several. */
  private static int onlyNonzero(float[] w) {
    int found = -1;
    for (int k = 0; k < w.length; k++) {
      if (w[k] != 0f) {
        if (found >= 0) {
          return MANY;
        }
        found = k;
      }
    }
    return found;
  }

  public float[] topWeights() {
    return top.clone();
  }

  public float[] probabilityFlags() {
    float[] f = new float[rows];
    for (int r = 0; r < rows; r++) {
      f[r] = probability[r] ? 1f : 0f;
    }
    return f;
  }

  public boolean isTop(int row) {
    return top[row] != 0f;
  }

  /**
   * The class each row explains given the scores [N, K]: its top-1 for top-class rows, the class
   * of a one-hot row, -1 for any other weighting.
   */
  public int[] explainedClasses(FloatTensor scores) {
    int n = (int) scores.dim(0);
    int k = scores.size() / n;
    int[] out = new int[n];
    float[] m = seedMatrix(k);
    for (int r = 0; r < n; r++) {
      out[r] = isTop(r) ? argmax(scores, r * k, k) : oneHotIndex(m, r * k, k);
    }
    return out;
  }

  private static int oneHotIndex(float[] m, int offset, int k) {
    int index = -1;
    for (int j = 0; j < k; j++) {
      if (Math.abs(m[offset + j]) == 1f && index < 0) {
        index = j;
      } else if (m[offset + j] != 0f) {
        return -1;
      }
    }
    return index;
  }

  public static int argmax(FloatTensor t, int offset, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (t.get(offset + j) > t.get(offset + best)) {
        best = j;
      }
    }
    return best;
  }
}

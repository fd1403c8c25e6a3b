package org.cam4j.method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.cam4j.InvalidInputException;
import org.cam4j.UnsupportedModelException;
import org.cam4j.engine.ForwardResult;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.internal.engine.ModelAccess;
import org.cam4j.internal.graph.AttentionMaps;
import org.cam4j.tensor.FloatTensor;

/**
 * Attention rollout (Abnar &amp; Zuidema 2020) for vision transformers, forward only: each
 * block's attention probabilities (its Softmax output, [N, H, T, T] or torchvision's
 * [N·H, T, T]) are fused
 * over heads to A [T, T], the residual connection is added as A' = (A + I)/2 with rows
 * renormalised to sum 1, and the blocks are multiplied, R = A'_L ··· A'_1. The map is the class
 * token's row of R over the patch tokens, R[0, k:], reshaped to the token grid.
 *
 * <p>As in jacobgil/vit-explain, before adding I the lowest {@link Builder#discardRatio} of the
 * T² entries of A are set to 0 (never entry [0,0]). The default 0.9 is vit-explain's, the
 * implementation most users compare with; the paper itself discards nothing, which
 * {@code discardRatio(0)} reproduces. Rows are divided by their own sums (vit-explain's
 * {@code a / a.sum(dim=-1)} broadcasts over columns instead; the paper normalises rows).
 *
 * <p>The map does not depend on the target class: it shows what the class token attends to,
 * explaining the prediction overall. The layer only gives the token grid (prefix tokens k and
 * h×w); when its layout does not fit T, k is the smallest count from 1 that leaves a square grid.
 */
public final class AttentionRollout extends CamMethod {
  /** vit-explain's default share of attention entries discarded per block. */
  public static final double DEFAULT_DISCARD_RATIO = 0.9;

  /** How one block's heads are fused into one attention matrix. */
  public enum HeadFusion {
    /** The mean over heads (the paper's and vit-explain's default). */
    MEAN,
    /** The maximum over heads. */
    MAX,
    /** The minimum over heads. */
    MIN
  }

  private final double discardRatio;
  private final HeadFusion headFusion;

  private AttentionRollout(Builder b) {
    this.discardRatio = b.discardRatio;
    this.headFusion = b.headFusion;
  }

  /** A builder starting from discard ratio 0.9 and mean head fusion. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code attention-rollout}. */
  @Override
  public String name() {
    return "attention-rollout";
  }

  /** False: the map comes from one forward run. */
  @Override
  public boolean needsGradients() {
    return false;
  }

  /** The share of each fused attention matrix's entries set to 0, in [0, 1). */
  public double discardRatio() {
    return discardRatio;
  }

  /** How heads are fused. */
  public HeadFusion headFusion() {
    return headFusion;
  }

  /** Raw maps [N, h, w]: the class token's rolled-out attention over the patch tokens. */
  @Override
  public FloatTensor rawMaps(CamContext context, String layer) {
    Rollout rollout = context.memo(this, () -> rollout(context));
    int t = rollout.tokens;
    int[] grid = grid(context.layout(layer), t);
    int k = grid[0];
    int cells = grid[1] * grid[2];
    int n = rollout.classRows.length;
    float[] out = new float[n * cells];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < cells; j++) {
        out[i * cells + j] = (float) rollout.classRows[i][k + j];
      }
    }
    return FloatTensor.wrap(new long[] {n, grid[1], grid[2]}, out);
  }

  @Override
  FeatureMaps channelTerms(FeatureMaps activations, FeatureMaps gradients) {
    throw new UnsupportedOperationException("attention rollout reads the attention maps, not a"
        + " layer's channels: use rawMaps(CamContext, layer)");
  }

  /** Per image the class token's row of R (length T), and T. */
  private record Rollout(int tokens, double[][] classRows) {
  }

  /**
   * One forward run per image, so that attention exported as [B·H, T, T] (torchvision) reads the
   * same as [B, H, T, T]: with B = 1 the leading dimensions are the heads.
   */
  private Rollout rollout(CamContext context) {
    List<String> softmax = AttentionMaps.softmaxOutputs(ModelAccess.graph(context.model()));
    FloatTensor input = context.input();
    int n = (int) input.dim(0);
    long[] single = input.shape();
    single[0] = 1;
    double[][] rows = new double[n][];
    int t = 0;
    for (int i = 0; i < n; i++) {
      List<FloatTensor> attention = attention(context, softmax,
          FloatTensor.wrap(single, input.row(i).toArray()));
      t = tokens(attention.get(0));
      double[][] r = null;
      for (FloatTensor a : attention) {
        if (tokens(a) != t) {
          throw new UnsupportedModelException("attention maps over " + t + " and " + tokens(a)
              + " tokens: attention-rollout needs one token count across blocks");
        }
        double[][] block = withResidual(discard(fuse(a)));
        r = r == null ? block : multiply(block, r);
      }
      rows[i] = r[0];
    }
    return new Rollout(t, rows);
  }

  private static List<FloatTensor> attention(CamContext context, List<String> softmax,
      FloatTensor image) {
    List<FloatTensor> attention = new ArrayList<>();
    if (!softmax.isEmpty()) {
      ForwardResult run = context.model().forward(image, softmax);
      for (String s : softmax) {
        FloatTensor a = run.tensor(s);
        if (AttentionMaps.isAttention(a.shape())) {
          attention.add(a);
        }
      }
    }
    if (attention.isEmpty()) {
      throw new UnsupportedModelException("attention-rollout needs a transformer's attention"
          + " maps (Softmax outputs [N, heads, T, T]) and this model has none: use a gradient"
          + " or perturbation method such as gradcam or scorecam");
    }
    return attention;
  }

  private static int tokens(FloatTensor attention) {
    return (int) attention.dim(attention.rank() - 1);
  }

  /** One image's heads (all leading dimensions of its attention) fused to [T, T]. */
  private double[][] fuse(FloatTensor a) {
    int t = tokens(a);
    int heads = a.size() / (t * t);
    float[] v = a.toArray();
    double[][] f = new double[t][t];
    for (int h = 0; h < heads; h++) {
      int base = h * t * t;
      for (int p = 0; p < t; p++) {
        for (int q = 0; q < t; q++) {
          double x = v[base + p * t + q];
          f[p][q] = h == 0 ? x : switch (headFusion) {
            case MEAN -> f[p][q] + x;
            case MAX -> Math.max(f[p][q], x);
            case MIN -> Math.min(f[p][q], x);
          };
        }
      }
    }
    if (headFusion == HeadFusion.MEAN) {
      for (double[] row : f) {
        for (int q = 0; q < t; q++) {
          row[q] /= heads;
        }
      }
    }
    return f;
  }

  /**
   * The lowest floor(ratio·T²) entries (flat row-major order breaks ties) set to 0, except flat
   * index 0, as vit-explain's {@code topk(..., largest=False)} then {@code indices != 0}.
   */
  private double[][] discard(double[][] f) {
    int t = f.length;
    int count = (int) (t * t * discardRatio);
    if (count == 0) {
      return f;
    }
    Integer[] order = new Integer[t * t];
    Arrays.setAll(order, x -> x);
    Arrays.sort(order, Comparator.comparingDouble((Integer x) -> f[x / t][x % t])
        .thenComparingInt(x -> x));
    for (int j = 0; j < count; j++) {
      int x = order[j];
      if (x != 0) {
        f[x / t][x % t] = 0;
      }
    }
    return f;
  }

  /** (A + I)/2 with each row divided by its sum. */
  private static double[][] withResidual(double[][] f) {
    int t = f.length;
    for (int p = 0; p < t; p++) {
      f[p][p] += 1;
      double sum = 0;
      for (int q = 0; q < t; q++) {
        f[p][q] /= 2;
        sum += f[p][q];
      }
      for (int q = 0; q < t; q++) {
        f[p][q] /= sum;
      }
    }
    return f;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int t = a.length;
    double[][] c = new double[t][t];
    for (int p = 0; p < t; p++) {
      for (int m = 0; m < t; m++) {
        double x = a[p][m];
        if (x != 0) {
          for (int q = 0; q < t; q++) {
            c[p][q] += x * b[m][q];
          }
        }
      }
    }
    return c;
  }

  /** {prefix tokens, h, w} for T tokens: the layer's token layout if it fits, else inferred. */
  static int[] grid(FeatureLayout layout, int t) {
    if (layout.kind() == FeatureLayout.Kind.TOKENS && layout.isResolved()
        && layout.prefixTokens() + layout.gridHeight() * layout.gridWidth() == t) {
      return new int[] {layout.prefixTokens(), layout.gridHeight(), layout.gridWidth()};
    }
    for (int k = 1; k <= FeatureLayout.MAX_PREFIX && k < t; k++) {
      int side = (int) Math.round(Math.sqrt(t - k));
      if (side * side == t - k) {
        return new int[] {k, side, side};
      }
    }
    throw new UnsupportedModelException("attention maps over " + t + " tokens leave no square"
        + " grid after up to " + FeatureLayout.MAX_PREFIX + " prefix tokens: give the layer a"
        + " tokens layout");
  }

  /** Options of {@link AttentionRollout}. */
  public static final class Builder {
    private double discardRatio = DEFAULT_DISCARD_RATIO;
    private HeadFusion headFusion = HeadFusion.MEAN;

    private Builder() {
    }

    /**
     * The share of each fused attention matrix's entries set to 0 before the residual is added.
     *
     * @param ratio in [0, 1); 0 is the paper's rollout without discarding
     */
    public Builder discardRatio(double ratio) {
      if (!(ratio >= 0 && ratio < 1)) {
        throw new InvalidInputException("discard ratio must be in [0, 1), not " + ratio);
      }
      this.discardRatio = ratio;
      return this;
    }

    /** How the heads of each block are fused. */
    public Builder headFusion(HeadFusion fusion) {
      this.headFusion = Objects.requireNonNull(fusion, "fusion");
      return this;
    }

    /** The method with these options. */
    public AttentionRollout build() {
      return new AttentionRollout(this);
    }
  }
}

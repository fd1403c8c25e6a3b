package org.cam4j.graph;

import java.util.Locale;
import java.util.Objects;
import org.cam4j.InvalidInputException;
import org.cam4j.tensor.FloatTensor;

/**
 * How a layer's tensor holds its feature maps: NCHW [N,C,h,w], channels-last NHWC [N,h,w,C], or
 * tokens [N,T,C] with T = k + h·w (k prefix tokens: class, distillation, register tokens, dropped
 * as pytorch-grad-cam's {@code reshape_transform} drops them). Methods read every layout as
 * [N,C,h,w] ({@link #toNchw}). Immutable.
 *
 * <p>A token layout may leave its grid (and prefix count) open, to be found from the tensor's
 * shape ({@link #resolve}): with k given, T - k must be a square; with neither, exactly one k in
 * 0..{@value #MAX_PREFIX} must leave a square, or the layout is refused as ambiguous.
 */
public final class FeatureLayout {
  /** The most prefix tokens looked for when none are given. */
  public static final int MAX_PREFIX = 8;

  /** The three ways a feature map is stored. */
  public enum Kind {
    /** [N, C, h, w]. */
    NCHW,
    /** [N, h, w, C]. */
    NHWC,
    /** [N, k + h·w, C]. */
    TOKENS
  }

  private static final FeatureLayout NCHW = new FeatureLayout(Kind.NCHW, -1, 0, 0);
  private static final FeatureLayout NHWC = new FeatureLayout(Kind.NHWC, -1, 0, 0);

  private final Kind kind;
  private final int prefixTokens;
  private final int gridHeight;
  private final int gridWidth;

  private FeatureLayout(Kind kind, int prefixTokens, int gridHeight, int gridWidth) {
    this.kind = kind;
    this.prefixTokens = prefixTokens;
    this.gridHeight = gridHeight;
    this.gridWidth = gridWidth;
  }

  /** [N, C, h, w]. */
  public static FeatureLayout nchw() {
    return NCHW;
  }

  /** [N, h, w, C]. */
  public static FeatureLayout nhwc() {
    return NHWC;
  }

  /**
   * Tokens [N, k + h·w, C].
   *
   * @param prefixTokens k, or -1 to find it from the shape
   * @param gridHeight h, or 0 to find the grid from the shape (a square)
   * @param gridWidth w, or 0 with {@code gridHeight} 0
   */
  public static FeatureLayout tokens(int prefixTokens, int gridHeight, int gridWidth) {
    if (prefixTokens < -1 || gridHeight < 0 || gridWidth < 0
        || (gridHeight == 0) != (gridWidth == 0)) {
      throw new InvalidInputException("invalid token layout: prefix " + prefixTokens + ", grid "
          + gridHeight + "x" + gridWidth);
    }
    return new FeatureLayout(Kind.TOKENS, prefixTokens, gridHeight, gridWidth);
  }

  /**
   * Parses an override as the CLI spells it: {@code nchw}, {@code nhwc} or {@code tokens}, with
   * an optional grid ({@code "14x14"}, null for none) and prefix count (null for none).
   */
  public static FeatureLayout parse(String kind, String grid, Integer prefixTokens) {
    String k = kind == null ? "tokens" : kind.toLowerCase(Locale.ROOT);
    if (!k.equals("tokens")) {
      if (grid != null || prefixTokens != null) {
        throw new InvalidInputException("--grid and --prefix-tokens apply to the tokens layout"
            + " only, not " + k);
      }
      return switch (k) {
        case "nchw" -> NCHW;
        case "nhwc" -> NHWC;
        default -> throw new InvalidInputException("unknown layer layout '" + kind
            + "': expected nchw, nhwc or tokens");
      };
    }
    int h = 0;
    int w = 0;
    if (grid != null) {
      String[] parts = grid.toLowerCase(Locale.ROOT).split("x");
      try {
        h = Integer.parseInt(parts[0].trim());
        w = Integer.parseInt(parts[parts.length == 2 ? 1 : 0].trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException("grid must be HxW (e.g. 14x14), got '" + grid + "'");
      }
      if (parts.length != 2 || h < 1 || w < 1) {
        throw new InvalidInputException("grid must be HxW (e.g. 14x14), got '" + grid + "'");
      }
    }
    return tokens(prefixTokens == null ? -1 : prefixTokens, h, w);
  }

  /** The storage kind. */
  public Kind kind() {
    return kind;
  }

  /** The prefix tokens k of a resolved token layout; -1 when open, 0 for the other kinds. */
  public int prefixTokens() {
    return kind == Kind.TOKENS ? prefixTokens : 0;
  }

  /** The grid height h of a token layout; 0 when open or for the other kinds. */
  public int gridHeight() {
    return kind == Kind.TOKENS ? gridHeight : 0;
  }

  /** The grid width w of a token layout; 0 when open or for the other kinds. */
  public int gridWidth() {
    return kind == Kind.TOKENS ? gridWidth : 0;
  }

  /** Whether every number needed to read a tensor is known. */
  public boolean isResolved() {
    return kind != Kind.TOKENS || (prefixTokens >= 0 && gridHeight > 0);
  }

  /**
   * This layout with its open numbers found from a tensor's shape, checked against it.
   *
   * @throws InvalidInputException when the shape does not fit, or leaves the grid ambiguous
   */
  public FeatureLayout resolve(long[] shape) {
    int rank = kind == Kind.TOKENS ? 3 : 4;
    if (shape.length != rank) {
      throw new InvalidInputException("a " + kind.name().toLowerCase(Locale.ROOT)
          + " layer must be " + rank + "-D, got " + java.util.Arrays.toString(shape));
    }
    if (kind != Kind.TOKENS) {
      return this;
    }
    long t = shape[1];
    if (gridHeight > 0) {
      long k = prefixTokens >= 0 ? prefixTokens : t - (long) gridHeight * gridWidth;
      if (k < 0 || k + (long) gridHeight * gridWidth != t) {
        throw new InvalidInputException(t + " tokens do not hold " + (k < 0 ? "" : k + "+")
            + gridHeight + "x" + gridWidth);
      }
      if (prefixTokens < 0 && k > MAX_PREFIX) {
        throw new InvalidInputException(t + " tokens would hold " + gridHeight + "x" + gridWidth
            + " after " + k + " prefix tokens, more than the " + MAX_PREFIX
            + " looked for: give the prefix tokens if that is meant");
      }
      return new FeatureLayout(Kind.TOKENS, (int) k, gridHeight, gridWidth);
    }
    int found = -1;
    int from = prefixTokens >= 0 ? prefixTokens : 0;
    int to = prefixTokens >= 0 ? prefixTokens : MAX_PREFIX;
    for (int k = from; k <= to && k < t; k++) {
      long side = Math.round(Math.sqrt(t - k));
      if (side * side == t - k && side > 1) {
        if (found >= 0) {
          throw new InvalidInputException(t + " tokens fit both " + found + "+ and " + k
              + "+ a square grid: give the prefix tokens or the grid");
        }
        found = k;
      }
    }
    if (found < 0) {
      throw new InvalidInputException(t + " tokens are no " + (prefixTokens >= 0
          ? prefixTokens + "+" : "k+") + "square grid: give the grid (e.g. 14x14)");
    }
    int side = (int) Math.round(Math.sqrt(t - found));
    return new FeatureLayout(Kind.TOKENS, found, side, side);
  }

  /** The channel count of a tensor of this layout. */
  public long channels(long[] shape) {
    return kind == Kind.NCHW ? shape[1] : shape[shape.length - 1];
  }

  /**
   * The tensor as [N, C, h, w]; prefix tokens are dropped.
   *
   * @throws InvalidInputException when the layout does not fit the tensor
   */
  public FloatTensor toNchw(FloatTensor t) {
    FeatureLayout r = resolve(t.shape());
    if (kind == Kind.NCHW) {
      return t;
    }
    int n = (int) t.dim(0);
    int c = (int) channels(t.shape());
    int h = kind == Kind.NHWC ? (int) t.dim(1) : r.gridHeight;
    int w = kind == Kind.NHWC ? (int) t.dim(2) : r.gridWidth;
    int skip = kind == Kind.NHWC ? 0 : r.prefixTokens;
    int perImage = (skip + h * w) * c;
    float[] in = t.toArray();
    float[] out = new float[n * c * h * w];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < h * w; p++) {
        int src = i * perImage + (skip + p) * c;
        for (int ch = 0; ch < c; ch++) {
          out[((i * c + ch) * h * w) + p] = in[src + ch];
        }
      }
    }
    return FloatTensor.of(new long[] {n, c, h, w}, out);
  }

  /**
   * How the layers listing says it for a tensor: {@code nchw 256x7x7}, {@code nhwc 7x7x768},
   * {@code tokens 1+14x14}.
   */
  public String describe(long[] shape) {
    return switch (kind) {
      case NCHW -> "nchw " + shape[1] + "x" + shape[2] + "x" + shape[3];
      case NHWC -> "nhwc " + shape[1] + "x" + shape[2] + "x" + shape[3];
      case TOKENS -> {
        FeatureLayout r = resolve(shape);
        yield "tokens " + r.prefixTokens + "+" + r.gridHeight + "x" + r.gridWidth;
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureLayout l && l.kind == kind && l.prefixTokens == prefixTokens
        && l.gridHeight == gridHeight && l.gridWidth == gridWidth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, prefixTokens, gridHeight, gridWidth);
  }

  /** E.g. {@code nchw}, {@code tokens 1+14x14}, {@code tokens} (open). */
  @Override
  public String toString() {
    if (kind != Kind.TOKENS) {
      return kind.name().toLowerCase(Locale.ROOT);
    }
    return "tokens" + (prefixTokens >= 0 || gridHeight > 0 ? " " : "")
        + (prefixTokens >= 0 ? prefixTokens + "+" : "")
        + (gridHeight > 0 ? gridHeight + "x" + gridWidth : "");
  }
}

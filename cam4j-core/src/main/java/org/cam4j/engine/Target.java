package org.cam4j.engine;

import java.util.Collections;
import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.internal.engine.ScoreSeed;

/**
 * What one image is explained for. A class's logit by default; its softmax probability
 * ({@code d p_c / dz = p_c (e_c - p)}, built in the backward graph from the same forward pass,
 * so it costs no extra run); a weighted combination of class scores; the image's own top-1
 * class; and the negative of any of these, which explains what argues against the class: the
 * evidence whose removal would raise its score. Immutable.
 *
 * <p>{@link #seed(int)} and {@link #seed(List)} give the {@link ScoreSeed} that
 * {@code CamModel.forwardBackward} and {@code CamContext} take.
 */
public final class Target {
  private final Kind kind;
  private final float[] weights;
  private final boolean negative;
  private final boolean softmax;

  private enum Kind { TOP, CLASS, WEIGHTED }

  private Target(Kind kind, float[] weights, boolean negative, boolean softmax) {
    this.kind = kind;
    this.weights = weights;
    this.negative = negative;
    this.softmax = softmax;
  }

  /** The image's own highest-scoring class (the default). */
  public static Target top() {
    return new Target(Kind.TOP, null, false, false);
  }

  /** The logit (pre-softmax score) of class {@code c}. */
  public static Target logit(int c) {
    if (c < 0) {
      throw new InvalidInputException("class index must be >= 0, got " + c);
    }
    float[] w = new float[c + 1];
    w[c] = 1f;
    return new Target(Kind.CLASS, w, false, false);
  }

  /** The softmax probability of class {@code c}. */
  public static Target softmax(int c) {
    return logit(c).probability();
  }

  /** Minus the logit of class {@code c}: what argues against the class. */
  public static Target negative(int c) {
    return logit(c).negated();
  }

  /** {@code sum_k weights[k] * score_k}; classes past the array's end weigh 0. */
  public static Target weighted(float... weights) {
    if (weights.length == 0) {
      throw new InvalidInputException("a weighted target needs at least one class weight");
    }
    return new Target(Kind.WEIGHTED, weights.clone(), false, false);
  }

  /** This target's negative. */
  public Target negated() {
    return new Target(kind, weights, !negative, softmax);
  }

  /** This target taken through the softmax: probabilities instead of logits. */
  public Target probability() {
    return new Target(kind, weights, negative, true);
  }

  /** The seed for a batch where every image has this target. */
  public ScoreSeed seed(int rows) {
    return seed(Collections.nCopies(rows, this));
  }

  /** The seed for a batch where image i has target i. */
  public static ScoreSeed seed(List<Target> perImage) {
    if (perImage.isEmpty()) {
      throw new IllegalArgumentException("no target: the batch is empty");
    }
    return ScoreSeed.concat(perImage.stream().map(Target::one).toList());
  }

  private ScoreSeed one() {
    ScoreSeed s = kind == Kind.TOP ? ScoreSeed.topClass(1)
        : ScoreSeed.weights(new float[][] {weights});
    if (negative) {
      s = s.negated();
    }
    return softmax ? s.ofProbabilities() : s;
  }
}

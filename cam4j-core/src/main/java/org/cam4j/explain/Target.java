package org.cam4j.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.cam4j.InvalidInputException;
import org.cam4j.labels.Labels;

/**
 * What one image is explained for: its own top class (the default), a class index, a class named
 * by label, synonym or WordNet id (resolved against the model's labels), or a weighted
 * combination of class scores. Each is taken as the logit (pre-softmax score, the default), as
 * the softmax probability ({@code d p_c / dz = p_c (e_c - p)}, built in the backward graph from
 * the same forward pass), and optionally negated: the evidence against the class, whose removal
 * would raise its score. Immutable.
 *
 * <p>Text forms ({@link #parse}/{@link #toString}): {@code top}, {@code 286}, {@code tabby},
 * {@code n02123045}, {@code weighted(0=0.5,3=-1)}, wrapped in {@code softmax(...)} and/or
 * {@code negative(...)}, e.g. {@code negative(softmax(286))}.
 */
public final class Target {
  private static final String SOFTMAX = "softmax(";
  private static final String NEGATIVE = "negative(";
  private static final String WEIGHTED = "weighted(";

  /** Which scores a target combines. */
  public enum Kind {
    /** Each image's own highest-scoring class. */
    TOP,
    /** One class by index. */
    CLASS,
    /** One class by name, not yet resolved against labels. */
    NAMED,
    /** A weighted sum of class scores. */
    WEIGHTED
  }

  /** How the class scores enter: {@code --score logit|softmax|negative} on the command line. */
  public enum Score {
    /** The logit, the pre-softmax score (as Grad-CAM). */
    LOGIT,
    /** The softmax probability. */
    SOFTMAX,
    /** Minus the logit: the evidence against the class. */
    NEGATIVE;

    /** {@code logit}, {@code softmax} or {@code negative} (case-insensitive). */
    public static Score parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("unknown score '" + text
            + "'; use logit, softmax or negative");
      }
    }
  }

  private final Kind kind;
  private final int index;
  private final String name;
  private final float[] weights;
  private final boolean probability;
  private final boolean negative;

  private Target(Kind kind, int index, String name, float[] weights, boolean probability,
      boolean negative) {
    this.kind = kind;
    this.index = index;
    this.name = name;
    this.weights = weights;
    this.probability = probability;
    this.negative = negative;
  }

  /** Each image's own highest-scoring class (the default). */
  public static Target top() {
    return new Target(Kind.TOP, -1, null, null, false, false);
  }

  /** The logit of class {@code index}. */
  public static Target index(int index) {
    if (index < 0) {
      throw new InvalidInputException("class index must be >= 0, got " + index);
    }
    return new Target(Kind.CLASS, index, null, null, false, false);
  }

  /** A class named by WordNet id, label or synonym, e.g. "tabby" or "n02123045". */
  public static Target named(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("class name is empty");
    }
    return new Target(Kind.NAMED, -1, name.trim(), null, false, false);
  }

  /** {@code sum_k weights[k] * score_k}; classes past the array's end weigh 0. */
  public static Target weighted(float... weights) {
    if (weights.length == 0) {
      throw new InvalidInputException("a weighted target needs at least one class weight");
    }
    int length = weights.length;
    while (length > 1 && weights[length - 1] == 0f) {
      length--; // trailing zeros weigh nothing; dropping them keeps equals and toString exact
    }
    return new Target(Kind.WEIGHTED, -1, null, Arrays.copyOf(weights, length), false, false);
  }

  /**
   * Reads the text form (see the class comment): {@code top}, an index, a class name,
   * {@code weighted(k=w,...)}, optionally inside {@code softmax(...)} and {@code negative(...)}.
   */
  public static Target parse(String text) {
    String t = Objects.requireNonNull(text, "class").trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith(NEGATIVE) && t.endsWith(")")) {
      return parse(t.substring(NEGATIVE.length(), t.length() - 1)).negated();
    }
    if (lower.startsWith(SOFTMAX) && t.endsWith(")")) {
      return parse(t.substring(SOFTMAX.length(), t.length() - 1)).probability();
    }
    if (lower.startsWith(WEIGHTED) && t.endsWith(")")) {
      return parseWeights(t.substring(WEIGHTED.length(), t.length() - 1));
    }
    if (lower.equals("top")) {
      return top();
    }
    if (t.matches("[-+]?\\d+")) {
      return index(classIndex(t));
    }
    return named(t);
  }

  /** A class index written in digits; a negative or huge number is a one-line input error. */
  private static int classIndex(String digits) {
    try {
      int index = Integer.parseInt(digits);
      if (index >= 0) {
        return index;
      }
    } catch (NumberFormatException e) {
      // more digits than an int holds: out of range as much as a negative index
    }
    throw new InvalidInputException("class " + digits + " is out of range: a class index is"
        + " 0..N-1 for a model of N classes");
  }

  private static Target parseWeights(String list) {
    List<float[]> pairs = new ArrayList<>();
    int classes = 0;
    for (String part : list.split(",")) {
      String[] kv = part.split("=");
      if (kv.length != 2 || !kv[0].trim().matches("\\d+")) {
        throw new InvalidInputException("weighted target '" + list + "': give class=weight"
            + " pairs, e.g. weighted(0=0.5,3=-1)");
      }
      int k = classIndex(kv[0].trim());
      float w;
      try {
        w = Float.parseFloat(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException("weighted target: '" + kv[1].trim()
            + "' is not a number");
      }
      pairs.add(new float[] {k, w});
      classes = Math.max(classes, k + 1);
    }
    float[] weights = new float[classes];
    for (float[] p : pairs) {
      weights[(int) p[0]] += p[1];
    }
    return weighted(weights);
  }

  /** This target's negative: what argues against it. */
  public Target negated() {
    return new Target(kind, index, name, weights, probability, !negative);
  }

  /** This target taken through the softmax: probabilities instead of logits. */
  public Target probability() {
    return new Target(kind, index, name, weights, true, negative);
  }

  /** This target with its scores taken as {@code score} says (LOGIT leaves it unchanged). */
  public Target scored(Score score) {
    return switch (Objects.requireNonNull(score, "score")) {
      case LOGIT -> this;
      case SOFTMAX -> probability();
      case NEGATIVE -> negated();
    };
  }

  /**
   * This target with a class name replaced by its index in {@code labels} (aligned to the
   * model), and a class index checked against their count.
   *
   * @throws org.cam4j.labels.LabelsException for a name that matches no class or several (the
   *     message lists the closest names; {@link Labels#suggestions} gives them)
   * @throws InvalidInputException for a class index past the model's classes
   */
  public Target resolve(Labels labels) {
    if (kind == Kind.NAMED) {
      return new Target(Kind.CLASS, labels.find(name).index(), null, null, probability,
          negative);
    }
    int last = kind == Kind.CLASS ? index : kind == Kind.WEIGHTED ? weights.length - 1 : -1;
    if (last >= labels.size()) {
      throw new InvalidInputException("class " + last + " is out of range: the model has "
          + labels.size() + " classes (0.." + (labels.size() - 1) + ")");
    }
    return this;
  }

  /**
   * This target with {@link Kind#TOP} fixed to class {@code index}, keeping how it is scored;
   * other targets unchanged. Modified copies of an image (noise, interpolation paths,
   * augmentations) then explain the class of the original rather than their own.
   */
  public Target withTopAs(int index) {
    return kind == Kind.TOP ? new Target(Kind.CLASS, index(index).index, null, null, probability,
        negative) : this;
  }

  /** What the target names: the top class, a class index, a class name or weights. */
  public Kind kind() {
    return kind;
  }

  /** Whether each image's own top class is explained. */
  public boolean isTop() {
    return kind == Kind.TOP;
  }

  /**
   * The class index of a {@link Kind#CLASS} target.
   *
   * @throws IllegalStateException for other kinds; a named class needs {@link #resolve} first
   */
  public int index() {
    if (kind != Kind.CLASS) {
      throw new IllegalStateException(kind == Kind.NAMED ? "class '" + name + "' is a name;"
          + " without labels give 'top' or a class index" : "target " + this + " has no single"
          + " class index");
    }
    return index;
  }

  /** The class name of a {@link Kind#NAMED} target, else empty. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /**
   * The class weights: one-hot for a class, the given weights for a weighted target, empty for
   * {@link Kind#TOP}; a copy.
   *
   * @throws IllegalStateException for a named class not yet resolved
   */
  public float[] weights() {
    return switch (kind) {
      case TOP -> new float[0];
      case CLASS -> {
        float[] w = new float[index + 1];
        w[index] = 1f;
        yield w;
      }
      case WEIGHTED -> weights.clone();
      case NAMED -> throw new IllegalStateException("class '" + name + "' is a name; resolve it"
          + " against the model's labels first");
    };
  }

  /** Whether the softmax probabilities are explained rather than the logits. */
  public boolean isProbability() {
    return probability;
  }

  /** Whether the score is negated (what argues against the class). */
  public boolean isNegative() {
    return negative;
  }

  /** How the scores enter as one of the command line's kinds; null for negated probabilities. */
  public Score score() {
    if (probability && negative) {
      return null;
    }
    return probability ? Score.SOFTMAX : negative ? Score.NEGATIVE : Score.LOGIT;
  }

  /** The class part of the text form, without {@code softmax(...)}/{@code negative(...)}. */
  public String classText() {
    return switch (kind) {
      case TOP -> "top";
      case CLASS -> Integer.toString(index);
      case NAMED -> name;
      case WEIGHTED -> {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < weights.length; k++) {
          if (weights[k] != 0f) {
            parts.add(k + "=" + weights[k]);
          }
        }
        yield WEIGHTED + String.join(",", parts) + ")";
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target t && kind == t.kind && index == t.index
        && Objects.equals(name, t.name) && Arrays.equals(weights, t.weights)
        && probability == t.probability && negative == t.negative;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, index, name, Arrays.hashCode(weights), probability, negative);
  }

  /** The text form {@link #parse} reads back. */
  @Override
  public String toString() {
    String s = classText();
    if (probability) {
      s = SOFTMAX + s + ")";
    }
    return negative ? NEGATIVE + s + ")" : s;
  }
}

package org.cam4j.explain;

import java.util.List;
import java.util.Objects;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.Target;
import org.cam4j.method.CamMethod;
import org.cam4j.method.MethodOptions;
import org.cam4j.method.Methods;
import org.cam4j.render.Overlay;

/**
 * What to explain and how to draw it. Immutable; defaults: Grad-CAM at the automatically chosen
 * layer, each image's top class, jet overlay at alpha 0.4, top-5 predictions.
 */
public final class ExplainOptions {
  private final String method;
  private final MethodOptions methodOptions;
  private final Score score;
  private final List<String> layers;
  private final boolean allLayers;
  private final ClassChoice target;
  private final Overlay overlay;
  private final int topK;

  private ExplainOptions(Builder b) {
    this.method = b.method;
    this.methodOptions = b.methodOptions;
    this.score = b.score;
    this.layers = List.copyOf(b.layers);
    this.allLayers = b.allLayers;
    this.target = b.target;
    this.overlay = b.overlay;
    this.topK = b.topK;
  }

  public static ExplainOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What of the class is explained. */
  public enum Score {
    /** Its logit, the pre-softmax score (the default, as Grad-CAM). */
    LOGIT,
    /** Its softmax probability. */
    SOFTMAX,
    /** Minus its logit: the evidence against the class. */
    NEGATIVE;

    /** {@code logit} (a class's logit, or the top class) turned into this kind of score. */
    public Target of(Target logit) {
      return switch (this) {
        case LOGIT -> logit;
        case SOFTMAX -> logit.probability();
        case NEGATIVE -> logit.negated();
      };
    }
  }

  /** A new method instance (methods may keep per-call state). */
  public CamMethod method() {
    return Methods.create(method, methodOptions);
  }

  public MethodOptions methodOptions() {
    return methodOptions;
  }

  public Score score() {
    return score;
  }

  /** The method's name as given, e.g. "gradcam" (output files use the made method's name). */
  public String methodName() {
    return method;
  }

  /** Layer queries as the user gave them ("auto", names, block names). */
  public List<String> layers() {
    return layers;
  }

  /** Whether every block output is explained (one backward pass) and drawn as a strip. */
  public boolean allLayers() {
    return allLayers;
  }

  public ClassChoice target() {
    return target;
  }

  public Overlay overlay() {
    return overlay;
  }

  public int topK() {
    return topK;
  }

  /** Builder for {@link ExplainOptions}. */
  public static final class Builder {
    private String method = "gradcam";
    private MethodOptions methodOptions = MethodOptions.defaults();
    private Score score = Score.LOGIT;
    private List<String> layers = List.of("auto");
    private boolean allLayers;
    private ClassChoice target = ClassChoice.TOP;
    private Overlay overlay = Overlay.defaults();
    private int topK = 5;

    private Builder() {
    }

    /** A method name from {@link Methods#names()}; checked here. */
    public Builder method(String name) {
      Methods.byName(name);
      this.method = name;
      return this;
    }

    /** Batch size and smoothing of the method; checked against it when the method is made. */
    public Builder methodOptions(MethodOptions options) {
      this.methodOptions = Objects.requireNonNull(options, "method options");
      return this;
    }

    public Builder score(Score score) {
      this.score = Objects.requireNonNull(score, "score");
      return this;
    }

    /**
     * Layers to explain: "auto", tensor names, block names or suffixes; several are fused
     * (mean of their normalised maps).
     */
    public Builder layers(List<String> layers) {
      if (layers.isEmpty()) {
        throw new InvalidInputException("give at least one layer (or \"auto\")");
      }
      this.layers = List.copyOf(layers);
      return this;
    }

    public Builder layer(String layer) {
      return layers(List.of(layer));
    }

    public Builder allLayers(boolean allLayers) {
      this.allLayers = allLayers;
      return this;
    }

    public Builder target(ClassChoice target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    public Builder overlay(Overlay overlay) {
      this.overlay = Objects.requireNonNull(overlay, "overlay");
      return this;
    }

    public Builder topK(int k) {
      if (k < 1) {
        throw new InvalidInputException("top-k must be >= 1, got " + k);
      }
      this.topK = k;
      return this;
    }

    public ExplainOptions build() {
      return new ExplainOptions(this);
    }
  }
}

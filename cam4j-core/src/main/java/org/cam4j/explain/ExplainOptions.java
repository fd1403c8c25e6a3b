package org.cam4j.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cam4j.InvalidInputException;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.method.CamMethod;
import org.cam4j.method.MethodOptions;
import org.cam4j.method.Methods;
import org.cam4j.render.Overlay;

/**
 * What to explain and how to draw it. Immutable; defaults: Grad-CAM at the automatically chosen
 * layer, each image's top class ({@link Target#top()}), the Keras-tutorial normalisation
 * ({@link Normalization#RELU_MAX}), jet overlay at alpha 0.4, top-5 predictions. Several methods
 * are explained from one shared forward/backward run.
 */
public final class ExplainOptions {
  private final List<CamMethod> methods;
  private final MethodOptions methodOptions;
  private final List<String> layers;
  private final boolean allLayers;
  private final Target target;
  private final Normalization normalization;
  private final Overlay overlay;
  private final int topK;
  private final FeatureLayout layerLayout;

  private ExplainOptions(Builder b) {
    List<CamMethod> made = new ArrayList<>();
    for (Object m : b.methods) {
      made.add(m instanceof CamMethod c ? c : Methods.create((String) m, b.methodOptions));
    }
    this.methods = List.copyOf(made);
    this.methodOptions = b.methodOptions;
    this.layers = List.copyOf(b.layers);
    this.allLayers = b.allLayers;
    this.target = b.target;
    this.normalization = b.normalization;
    this.overlay = b.overlay;
    this.topK = b.topK;
    this.layerLayout = b.layerLayout;
  }

  /** Grad-CAM of each image's top class at the default layer. */
  public static ExplainOptions defaults() {
    return builder().build();
  }

  /**
   * The layout the explained layers are read in when given, overriding the one inferred from
   * the graph.
   */
  public Optional<FeatureLayout> layerLayout() {
    return Optional.ofNullable(layerLayout);
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The methods, in the order given. Methods hold no per-call state, so these instances serve
   * every call and thread.
   */
  public List<CamMethod> methods() {
    return methods;
  }

  /** The options methods given by name were made with. */
  public MethodOptions methodOptions() {
    return methodOptions;
  }

  /** Layer queries as the user gave them ("auto", names, block names). */
  public List<String> layers() {
    return layers;
  }

  /** Whether every block output is explained (one backward pass) and drawn as a strip. */
  public boolean allLayers() {
    return allLayers;
  }

  /** What each image is explained for. */
  public Target target() {
    return target;
  }

  /** How raw maps are scaled to [0, 1]. */
  public Normalization normalization() {
    return normalization;
  }

  /** How overlays are drawn. */
  public Overlay overlay() {
    return overlay;
  }

  /** How many predictions each explanation lists. */
  public int topK() {
    return topK;
  }

  /** Builder for {@link ExplainOptions}. */
  public static final class Builder {
    /** Each a method name (made at build with the method options) or a configured method. */
    private List<Object> methods = List.of("gradcam");
    private MethodOptions methodOptions = MethodOptions.defaults();
    private List<String> layers = List.of("auto");
    private boolean allLayers;
    private Target target = Target.top();
    private Normalization normalization = Normalization.RELU_MAX;
    private Overlay overlay = Overlay.defaults();
    private int topK = 5;
    private FeatureLayout layerLayout;

    private Builder() {
    }

    /** One method by name from {@link Methods#names()} (checked here). */
    public Builder method(String name) {
      Methods.byName(name);
      this.methods = List.of(name);
      return this;
    }

    /** One configured method, e.g. {@code IntegratedGradients.builder().steps(64).build()}. */
    public Builder method(CamMethod method) {
      this.methods = List.of(Objects.requireNonNull(method, "method"));
      return this;
    }

    /** Several configured methods, explained from one shared run. */
    public Builder methods(List<CamMethod> methods) {
      if (methods.isEmpty()) {
        throw new InvalidInputException("give at least one method");
      }
      this.methods = List.copyOf(methods);
      return this;
    }

    /** Several methods by name (checked here), explained from one shared run. */
    public Builder methodNames(List<String> names) {
      if (names.isEmpty()) {
        throw new InvalidInputException("give at least one method");
      }
      names.forEach(Methods::byName);
      this.methods = List.copyOf(names);
      return this;
    }

    /**
     * Batch size and smoothing for the methods given by name; checked against each when it is
     * made.
     */
    public Builder methodOptions(MethodOptions options) {
      this.methodOptions = Objects.requireNonNull(options, "method options");
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

    /** One layer query (see {@link #layers}). */
    public Builder layer(String layer) {
      return layers(List.of(layer));
    }

    /** Explain every block output (the layer queries are then ignored). */
    public Builder allLayers(boolean allLayers) {
      this.allLayers = allLayers;
      return this;
    }

    /** What each image is explained for (default {@link Target#top()}). */
    public Builder target(Target target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** How raw maps are scaled to [0, 1] (default {@link Normalization#RELU_MAX}). */
    public Builder normalization(Normalization normalization) {
      this.normalization = Objects.requireNonNull(normalization, "normalization");
      return this;
    }

    /** How overlays are drawn. */
    public Builder overlay(Overlay overlay) {
      this.overlay = Objects.requireNonNull(overlay, "overlay");
      return this;
    }

    /** How many predictions each explanation lists (at least 1). */
    public Builder topK(int k) {
      if (k < 1) {
        throw new InvalidInputException("top-k must be >= 1, got " + k);
      }
      this.topK = k;
      return this;
    }

    /**
     * Reads the explained layers in this layout rather than the one inferred from the graph
     * (null: inferred). Needed where the graph leaves it open, e.g. a 3-D token tensor the
     * layer discovery did not follow.
     */
    public Builder layerLayout(FeatureLayout layout) {
      this.layerLayout = layout;
      return this;
    }

    /** The options; methods given by name are made here with the method options. */
    public ExplainOptions build() {
      return new ExplainOptions(this);
    }
  }
}

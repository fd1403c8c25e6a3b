package org.cam4j.explain;

import java.util.List;
import java.util.Objects;
import org.cam4j.method.CamMethod;
import org.cam4j.method.Methods;
import org.cam4j.render.Overlay;

/**
 * What to explain and how to draw it. Immutable; defaults: Grad-CAM at the automatically chosen
 * layer, each image's top class, jet overlay at alpha 0.4, top-5 predictions.
 */
public final class ExplainOptions {
  private final String method;
  private final List<String> layers;
  private final boolean allLayers;
  private final ClassChoice target;
  private final Overlay overlay;
  private final int topK;

  private ExplainOptions(Builder b) {
    this.method = b.method;
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

  /** A new method instance (methods may keep per-call state). */
  public CamMethod method() {
    return Methods.byName(method);
  }

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
    private List<String> layers = List.of("auto");
    private boolean allLayers;
    private ClassChoice target = ClassChoice.TOP;
    private Overlay overlay = Overlay.defaults();
    private int topK = 5;

    private Builder() {
    }

    /** A method name from {@link Methods#names()}; checked here. */
    public Builder method(String name) {
      this.method = Methods.byName(name).name();
      return this;
    }

    /**
     * Layers to explain: "auto", tensor names, block names or suffixes; several are fused
     * (mean of their normalised maps).
     */
    public Builder layers(List<String> layers) {
      if (layers.isEmpty()) {
        throw new IllegalArgumentException("give at least one layer (or \"auto\")");
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
        throw new IllegalArgumentException("top-k must be >= 1, got " + k);
      }
      this.topK = k;
      return this;
    }

    public ExplainOptions build() {
      return new ExplainOptions(this);
    }
  }
}

package org.cam4j.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cam4j.Cancellation;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.GradientResult;
import org.cam4j.explain.Target;
import org.cam4j.internal.maps.MapOps;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/**
 * pytorch-grad-cam's {@code aug_smooth} around any method. Its protocol (BaseCAM's
 * forward_augmentation_smoothing with ttach {@code HorizontalFlip} x {@code Multiply([0.9, 1,
 * 1.1])}): run the method on the image mirrored left-right or not, times each factor; map each
 * result back (un-mirror it; Multiply scales the preprocessed values, not the image size, so
 * there is nothing to resize and the model's fixed input size is kept); average. As there, every
 * map is ReLU'd and min-max scaled before the average ({@link MapOps}); the caller's final
 * scaling then makes the result pytorch-grad-cam's up to that scaling. All copies run as one
 * batch. Unlike pytorch-grad-cam, where each copy explains its own top class, a row that
 * explains its top class explains the original image's in every copy. Immutable.
 */
public final class AugSmooth extends CamMethod {
  private final CamMethod method;
  private final boolean flip;
  private final float[] factors;

  private AugSmooth(Builder b) {
    this.method = b.method;
    this.flip = b.flip;
    this.factors = b.factors.clone();
  }

  /** pytorch-grad-cam's augmentations: flip or not, times factors 0.9, 1 and 1.1. */
  public static AugSmooth of(CamMethod method) {
    return builder(method).build();
  }

  /** Starts a builder that smooths {@code method} with the default flips and brightness factors. */
  public static Builder builder(CamMethod method) {
    return new Builder(method);
  }

  /** The smoothed method's name: smoothing is an option of it, as in pytorch-grad-cam. */
  @Override
  public String name() {
    return method.name();
  }

  @Override
  public boolean needsGradients() {
    return method.needsGradients();
  }

  @Override
  public boolean usesLayer() {
    return method.usesLayer();
  }

  /** The copies' context is built once per context, so all layers share its run. */
  @Override
  public FloatTensor rawMaps(CamContext context, String layer) {
    Cancellation.checkpoint();
    CamContext copies = context.memo(this, () -> augment(context));
    FloatTensor raw = method.rawMaps(copies, layer);
    int n = (int) context.input().dim(0);
    int h = (int) raw.dim(1);
    int w = (int) raw.dim(2);
    int area = h * w;
    int count = (int) raw.dim(0) / n;
    float[] sum = new float[n * area];
    float[] map = new float[area];
    for (int a = 0; a < count; a++) {
      boolean mirrored = flip && a >= factors.length;
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < area; p++) {
          map[p] = raw.get((a * n + i) * area + p);
        }
        MapOps.relu(map);
        MapOps.scale(map);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            sum[i * area + y * w + x] += map[y * w + (mirrored ? w - 1 - x : x)];
          }
        }
      }
    }
    for (int j = 0; j < sum.length; j++) {
      sum[j] /= count;
    }
    return FloatTensor.of(new long[] {n, h, w}, sum);
  }

  @Override
  public FloatTensor rawMaps(GradientResult run, String layer) {
    throw needsContext();
  }

  @Override
  public FloatTensor rawMaps(FloatTensor activations, FloatTensor gradients) {
    throw needsContext();
  }

  private UnsupportedOperationException needsContext() {
    return new UnsupportedOperationException("aug smoothing runs " + method.name()
        + " on augmented copies of the input: call rawMaps(CamContext, layer)");
  }

  /** Copies block by block: unmirrored for each factor, then mirrored for each factor. */
  private CamContext augment(CamContext context) {
    CamModel model = context.model();
    FloatTensor input = context.input();
    Layout layout = model.signature().layout();
    List<Target> fixed = context.targetsWithTopFixed(model.scores(input));
    List<FloatTensor> rows = new ArrayList<>();
    int blocks = 0;
    for (int mirrored = 0; mirrored < (flip ? 2 : 1); mirrored++) {
      for (float factor : factors) {
        for (int i = 0; i < input.dim(0); i++) {
          FloatTensor row = input.row(i);
          rows.add(transformed(row, layout, mirrored == 1, factor));
        }
        blocks++;
      }
    }
    List<Target> targets = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      targets.addAll(fixed);
    }
    return CamContext.of(model, FloatTensor.stack(rows), context.layers(), targets,
        context.layoutOverrides());
  }

  /** One image [C,H,W] or [H,W,C] times a factor, mirrored along its width if asked. */
  private static FloatTensor transformed(FloatTensor image, Layout layout, boolean mirrored,
      float factor) {
    long[] s = image.shape();
    int widthAxis = layout.widthAxis() - 1;
    int width = (int) s[widthAxis];
    int inner = 1;
    for (int d = widthAxis + 1; d < s.length; d++) {
      inner *= (int) s[d];
    }
    float[] out = new float[image.size()];
    for (int j = 0; j < out.length; j++) {
      int x = (j / inner) % width;
      int from = mirrored ? j + (width - 1 - 2 * x) * inner : j;
      out[j] = image.get(from) * factor;
    }
    return FloatTensor.of(s, out);
  }

  /** Builder for {@link AugSmooth}. */
  public static final class Builder {
    private final CamMethod method;
    private boolean flip = true;
    private float[] factors = {1f, 0.9f, 1.1f};

    private Builder(CamMethod method) {
      this.method = Objects.requireNonNull(method, "method");
    }

    /** Whether mirrored copies are added (default true). */
    public Builder flip(boolean mirror) {
      this.flip = mirror;
      return this;
    }

    /** Factors the preprocessed values are multiplied by (default 1, 0.9, 1.1). */
    public Builder factors(float... f) {
      if (f.length == 0) {
        throw new InvalidInputException("aug smoothing needs at least one factor");
      }
      for (float v : f) {
        if (!(v > 0) || Float.isInfinite(v)) {
          throw new InvalidInputException("factors must be finite and > 0, got " + v);
        }
      }
      this.factors = f.clone();
      return this;
    }

    /** The smoothed method. */
    public AugSmooth build() {
      return new AugSmooth(this);
    }
  }
}

package org.cam4j.method;

import org.cam4j.engine.FloatTensor;
import org.cam4j.engine.GradientResult;

/**
 * A class activation map method: turns one layer's activations A [N,C,h,w] (and, for gradient
 * methods, the score gradients dA) into a raw map [N,h,w] before ReLU and normalisation.
 *
 * <p>The base combines per-channel weights with the activations, {@code sum_c w_c A_c}; most
 * methods only override {@link #channelWeights} (as pytorch-grad-cam's {@code get_cam_weights}),
 * element-wise methods override {@link #rawMaps}.
 */
public abstract class CamMethod {
  /** The method's command-line name, e.g. "gradcam". */
  public abstract String name();

  /** Whether the method needs d(score)/dA (a backward pass). */
  public boolean needsGradients() {
    return true;
  }

  /**
   * Whether the maps depend on the layer. False for methods that attribute the score to the
   * input pixels (saliency, SmoothGrad, ...): their maps are [N,H,W] at input resolution and the
   * same for every layer, so one call serves all.
   */
  public boolean usesLayer() {
    return true;
  }

  /**
   * Raw maps [N,h,w] for one layer. The default reads A (and dA) from the context's shared run;
   * methods that need more (running the network again, the input gradient) override this.
   */
  public FloatTensor rawMaps(CamContext context, String layer) {
    return rawMaps(context.run(), layer);
  }

  /** Raw maps [N,h,w] for one layer of a forward+backward run. */
  public FloatTensor rawMaps(GradientResult run, String layer) {
    return rawMaps(run.activation(layer), needsGradients() ? run.gradient(layer) : null);
  }

  /** Raw maps [N,h,w] from activations and gradients [N,C,h,w]. */
  public FloatTensor rawMaps(FloatTensor activations, FloatTensor gradients) {
    FeatureMaps a = FeatureMaps.of(activations);
    float[] weights = channelWeights(a, gradients == null ? null : FeatureMaps.of(gradients));
    float[] out = new float[a.n() * a.area()];
    for (int i = 0; i < a.n(); i++) {
      for (int c = 0; c < a.c(); c++) {
        float w = weights[i * a.c() + c];
        int base = a.offset(i, c);
        int o = i * a.area();
        for (int p = 0; p < a.area(); p++) {
          out[o + p] += w * a.data()[base + p];
        }
      }
    }
    return FloatTensor.of(new long[] {a.n(), a.h(), a.w()}, out);
  }

  /** Per-image channel weights, row-major [N, C]. */
  protected float[] channelWeights(FeatureMaps activations, FeatureMaps gradients) {
    throw new UnsupportedOperationException(name() + " defines its maps element-wise");
  }

  @Override
  public String toString() {
    return name();
  }
}

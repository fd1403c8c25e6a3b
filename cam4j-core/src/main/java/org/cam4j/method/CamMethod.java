package org.cam4j.method;

import org.cam4j.engine.GradientResult;
import org.cam4j.tensor.FloatTensor;

/**
 * A class activation map method: turns one layer's activations A [N,C,h,w] (and, for gradient
 * methods, the score gradients dA) into a raw map [N,h,w] before ReLU and normalisation.
 *
 * <p>A method first makes per-channel terms whose channel sum is its map: most methods
 * {@code w_c A_c}, overriding only {@link #channelWeights} (as pytorch-grad-cam's
 * {@code get_cam_weights}); element-wise methods a term per element. The terms are then
 * combined, by a sum or, with {@link #withEigenSmooth()}, by their first principal component.
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
   * Raw maps [N,h,w] for one layer. A and dA come from the context's shared runs; methods that
   * need more (running the network again, the classifier's weights, the input gradient) use the
   * context's model.
   */
  public FloatTensor rawMaps(CamContext context, String layer) {
    return combine(channelTerms(context, layer));
  }

  /** Raw maps [N,h,w] for one layer of a forward+backward run. */
  public FloatTensor rawMaps(GradientResult run, String layer) {
    return rawMaps(run.activation(layer), needsGradients() ? run.gradient(layer) : null);
  }

  /** Raw maps [N,h,w] from activations and gradients [N,C,h,w]. */
  public FloatTensor rawMaps(FloatTensor activations, FloatTensor gradients) {
    return combine(channelTerms(FeatureMaps.of(activations),
        gradients == null ? null : FeatureMaps.of(gradients)));
  }

  /** This method with its terms combined by their first principal component. */
  public CamMethod withEigenSmooth() {
    return new EigenSmooth(name() + "-eigensmooth", this);
  }

  /** The per-channel terms [N,C,h,w] for one layer. */
  FeatureMaps channelTerms(CamContext context, String layer) {
    if (!needsGradients()) {
      return channelTerms(FeatureMaps.of(context.activations(layer)), null);
    }
    FeatureMaps gradients = FeatureMaps.of(context.gradients(layer));
    return channelTerms(FeatureMaps.of(context.activations(layer)), gradients);
  }

  /** The per-channel terms [N,C,h,w]; by default {@code w_c A_c}. */
  FeatureMaps channelTerms(FeatureMaps activations, FeatureMaps gradients) {
    return activations.weighted(channelWeights(activations, gradients));
  }

  /** The raw maps [N,h,w] from the terms: their sum over channels. */
  FloatTensor combine(FeatureMaps terms) {
    return terms.channelSum();
  }

  /** Per-image channel weights, row-major [N, C]. */
  float[] channelWeights(FeatureMaps activations, FeatureMaps gradients) {
    throw new UnsupportedOperationException(name() + " does not weight channels by A and dA"
        + " alone: use rawMaps(CamContext, layer)");
  }

  @Override
  public String toString() {
    return name();
  }
}

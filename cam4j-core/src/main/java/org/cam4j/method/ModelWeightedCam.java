package org.cam4j.method;

import org.cam4j.InvalidInputException;

/**
 * Methods whose channel weights come from the model itself (its classifier, or running it again
 * on perturbed inputs) rather than from dA: {@code sum_c w_c A_c} with no backward pass.
 */
abstract class ModelWeightedCam extends CamMethod {
  @Override
  public final boolean needsGradients() {
    return false;
  }

  @Override
  final FeatureMaps channelTerms(CamContext context, String layer) {
    FeatureMaps a = FeatureMaps.of(context.activations(layer));
    return a.weighted(weights(context, layer, a));
  }

  /** Per-image channel weights [N, C] for the layer's activations a. */
  abstract float[] weights(CamContext context, String layer, FeatureMaps a);

  /** The class of each image; these methods take one class's score, not a weighting. */
  int[] singleClasses(CamContext context) {
    int[] classes = context.explainedClasses();
    for (int c : classes) {
      if (c < 0) {
        throw new InvalidInputException(name() + " explains one class per image, not a weighting of"
            + " several classes");
      }
    }
    return classes;
  }
}

package org.cam4j.method;

import org.cam4j.tensor.FloatTensor;

/**
 * A method whose map is {@code sum_c w_c A_c} with channel weights from A and dA alone. The sum
 * is taken as the weights are applied, without the [N,C,h,w] terms in between: the same products
 * and sums in the same order, so the same floats, with one layer-sized array less per call.
 */
abstract class ChannelWeightedCam extends CamMethod {
  @Override
  public FloatTensor rawMaps(CamContext context, String layer) {
    // gradients first: their forward+backward run gives the activations too (asked first, the
    // activations would cost a forward run of their own)
    FloatTensor gradients = context.gradients(layer);
    return rawMaps(context.activations(layer), gradients);
  }

  @Override
  public FloatTensor rawMaps(FloatTensor activations, FloatTensor gradients) {
    FeatureMaps a = FeatureMaps.of(activations);
    return a.weightedChannelSum(channelWeights(a, FeatureMaps.of(gradients)));
  }

  @Override
  abstract float[] channelWeights(FeatureMaps activations, FeatureMaps gradients);
}

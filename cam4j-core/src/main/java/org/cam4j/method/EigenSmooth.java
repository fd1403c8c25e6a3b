package org.cam4j.method;

import org.cam4j.tensor.FloatTensor;

/**
 * A method with pytorch-grad-cam's {@code eigen_smooth}: its per-channel terms (w_c A_c, or the
 * element-wise terms) are combined by their first principal component instead of summed. With
 * HiResCAM's terms G * A this is EigenGradCAM.
 */
final class EigenSmooth extends CamMethod {
  private final String name;
  private final CamMethod terms;

  EigenSmooth(String name, CamMethod terms) {
    this.name = name;
    this.terms = terms;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean needsGradients() {
    return terms.needsGradients();
  }

  @Override
  FeatureMaps channelTerms(CamContext context, String layer) {
    return terms.channelTerms(context, layer);
  }

  @Override
  FeatureMaps channelTerms(FeatureMaps activations, FeatureMaps gradients) {
    return terms.channelTerms(activations, gradients);
  }

  @Override
  FloatTensor combine(FeatureMaps t) {
    return PrincipalProjection.of(t);
  }
}

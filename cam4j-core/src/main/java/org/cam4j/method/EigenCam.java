package org.cam4j.method;

import org.cam4j.tensor.FloatTensor;

/**
 * EigenCAM (Muhammad &amp; Yeasin 2020): the first principal component of the activations, no
 * gradients and no class ({@link PrincipalProjection} says how the sign is chosen).
 */
public final class EigenCam extends CamMethod {
  @Override
  public String name() {
    return "eigencam";
  }

  @Override
  public boolean needsGradients() {
    return false;
  }

  @Override
  FeatureMaps channelTerms(FeatureMaps activations, FeatureMaps gradients) {
    return activations;
  }

  @Override
  FloatTensor combine(FeatureMaps terms) {
    return PrincipalProjection.of(terms);
  }
}

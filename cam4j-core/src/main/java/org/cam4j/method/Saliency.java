package org.cam4j.method;

import org.cam4j.engine.BackwardMode;
import org.cam4j.tensor.FloatTensor;

/**
 * Gradient saliency (Simonyan et al. 2014): {@code max_c |d score / d x_c|} per pixel, the
 * input gradient reduced over colour channels as in the paper.
 */
public final class Saliency extends InputAttribution {
  @Override
  public String name() {
    return "saliency";
  }

  @Override
  FloatTensor inputMaps(CamContext context) {
    FloatTensor g = InputGradients.of(context.model(), context.input(), context.targets(),
        BackwardMode.GRADIENT);
    return InputChannels.maxAbs(g, context.model().signature().layout());
  }
}

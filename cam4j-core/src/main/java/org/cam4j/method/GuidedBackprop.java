package org.cam4j.method;

import org.cam4j.engine.BackwardMode;
import org.cam4j.tensor.FloatTensor;

/**
 * Guided backpropagation (Springenberg et al. 2015; {@link BackwardMode#GUIDED} says which
 * rectifiers are guided). pytorch-grad-cam's GuidedBackpropReLUModel returns the guided gradient
 * as an H x W x 3 image; a map here is [N,H,W], so the channels are reduced as saliency does,
 * {@code max_c |g_c|}: how strongly any colour of the pixel is guided towards the class.
 */
public final class GuidedBackprop extends InputAttribution {
  @Override
  public String name() {
    return "guided-backprop";
  }

  @Override
  FloatTensor inputMaps(CamContext context) {
    FloatTensor g = InputGradients.of(context.model(), context.input(), context.targets(),
        BackwardMode.GUIDED);
    return InputChannels.maxAbs(g, context.model().signature().layout());
  }
}

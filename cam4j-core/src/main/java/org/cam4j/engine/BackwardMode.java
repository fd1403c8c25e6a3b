package org.cam4j.engine;

/** Which backward pass a gradient model computes. */
public enum BackwardMode {
  /** The true gradient of the score. */
  GRADIENT,
  /**
   * Guided backpropagation (Springenberg et al. 2015): at each rectifier, only positive
   * gradients pass, and only where the input is positive: {@code dx = (x > 0) * max(g, 0)}.
   * Rectifiers are Relu and the lower kink of Clip with a constant lower bound of 0 (ReLU6);
   * every other operator keeps its true gradient. pytorch-grad-cam's GuidedBackpropReLUModel
   * swaps only {@code torch.nn.ReLU} modules, so there a ReLU6 network (MobileNetV2) keeps a
   * plain gradient; an ONNX graph does not tell the two apart, and guiding ReLU6 too is what the
   * method means.
   */
  GUIDED
}

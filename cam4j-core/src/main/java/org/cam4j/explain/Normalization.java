package org.cam4j.explain;

/** How a raw map [h,w] becomes the map in [0, 1] that is drawn and saved. */
public enum Normalization {
  /**
   * The Keras Grad-CAM tutorial's {@code max(raw, 0) / max} at the map's resolution (an all-zero
   * map stays zero), then bilinear resizing; several layers are averaged. The photo default.
   */
  RELU_MAX,
  /**
   * pytorch-grad-cam's return value: per layer ReLU, per-image min-max scaling and bilinear
   * resizing to the input size, then the layers' mean, ReLU and min-max again. The
   * {@code explain --tensor} contract.
   */
  MIN_MAX
}

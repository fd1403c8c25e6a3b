package org.cam4j.method;

import org.cam4j.graph.FeatureLayout;

/**
 * Where each value of one image's feature maps lies in the layer's tensor as the graph holds it,
 * for methods that feed altered copies of the layer to the network's head: channel c at grid
 * position p is {@code c·h·w + p} in NCHW, {@code p·C + c} in NHWC and {@code (k + p)·C + c} in
 * tokens, after the k prefix tokens (class, distillation, register tokens).
 *
 * @param channels C
 * @param height h, the grid height
 * @param width w, the grid width
 * @param prefixTokens k; 0 but for tokens
 * @param channelsFirst whether each channel is one block (NCHW)
 */
record LayerStorage(int channels, int height, int width, int prefixTokens,
    boolean channelsFirst) {
  /** The storage of a tensor of this layout and shape (batch first). */
  static LayerStorage of(FeatureLayout layout, long[] shape) {
    FeatureLayout r = layout.resolve(shape);
    return switch (r.kind()) {
      case NCHW -> new LayerStorage((int) shape[1], (int) shape[2], (int) shape[3], 0, true);
      case NHWC -> new LayerStorage((int) shape[3], (int) shape[1], (int) shape[2], 0, false);
      case TOKENS -> new LayerStorage((int) shape[2], r.gridHeight(), r.gridWidth(),
          r.prefixTokens(), false);
    };
  }

  /** h·w. */
  int area() {
    return height * width;
  }

  /** Values per image, prefix tokens included. */
  int imageSize() {
    return (prefixTokens + area()) * channels;
  }

  /** The index of channel {@code c} at grid position {@code p} within one image. */
  int index(int c, int p) {
    return channelsFirst ? c * area() + p : (prefixTokens + p) * channels + c;
  }

  /**
   * Sets channel {@code c} of the image starting at {@code imageStart} to {@code v} everywhere,
   * in the prefix tokens too.
   */
  void fillChannel(float[] data, int imageStart, int c, float v) {
    if (channelsFirst) {
      java.util.Arrays.fill(data, imageStart + c * area(), imageStart + (c + 1) * area(), v);
      return;
    }
    for (int t = 0; t < prefixTokens + area(); t++) {
      data[imageStart + t * channels + c] = v;
    }
  }
}

package org.cam4j.metrics;

import org.cam4j.tensor.Layout;

/** One preprocessed image in the model's layout; a pixel is a (y, x) position over all channels. */
record ImageShape(Layout layout, int channels, int height, int width) {

  int pixels() {
    return height * width;
  }

  int values() {
    return channels * height * width;
  }

  /** Flat index of channel {@code c} of raster pixel {@code pixel} ({@code y * width + x}). */
  int index(int pixel, int c) {
    return layout == Layout.NCHW ? c * pixels() + pixel : pixel * channels + c;
  }

  /** Copies every channel of one pixel. */
  void copyPixel(float[] from, float[] to, int pixel) {
    for (int c = 0; c < channels; c++) {
      int i = index(pixel, c);
      to[i] = from[i];
    }
  }
}

package org.cam4j.metrics;

import java.util.Arrays;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/**
 * A checked batch to evaluate: preprocessed images in the model's layout, one saliency map per
 * image at the input resolution, and one class index >= 0 per image (the model checks the upper
 * bound when it first scores the image).
 */
final class MetricInputs {
  private final ImageShape shape;
  private final float[] images;
  private final float[] maps;
  private final int[] classes;

  private MetricInputs(ImageShape shape, float[] images, float[] maps, int[] classes) {
    this.shape = shape;
    this.images = images;
    this.maps = maps;
    this.classes = classes;
  }

  /**
   * @param input [N,C,H,W] or [N,H,W,C] as the model expects
   * @param maps [N,H,W], finite
   * @param classes one class index per image
   */
  static MetricInputs check(CamModel model, FloatTensor input, FloatTensor maps, int[] classes) {
    long[] s = input.shape();
    if (s.length != 4 || s[0] < 1) {
      throw new InvalidInputException("input shape " + Arrays.toString(s) + " is not a"
          + " non-empty batch of images [N,C,H,W] or [N,H,W,C]");
    }
    long[] expected = model.signature().inputShape(s[0]);
    Layout layout = model.signature().layout();
    if (!Arrays.equals(s, expected)) {
      throw new InvalidInputException("input shape " + Arrays.toString(s) + " does not match"
          + " the model's " + Arrays.toString(expected) + " (" + layout + ")");
    }
    ImageShape shape = new ImageShape(layout, (int) s[layout.channelAxis()],
        (int) s[layout.heightAxis()], (int) s[layout.widthAxis()]);
    long[] mapShape = {s[0], shape.height(), shape.width()};
    if (!Arrays.equals(maps.shape(), mapShape)) {
      throw new InvalidInputException("map shape " + Arrays.toString(maps.shape())
          + " does not match the input: expected " + Arrays.toString(mapShape)
          + " ([N,H,W], one map per image at the input resolution)");
    }
    float[] m = maps.toArray();
    for (int i = 0; i < m.length; i++) {
      if (!Float.isFinite(m[i])) {
        throw new InvalidInputException("the map of image " + i / shape.pixels() + " holds "
            + m[i] + " at " + position(i % shape.pixels(), shape.width()));
      }
    }
    if (classes.length != s[0]) {
      throw new InvalidInputException(classes.length + " classes given for a batch of " + s[0]
          + " images; give one per image");
    }
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] < 0) {
        throw new InvalidInputException("class " + classes[i] + " of image " + i
            + " is out of range: class indices start at 0");
      }
    }
    return new MetricInputs(shape, input.toArray(), m, classes.clone());
  }

  static String position(int pixel, int width) {
    return "(x=" + pixel % width + ", y=" + pixel / width + ")";
  }

  ImageShape shape() {
    return shape;
  }

  int count() {
    return classes.length;
  }

  /** A copy of image {@code i}. */
  float[] image(int i) {
    int n = shape.values();
    return Arrays.copyOfRange(images, i * n, (i + 1) * n);
  }

  /** A copy of the map of image {@code i}, row-major. */
  float[] map(int i) {
    int n = shape.pixels();
    return Arrays.copyOfRange(maps, i * n, (i + 1) * n);
  }

  int target(int i) {
    return classes[i];
  }
}

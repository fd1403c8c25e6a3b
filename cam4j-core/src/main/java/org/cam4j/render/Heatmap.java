package org.cam4j.render;

import java.util.Arrays;
import org.cam4j.tensor.FloatTensor;

/**
 * A single-channel map, row-major {@code height x width}, normally a class activation map scaled
 * to [0, 1]. Immutable.
 */
public final class Heatmap {
  private final int width;
  private final int height;
  private final float[] values;

  private Heatmap(int width, int height, float[] values) {
    this.width = width;
    this.height = height;
    this.values = values;
  }

  /** Copies {@code values}, which holds {@code height} rows of {@code width} values. */
  public static Heatmap of(int width, int height, float[] values) {
    if (width < 1 || height < 1 || (long) width * height != values.length) {
      throw new IllegalArgumentException("a " + width + "x" + height + " map needs "
          + (long) width * height + " values, got " + values.length);
    }
    return new Heatmap(width, height, values.clone());
  }

  /** A map from a tensor of shape {@code [h, w]}, {@code [1, h, w]} or {@code [1, 1, h, w]}. */
  public static Heatmap of(FloatTensor map) {
    long[] shape = map.shape();
    boolean mapShaped = shape.length >= 2 && shape.length <= 4;
    for (int axis = 0; mapShaped && axis < shape.length - 2; axis++) {
      mapShaped = shape[axis] == 1;
    }
    if (!mapShaped) {
      throw new IllegalArgumentException("a heatmap tensor must be [h, w], [1, h, w] or"
          + " [1, 1, h, w], got " + Arrays.toString(shape));
    }
    return of((int) shape[shape.length - 1], (int) shape[shape.length - 2], map.toArray());
  }

  /** Width of the map in pixels. */
  public int width() {
    return width;
  }

  /** Height of the map in pixels. */
  public int height() {
    return height;
  }

  /** The value at column {@code x}, row {@code y} (in [0, 1] for a normalised map). */
  public float get(int x, int y) {
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new IndexOutOfBoundsException("(" + x + ", " + y + ") is outside the " + width + "x"
          + height + " map");
    }
    return values[y * width + x];
  }

  /** A copy of the values, row-major. */
  public float[] values() {
    return values.clone();
  }

  /** Reads row {@code y} into {@code into}; for resampling without copying the whole map. */
  void readRow(int y, float[] into) {
    System.arraycopy(values, y * width, into, 0, width);
  }

  /** Wraps an array this package just filled, without copying. */
  static Heatmap wrap(int width, int height, float[] values) {
    return new Heatmap(width, height, values);
  }

  @Override
  public String toString() {
    return "Heatmap[" + width + "x" + height + "]";
  }
}

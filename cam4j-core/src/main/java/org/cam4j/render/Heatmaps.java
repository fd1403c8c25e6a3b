package org.cam4j.render;

import java.util.List;
import org.cam4j.image.CropBox;
import org.cam4j.image.PreparedImage;
import org.cam4j.internal.image.AxisSampling;

/** Brings a map to another size, or back onto the photo the network input was made from. */
public final class Heatmaps {
  private Heatmaps() {
  }

  /**
   * Bilinear resize with half-pixel centres, like OpenCV {@code cv2.resize(INTER_LINEAR)} on a
   * float map (which is how pytorch-grad-cam upsamples its maps).
   */
  public static Heatmap resize(Heatmap map, int width, int height) {
    return onto(map, width, height, new CropBox(0, 0, width, height));
  }

  /**
   * The map laid over the original photo: a map of the network input (at any resolution, e.g.
   * the 7x7 of the last layer or the 224x224 input) covers the photo region the input was made
   * from ({@link PreparedImage#cropBox()}), resized bilinearly; photo pixels outside that region
   * (cut by a centre crop) get 0. The result has the photo's size.
   */
  public static Heatmap toPhoto(Heatmap map, PreparedImage prepared) {
    return onto(map, prepared.photoWidth(), prepared.photoHeight(), prepared.cropBox());
  }

  /**
   * The map stretched over {@code box} of a {@code width x height} picture (bilinear, half-pixel
   * centres); pixels outside the box get 0. {@link #toPhoto} is this with the photo's crop box.
   */
  public static Heatmap onto(Heatmap map, int width, int height, CropBox box) {
    double stepX = map.width() / box.width();
    double stepY = map.height() / box.height();
    AxisSampling cols = AxisSampling.linear(map.width(), width, -box.x() * stepX, stepX);
    AxisSampling rows = AxisSampling.linear(map.height(), height, -box.y() * stepY, stepY);
    float[] out = AxisSampling.resample(map::readRow, map.width(), rows, cols);
    for (int y = 0; y < height; y++) {
      boolean rowInside = inside(y, box.y(), box.height());
      for (int x = 0; x < width; x++) {
        if (!rowInside || !inside(x, box.x(), box.width())) {
          out[y * width + x] = 0;
        }
      }
    }
    return Heatmap.wrap(width, height, out);
  }

  /** The element-wise mean of maps of one size (a single map is returned as is). */
  public static Heatmap mean(List<Heatmap> maps) {
    if (maps.isEmpty()) {
      throw new IllegalArgumentException("no maps to average");
    }
    if (maps.size() == 1) {
      return maps.get(0);
    }
    Heatmap first = maps.get(0);
    float[] sum = new float[first.width() * first.height()];
    for (Heatmap m : maps) {
      if (m.width() != first.width() || m.height() != first.height()) {
        throw new IllegalArgumentException("cannot average a " + m + " with a " + first);
      }
      float[] v = m.values();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += v[i];
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= maps.size();
    }
    return Heatmap.wrap(first.width(), first.height(), sum);
  }

  /** Whether the centre of pixel {@code p} lies in {@code [start, start + size)}. */
  private static boolean inside(int p, double start, double size) {
    double centre = p + 0.5;
    return centre >= start && centre < start + size;
  }
}

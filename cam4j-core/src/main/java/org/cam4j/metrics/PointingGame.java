package org.cam4j.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.tensor.FloatTensor;

/**
 * The pointing game (Zhang et al. 2016, "Top-down Neural Attention by Excitation Backprop"): does
 * the map's maximum fall on the object? Needs no model.
 *
 * <p>Protocol, for each image's map {@code M} [H,W] and its {@link BoundingBox} (pixels at the
 * map's resolution, corners included):
 * <ol>
 *   <li>The maxima are all pixels equal to {@code max(M)}.</li>
 *   <li>A maximum is on target when its Euclidean distance to the nearest pixel of the box is at
 *       most the tolerance (default {@value #PAPER_TOLERANCE} pixels, as in the paper; 0 asks
 *       for the box itself).</li>
 *   <li>The image is a hit when every maximum is on target. Ties thus cannot hit by luck of
 *       scan order: a flat map hits only when the tolerant box covers the whole image.</li>
 *   <li>Accuracy = hits / images. One box per image; the paper's several instances per class
 *       are not modelled.</li>
 * </ol>
 * The paper measures the tolerance at the original image resolution; here it is at the map's
 * (the model input's), so scale it when the input was resized. Immutable.
 */
public final class PointingGame {
  /** The tolerance of Zhang et al. (2018), in pixels. */
  public static final double PAPER_TOLERANCE = 15;

  private final double tolerance;

  private PointingGame(double tolerance) {
    this.tolerance = tolerance;
  }

  /** The paper's 15-pixel tolerance. */
  public static PointingGame standard() {
    return new PointingGame(PAPER_TOLERANCE);
  }

  /** @param pixels how far outside the box a maximum may lie and still hit; 0 for none */
  public static PointingGame withTolerance(double pixels) {
    if (!(pixels >= 0) || Double.isInfinite(pixels)) {
      throw new InvalidInputException("tolerance must be a finite number of pixels >= 0, got "
          + pixels);
    }
    return new PointingGame(pixels);
  }

  /** How far outside the box a maximum may lie and still hit, in pixels. */
  public double tolerance() {
    return tolerance;
  }

  /**
   * @param maps [N,H,W], finite
   * @param boxes one per image
   */
  public PointingResult evaluate(FloatTensor maps, List<BoundingBox> boxes) {
    if (maps.rank() != 3 || maps.dim(0) < 1) {
      throw new InvalidInputException("map shape " + Arrays.toString(maps.shape())
          + " is not [N,H,W] with N >= 1");
    }
    int n = (int) maps.dim(0);
    int h = (int) maps.dim(1);
    int w = (int) maps.dim(2);
    if (boxes.size() != n) {
      throw new InvalidInputException(boxes.size() + " boxes for " + n
          + " maps; give one per image");
    }
    List<Pointing> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BoundingBox box = boxes.get(i);
      if (box.x1() >= w || box.y1() >= h) {
        throw new InvalidInputException("bounding box " + box + " of image " + i
            + " reaches outside the " + w + "x" + h + " map");
      }
      out.add(point(maps.row(i).toArray(), w, box, i));
    }
    return new PointingResult(out);
  }

  private Pointing point(float[] m, int w, BoundingBox box, int image) {
    float max = Float.NEGATIVE_INFINITY;
    int first = -1;
    for (int p = 0; p < m.length; p++) {
      if (!Float.isFinite(m[p])) {
        throw new InvalidInputException("the map of image " + image + " holds " + m[p] + " at "
            + MetricInputs.position(p, w));
      }
      if (m[p] > max) {
        max = m[p];
        first = p;
      }
    }
    int maxima = 0;
    boolean hit = true;
    for (int p = 0; p < m.length; p++) {
      if (m[p] == max) {
        maxima++;
        hit &= box.distance(p % w, p / w) <= tolerance;
      }
    }
    return new Pointing(first % w, first / w, maxima, hit);
  }
}

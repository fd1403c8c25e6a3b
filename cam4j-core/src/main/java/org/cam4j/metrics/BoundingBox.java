package org.cam4j.metrics;

import org.cam4j.InvalidInputException;
/**
 * A box of whole pixels at the map's resolution, both corners included: pixel (x, y) is inside
 * when {@code x0 <= x <= x1} and {@code y0 <= y <= y1}.
 */
public record BoundingBox(int x0, int y0, int x1, int y1) {
  /** Validates the box: corners inclusive, non-negative and ordered. */
  public BoundingBox {
    if (x0 < 0 || y0 < 0 || x1 < x0 || y1 < y0) {
      throw new InvalidInputException("bounding box " + x0 + "," + y0 + "," + x1 + "," + y1
          + " needs 0 <= x0 <= x1 and 0 <= y0 <= y1 (corners included)");
    }
  }

  /** Euclidean distance in pixels from (x, y) to the nearest pixel of the box; 0 inside. */
  public double distance(int x, int y) {
    int dx = Math.max(0, Math.max(x0 - x, x - x1));
    int dy = Math.max(0, Math.max(y0 - y, y - y1));
    return Math.hypot(dx, dy);
  }

  @Override
  public String toString() {
    return x0 + "," + y0 + "," + x1 + "," + y1;
  }
}

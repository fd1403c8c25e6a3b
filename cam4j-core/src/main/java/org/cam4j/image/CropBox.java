package org.cam4j.image;

/**
 * The part of the original photo that the network sees, in photo pixel coordinates (left, top,
 * width, height; fractional where a crop edge falls between pixels). The whole photo for the
 * squash resize modes.
 */
public record CropBox(double x, double y, double width, double height) {
  /** Validates the box: its size must be positive. */
  public CropBox {
    if (!(width > 0) || !(height > 0)) {
      throw new IllegalArgumentException("crop box must have a positive size, got " + width
          + "x" + height);
    }
  }
}

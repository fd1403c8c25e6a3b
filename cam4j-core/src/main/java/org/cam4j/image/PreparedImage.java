package org.cam4j.image;

import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/**
 * A photo turned into a network input, with what is needed to draw a map computed at input
 * resolution back onto the photo: the photo size and the {@link CropBox} the input covers.
 */
public final class PreparedImage {
  private final FloatTensor tensor;
  private final Layout layout;
  private final int photoWidth;
  private final int photoHeight;
  private final CropBox cropBox;

  PreparedImage(FloatTensor tensor, Layout layout, int photoWidth, int photoHeight,
      CropBox cropBox) {
    this.tensor = tensor;
    this.layout = layout;
    this.photoWidth = photoWidth;
    this.photoHeight = photoHeight;
    this.cropBox = cropBox;
  }

  /** The input, shape {@code [1, 3, H, W]} (NCHW) or {@code [1, H, W, 3]} (NHWC). */
  public FloatTensor tensor() {
    return tensor;
  }

  /** The layout of {@link #tensor()}. */
  public Layout layout() {
    return layout;
  }

  /** Width of the model input in pixels. */
  public int inputWidth() {
    return (int) tensor.dim(layout.widthAxis());
  }

  /** Height of the model input in pixels. */
  public int inputHeight() {
    return (int) tensor.dim(layout.heightAxis());
  }

  /** Width of the original photo in pixels. */
  public int photoWidth() {
    return photoWidth;
  }

  /** Height of the original photo in pixels. */
  public int photoHeight() {
    return photoHeight;
  }

  /** The region of the photo that the input shows, in photo pixels. */
  public CropBox cropBox() {
    return cropBox;
  }

  @Override
  public String toString() {
    return "PreparedImage[" + photoWidth + "x" + photoHeight + " photo, " + cropBox + " -> "
        + tensor + " " + layout + "]";
  }
}

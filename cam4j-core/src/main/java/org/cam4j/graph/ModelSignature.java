package org.cam4j.graph;

import java.util.Arrays;
import org.cam4j.tensor.Layout;

/**
 * The image input of a classifier: its name, declared shape, layout, and the score explained.
 *
 * @param inputName the graph input fed with images
 * @param declaredShape as declared; -1 for symbolic dimensions
 * @param layout channel position of the input
 * @param score the tensor whose gradient is taken
 */
public record ModelSignature(String inputName, long[] declaredShape, Layout layout,
    ScoreTensor score) {

  /** Sizes used when the model leaves the image size symbolic. */
  public static final long DEFAULT_IMAGE_SIZE = 224;

  /** Whether the batch dimension is fixed (then batches run one image at a time). */
  public long fixedBatch() {
    return declaredShape[0];
  }

  /** The concrete input shape for a batch, symbolic image sizes replaced by 224. */
  public long[] inputShape(long batch) {
    long[] s = declaredShape.clone();
    s[0] = batch;
    for (int i = 1; i < 4; i++) {
      if (s[i] < 0) {
        s[i] = i == layout.channelAxis() ? 3 : DEFAULT_IMAGE_SIZE;
      }
    }
    return s;
  }

  /** Colour channels of the image input. */
  public long channels() {
    return inputShape(1)[layout.channelAxis()];
  }

  /** Height of the image input in pixels. */
  public long height() {
    return inputShape(1)[layout.heightAxis()];
  }

  /** Width of the image input in pixels. */
  public long width() {
    return inputShape(1)[layout.widthAxis()];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSignature m && inputName.equals(m.inputName)
        && Arrays.equals(declaredShape, m.declaredShape) && layout == m.layout
        && score.equals(m.score);
  }

  @Override
  public int hashCode() {
    return inputName.hashCode() * 31 + Arrays.hashCode(declaredShape);
  }

  @Override
  public String toString() {
    return "ModelSignature[" + inputName + " " + Arrays.toString(declaredShape) + " " + layout
        + ", score " + score.name() + "]";
  }
}

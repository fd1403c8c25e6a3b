package org.cam4j.method;

import org.cam4j.InvalidInputException;
/**
 * Options applied when a method is made by name ({@link Methods#create}): the batch size of the
 * methods that run the network on many copies (Score-CAM, Ablation-CAM, SmoothGrad, Integrated
 * Gradients; 0 keeps each method's default), and the two smoothings. Immutable.
 */
public record MethodOptions(int batchSize, boolean augSmooth, boolean eigenSmooth) {
  /** Validates the options: the batch size is 0 (default) or positive. */
  public MethodOptions {
    if (batchSize < 0) {
      throw new InvalidInputException("batch size must be >= 1 (or 0 for the default), got "
          + batchSize);
    }
  }

  /** Default batch sizes, no smoothing. */
  public static MethodOptions defaults() {
    return new MethodOptions(0, false, false);
  }

  /** These options with the batch size {@code size} (0 for each method's default). */
  public MethodOptions withBatchSize(int size) {
    return new MethodOptions(size, augSmooth, eigenSmooth);
  }

  /** Average over horizontal flips and brightness factors ({@link AugSmooth}). */
  public MethodOptions withAugSmooth(boolean on) {
    return new MethodOptions(batchSize, on, eigenSmooth);
  }

  /** Combine channel terms by their first principal component ({@link EigenSmooth}). */
  public MethodOptions withEigenSmooth(boolean on) {
    return new MethodOptions(batchSize, augSmooth, on);
  }
}

package org.cam4j.method;

import org.cam4j.InvalidInputException;
/**
 * Options applied when a method is made by name ({@link Methods#create}): the batch size of the
 * methods that run the network on many copies (Score-CAM, Ablation-CAM, Recipro-CAM, SmoothGrad,
 * Integrated Gradients; 0 keeps each method's default), the two smoothings, and Score-CAM's channel limit
 * ({@link ScoreCam.Builder#maxChannels(int)}; 0 scores all channels, the other methods ignore it).
 * Immutable.
 */
public record MethodOptions(int batchSize, boolean augSmooth, boolean eigenSmooth,
    int maxChannels) {
  /** Validates the options: the batch size and channel limit are 0 (default) or positive. */
  public MethodOptions {
    if (batchSize < 0) {
      throw new InvalidInputException("batch size must be >= 1 (or 0 for the default), got "
          + batchSize);
    }
    if (maxChannels < 0) {
      throw new InvalidInputException("max channels must be >= 1 (or 0 for all), got "
          + maxChannels);
    }
  }

  /** The options with every channel scored by Score-CAM. */
  public MethodOptions(int batchSize, boolean augSmooth, boolean eigenSmooth) {
    this(batchSize, augSmooth, eigenSmooth, 0);
  }

  /** Default batch sizes, no smoothing. */
  public static MethodOptions defaults() {
    return new MethodOptions(0, false, false);
  }

  /** These options with the batch size {@code size} (0 for each method's default). */
  public MethodOptions withBatchSize(int size) {
    return new MethodOptions(size, augSmooth, eigenSmooth, maxChannels);
  }

  /** Average over horizontal flips and brightness factors ({@link AugSmooth}). */
  public MethodOptions withAugSmooth(boolean on) {
    return new MethodOptions(batchSize, on, eigenSmooth, maxChannels);
  }

  /** Combine channel terms by their first principal component ({@link EigenSmooth}). */
  public MethodOptions withEigenSmooth(boolean on) {
    return new MethodOptions(batchSize, augSmooth, on, maxChannels);
  }

  /**
   * Score-CAM scores only the {@code n} channels of highest spatial variance (0: all; not
   * pytorch-grad-cam parity).
   */
  public MethodOptions withMaxChannels(int n) {
    return new MethodOptions(batchSize, augSmooth, eigenSmooth, n);
  }
}

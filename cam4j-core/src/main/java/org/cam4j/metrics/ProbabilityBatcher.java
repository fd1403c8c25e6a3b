package org.cam4j.metrics;

import java.util.Arrays;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/**
 * Collects perturbed images and scores them with the model {@code batchSize} at a time, writing
 * the log softmax probability of each image's class where the caller asked. Once a full batch
 * has run, a shorter last one is padded with copies of its last image, so every batch has one
 * shape and reuses one session. Not thread-safe.
 */
final class ProbabilityBatcher {
  private final CamModel model;
  private final ImageShape shape;
  private final int batchSize;
  private final float[] pending;
  private final int[] classes;
  private final double[][] sinks;
  private final int[] slots;
  private int count;
  private boolean ranFullBatch;

  ProbabilityBatcher(CamModel model, ImageShape shape, int batchSize) {
    this.model = model;
    this.shape = shape;
    this.batchSize = batchSize;
    this.pending = new float[batchSize * shape.values()];
    this.classes = new int[batchSize];
    this.sinks = new double[batchSize][];
    this.slots = new int[batchSize];
  }

  /**
   * Queues a copy of {@code image}; {@code into[at]} receives its log probability of class
   * {@code cls} by the next {@link #flush()} at the latest.
   */
  void add(float[] image, int cls, double[] into, int at) {
    System.arraycopy(image, 0, pending, count * shape.values(), shape.values());
    classes[count] = cls;
    sinks[count] = into;
    slots[count] = at;
    count++;
    if (count == batchSize) {
      flush();
    }
  }

  void flush() {
    if (count == 0) {
      return;
    }
    int n = shape.values();
    int rows = count;
    if (count == batchSize) {
      ranFullBatch = true;
    } else if (ranFullBatch) {
      for (int r = count; r < batchSize; r++) {
        System.arraycopy(pending, (count - 1) * n, pending, r * n, n);
      }
      rows = batchSize;
    }
    float[] batch = rows == batchSize ? pending : Arrays.copyOf(pending, rows * n);
    FloatTensor scores = model.scores(FloatTensor.of(batchShape(rows), batch));
    int k = scores.size() / rows;
    for (int r = 0; r < count; r++) {
      if (classes[r] >= k) {
        throw new InvalidInputException("class " + classes[r] + " is out of range: the model"
            + " has " + k + " classes (0.." + (k - 1) + ")");
      }
      sinks[r][slots[r]] = logSoftmax(scores, r * k, k, classes[r]);
      sinks[r] = null;
    }
    count = 0;
  }

  private long[] batchShape(int n) {
    return shape.layout() == Layout.NCHW
        ? new long[] {n, shape.channels(), shape.height(), shape.width()}
        : new long[] {n, shape.height(), shape.width(), shape.channels()};
  }

  /** In double: a probability far below the top class's stays finite in log space. */
  static double logSoftmax(FloatTensor scores, int offset, int k, int cls) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, scores.get(offset + j));
    }
    double sum = 0;
    for (int j = 0; j < k; j++) {
      sum += Math.exp(scores.get(offset + j) - max);
    }
    return scores.get(offset + cls) - max - Math.log(sum);
  }
}

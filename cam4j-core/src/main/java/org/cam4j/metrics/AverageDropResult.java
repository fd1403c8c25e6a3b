package org.cam4j.metrics;

import java.util.List;

/**
 * Average Drop and Increase in Confidence of a batch, with each image's probabilities.
 *
 * @param averageDrop percent, in [0, 100]; lower is better
 * @param increaseInConfidence percent of images whose probability rose; higher is better
 * @param original Y: probability of the class on each image
 * @param explained O: probability of the class on each explanation image
 */
public record AverageDropResult(double averageDrop, double increaseInConfidence,
    List<Double> original, List<Double> explained) {
  /** Validates the result: as many explained as original probabilities. */
  public AverageDropResult {
    original = List.copyOf(original);
    explained = List.copyOf(explained);
    if (original.size() != explained.size()) {
      throw new IllegalArgumentException(original.size() + " original probabilities but "
          + explained.size() + " explained ones");
    }
  }
}

package org.cam4j.metrics;

import java.util.List;

/**
 * A deletion or insertion curve of one image: the class probability after each step.
 *
 * @param fractions fraction of pixels removed (deletion) or revealed (insertion), rising from 0
 *     to 1
 * @param probabilities softmax probability of the class at each fraction
 */
public record Curve(List<Double> fractions, List<Double> probabilities) {
  /** Validates the curve: as many probabilities as fractions, at least two. */
  public Curve {
    fractions = List.copyOf(fractions);
    probabilities = List.copyOf(probabilities);
    if (fractions.size() != probabilities.size() || fractions.size() < 2) {
      throw new IllegalArgumentException("a curve needs as many probabilities as fractions, at"
          + " least 2; got " + fractions.size() + " and " + probabilities.size());
    }
  }

  /** Area under the curve by the trapezoid rule over the fraction axis. */
  public double auc() {
    double area = 0;
    for (int j = 1; j < fractions.size(); j++) {
      area += (fractions.get(j) - fractions.get(j - 1))
          * (probabilities.get(j) + probabilities.get(j - 1)) / 2;
    }
    return area;
  }
}

package org.cam4j.bench;

import java.util.Arrays;

/**
 * Median and spread of a set of timings.
 *
 * @param n number of samples
 * @param q1 first quartile
 * @param q3 third quartile
 */
public record Stats(int n, double median, double q1, double q3, double min, double max) {

  /** Quartiles interpolate linearly between order statistics (numpy's default). */
  public static Stats of(double[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] s = samples.clone();
    Arrays.sort(s);
    return new Stats(s.length, quantile(s, 0.5), quantile(s, 0.25), quantile(s, 0.75), s[0],
        s[s.length - 1]);
  }

  /**
   * The spread of {@code samples[r] / baseline[r]}: each sample over the baseline's sample of
   * the same round, so what disturbs a round (another process, a slower CPU state) hits both.
   */
  public static Stats ofRatios(double[] samples, double[] baseline) {
    if (samples.length != baseline.length) {
      throw new IllegalArgumentException(samples.length + " samples for " + baseline.length
          + " baseline samples");
    }
    double[] ratios = new double[samples.length];
    for (int r = 0; r < ratios.length; r++) {
      ratios[r] = samples[r] / baseline[r];
    }
    return of(ratios);
  }

  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /** Every figure divided by {@code divisor} (per call to per image). */
  public Stats dividedBy(double divisor) {
    return new Stats(n, median / divisor, q1 / divisor, q3 / divisor, min / divisor,
        max / divisor);
  }
}

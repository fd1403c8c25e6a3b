package org.cam4j.method;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Picks the channels of an image's activation with the highest spatial variance. */
final class ChannelVariance {
  private ChannelVariance() {
  }

  /**
   * The {@code n} channels of image i with the highest variance over positions, in ascending
   * channel order; ties go to the lower channel.
   */
  static int[] highest(FeatureMaps a, int i, int n) {
    double[] variance = new double[a.c()];
    for (int c = 0; c < a.c(); c++) {
      int base = a.offset(i, c);
      double mean = 0;
      for (int p = 0; p < a.area(); p++) {
        mean += a.data()[base + p];
      }
      mean /= a.area();
      // two passes: a constant channel gets exactly 0
      double squares = 0;
      for (int p = 0; p < a.area(); p++) {
        double d = a.data()[base + p] - mean;
        squares += d * d;
      }
      variance[c] = squares / a.area();
    }
    int[] top = IntStream.range(0, a.c()).boxed()
        .sorted(Comparator.comparingDouble((Integer c) -> -variance[c]).thenComparing(c -> c))
        .limit(n).mapToInt(Integer::intValue).toArray();
    Arrays.sort(top);
    return top;
  }
}

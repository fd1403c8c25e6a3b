package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class FeatureMapsTest {
  /** The fused sum makes the same float products and sums in the same order: bit-equal. */
  @Test
  void weightedChannelSumEqualsTheSumOfTheWeightedTerms() {
    Random r = new Random(11);
    float[] values = new float[2 * 5 * 3 * 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) r.nextGaussian();
    }
    float[] weights = new float[2 * 5];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) r.nextGaussian();
    }
    FeatureMaps a = FeatureMaps.of(FloatTensor.of(new long[] {2, 5, 3, 4}, values));
    FloatTensor fused = a.weightedChannelSum(weights);
    FloatTensor twoSteps = a.weighted(weights).channelSum();
    assertArrayEquals(twoSteps.shape(), fused.shape());
    assertArrayEquals(twoSteps.toArray(), fused.toArray());
  }
}

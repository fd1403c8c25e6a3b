package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cam4j.Targets;
import org.cam4j.TinyCnn;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.GradientResult;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;
import org.junit.jupiter.api.Test;

class SmoothGradTest {
  private static final List<String> LAYERS = List.of("a2");

  /** 5 copies in batches of 2: the last chunk is padded, and sigma 0 must change nothing. */
  @Test
  void zeroNoiseIsSaliencyExactly() {
    TinyModel tiny = TinyCnn.relu();
    FloatTensor x = TinyCnn.input(tiny, 2, 21);
    try (CamModel m = TinyCnn.load(tiny)) {
      CamContext context = CamContext.of(m, x, LAYERS, Targets.top(2));
      FloatTensor saliency = new Saliency().rawMaps(context, "a2");
      FloatTensor smooth = SmoothGrad.builder().noiseLevel(0).samples(5).batchSize(2).build()
          .rawMaps(context, "a2");
      assertArrayEquals(saliency.toArray(), smooth.toArray());
    }
  }

  @Test
  void aFixedSeedReproducesTheMapAndAnotherSeedChangesIt() {
    TinyModel tiny = TinyCnn.relu();
    FloatTensor x = TinyCnn.input(tiny, 1, 22);
    try (CamModel m = TinyCnn.load(tiny)) {
      SmoothGrad.Builder b = SmoothGrad.builder().samples(8).noiseLevel(0.2);
      FloatTensor first = b.seed(5).build().rawMaps(context(m, x), "a2");
      FloatTensor again = b.seed(5).build().rawMaps(context(m, x), "a2");
      FloatTensor other = b.seed(6).build().rawMaps(context(m, x), "a2");
      assertArrayEquals(first.toArray(), again.toArray());
      assertFalse(Arrays.equals(first.toArray(), other.toArray()));
    }
  }

  /**
   * The documented protocol redone by hand: noise N(0, (0.2 * range)^2) from Random(9), copy
   * by copy; gradients one copy at a time; mean; max |.| over channels. Float32 sums in a
   * different order: 1e-6 relative.
   */
  @Test
  void mapIsTheMeanGradientOverTheNoisyCopies() {
    TinyModel tiny = TinyCnn.smooth();
    FloatTensor x = TinyCnn.input(tiny, 1, 23);
    int samples = 3;
    try (CamModel m = TinyCnn.load(tiny)) {
      FloatTensor map = SmoothGrad.builder().samples(samples).noiseLevel(0.2).seed(9).build()
          .rawMaps(CamContext.of(m, x, LAYERS, Targets.classes(3)), "a2");
      float[] v = x.toArray();
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (float f : v) {
        min = Math.min(min, f);
        max = Math.max(max, f);
      }
      double sigma = 0.2 * ((double) max - min);
      Random random = new Random(9);
      double[] mean = new double[v.length];
      for (int s = 0; s < samples; s++) {
        float[] noisy = new float[v.length];
        for (int j = 0; j < v.length; j++) {
          noisy[j] = (float) (v[j] + sigma * random.nextGaussian());
        }
        GradientResult r = m.forwardBackward(FloatTensor.of(x.shape(), noisy), List.of("x"),
            Targets.classes(3));
        for (int j = 0; j < v.length; j++) {
          mean[j] += r.gradient("x").get(j) / samples;
        }
      }
      int area = TinyCnn.SIZE * TinyCnn.SIZE;
      for (int p = 0; p < area; p++) {
        double expected = Math.max(Math.abs(mean[p]), Math.abs(mean[area + p]));
        assertEquals(expected, map.get(p), 1e-6 * (1e-3 + expected), "pixel " + p);
      }
    }
  }

  private static CamContext context(CamModel m, FloatTensor x) {
    return CamContext.of(m, x, LAYERS, Targets.top(1));
  }
}

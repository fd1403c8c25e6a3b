package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.cam4j.Targets;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class ScoreCamTest {
  @Test
  void masksAreCornerAlignedUpsamplesScaledToOne() {
    FeatureMaps a = new FeatureMaps(new float[] {9, 9, 9, 9, 0, 1, 2, 3}, 1, 2, 2, 2);
    // channel 1 [[0,1],[2,3]] to 3x3 with corners aligned: the centre is the mean 1.5;
    // scaled by (u - 0) / (3 - 0 + 1e-8)
    float[] expected = {0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3};
    for (int i = 0; i < expected.length; i++) {
      expected[i] /= 3;
    }
    assertArrayEquals(expected, new ScoreMasks(a, 0, 3, 3).mask(1), 1e-7f);
    // a constant channel masks everything out rather than dividing by zero
    assertArrayEquals(new float[9], new ScoreMasks(a, 0, 3, 3).mask(0), 0f);
  }

  @Test
  void channelLastInputsGetTheSameWeightsAsTheirChannelFirstTwin() {
    Random rnd = new Random(2);
    float[] chw = new float[2 * 3 * 6 * 6];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) rnd.nextGaussian();
    }
    float[] hwc = new float[chw.length];
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 36; p++) {
          hwc[n * 108 + p * 3 + c] = chw[n * 108 + c * 36 + p];
        }
      }
    }
    ScoreCam scoreCam = new ScoreCam(3);
    try (CamModel first = TinyNets.nchw(); CamModel last = TinyNets.nhwc()) {
      float[] expected = weights(scoreCam, first, FloatTensor.of(new long[] {2, 3, 6, 6}, chw));
      float[] actual = weights(scoreCam, last, FloatTensor.of(new long[] {2, 6, 6, 3}, hwc));
      // the twins differ by a Transpose only: the same float operations, 1e-6 for reordering
      assertArrayEquals(expected, actual, 1e-6f);
      double sum = 0;
      for (int c = 0; c < 4; c++) {
        sum += actual[c];
      }
      assertEquals(1, sum, 1e-6, "softmax weights of image 0");
    }
  }

  private static float[] weights(ScoreCam method, CamModel model, FloatTensor input) {
    CamContext c = CamContext.of(model, input, List.of(TinyNets.LAYER), Targets.classes(1, 4));
    FeatureMaps a = FeatureMaps.of(c.activations(TinyNets.LAYER));
    return method.weights(c, TinyNets.LAYER, a);
  }

  @Test
  void aShortLastChunkIsPaddedSoOneSessionServesEveryChunk() {
    Random rnd = new Random(5);
    float[] x = new float[2 * 3 * 6 * 6];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    FloatTensor input = FloatTensor.of(new long[] {2, 3, 6, 6}, x);
    try (CamModel chunked = TinyNets.nchw(); CamModel whole = TinyNets.nchw()) {
      CamContext c = CamContext.of(chunked, input, List.of(TinyNets.LAYER),
          Targets.classes(1, 4));
      FeatureMaps a = FeatureMaps.of(c.activations(TinyNets.LAYER));
      int before = chunked.sessionsCreated();
      // 4 channels in chunks of 3: the last chunk of 1 is padded to 3 rows
      float[] padded = new ScoreCam(3).weights(c, TinyNets.LAYER, a);
      assertEquals(before + 1, chunked.sessionsCreated(), "one [3, 3, 6, 6] session, both images");
      // one chunk of all 4 channels: nothing padded; rows are independent, so the scores of the
      // same masked inputs agree up to the summation order a batch size may change (1e-6)
      assertArrayEquals(weights(new ScoreCam(4), whole, input), padded, 1e-6f);
    }
  }

  @Test
  void constantChannelsShareOneScoredRow() {
    // image 0 is black: every channel is relu(bias), constant, so its mask is all zero;
    // image 1 is random: its channels vary
    Random rnd = new Random(8);
    float[] x = new float[2 * 108];
    for (int v = 108; v < x.length; v++) {
      x[v] = (float) rnd.nextGaussian();
    }
    FloatTensor input = FloatTensor.of(new long[] {2, 3, 6, 6}, x);
    try (CamModel model = TinyNets.nchw()) {
      CamContext c = CamContext.of(model, input, List.of(TinyNets.LAYER), Targets.classes(1, 4));
      FeatureMaps a = FeatureMaps.of(c.activations(TinyNets.LAYER));
      int expectedRows = 0;
      int[] classes = {1, 4};
      float[] expected = new float[2 * 4];
      for (int i = 0; i < 2; i++) {
        ScoreMasks masks = new ScoreMasks(a, i, 6, 6);
        float[] scores = new float[4];
        int constant = 0;
        for (int k = 0; k < 4; k++) {
          float[] mask = masks.mask(k);
          constant += isZero(mask) ? 1 : 0;
          float[] masked = new float[108];
          for (int v = 0; v < 108; v++) {
            masked[v] = x[i * 108 + v] * mask[v % 36];
          }
          scores[k] = model.scores(FloatTensor.of(new long[] {1, 3, 6, 6}, masked))
              .get(classes[i]);
        }
        expectedRows += 4 - Math.max(constant - 1, 0);
        float[] w = softmax(scores);
        System.arraycopy(w, 0, expected, i * 4, 4);
        if (i == 0) {
          // bilinear weights may round a constant positive channel off constant: then its
          // mask is not all zero and it is scored on its own, as pytorch-grad-cam does
          assertTrue(constant >= 2, "several constant channels share a row: " + constant);
        }
      }
      long before = model.runs();
      float[] actual = new ScoreCam(1).weights(c, TinyNets.LAYER, a);
      assertEquals(expectedRows, model.runs() - before, "one row for all constant channels");
      // the same rows scored one at a time as the reference: equal to float rounding of the
      // softmax (1e-7)
      assertArrayEquals(expected, actual, 1e-7f);
    }
  }

  @Test
  void maxChannelsScoresTheMostVaryingChannelsOnly() {
    Random rnd = new Random(3);
    float[] x = new float[2 * 108];
    for (int v = 0; v < x.length; v++) {
      x[v] = (float) rnd.nextGaussian();
    }
    FloatTensor input = FloatTensor.of(new long[] {2, 3, 6, 6}, x);
    try (CamModel model = TinyNets.nchw()) {
      CamContext c = CamContext.of(model, input, List.of(TinyNets.LAYER), Targets.classes(1, 4));
      FeatureMaps a = FeatureMaps.of(c.activations(TinyNets.LAYER));
      float[] exact = new ScoreCam(1).weights(c, TinyNets.LAYER, a);
      float[] all = ScoreCam.builder().batchSize(1).maxChannels(4).build()
          .weights(c, TinyNets.LAYER, a);
      assertArrayEquals(exact, all, 0f, "all channels kept: the exact computation");
      long before = model.runs();
      ScoreCam two = ScoreCam.builder().batchSize(1).maxChannels(2).build();
      float[] limited = two.weights(c, TinyNets.LAYER, a);
      assertEquals(2 * 2, model.runs() - before, "two rows per image");
      assertEquals("scorecam(max-channels=2)", two.name());
      for (int i = 0; i < 2; i++) {
        int[] kept = ChannelVariance.highest(a, i, 2);
        double sum = 0;
        for (int k = 0; k < 4; k++) {
          boolean isKept = k == kept[0] || k == kept[1];
          if (!isKept) {
            assertEquals(0f, limited[i * 4 + k], "an unscored channel weighs nothing");
          }
          sum += limited[i * 4 + k];
        }
        assertEquals(1, sum, 1e-6, "softmax over the kept channels");
        // the two kept channels' weights are the softmax of their exact scores: their ratio
        // matches the exact weights' ratio (float rounding of two softmaxes, 1e-5 relative)
        assertEquals(exact[i * 4 + kept[0]] / exact[i * 4 + kept[1]],
            limited[i * 4 + kept[0]] / limited[i * 4 + kept[1]],
            1e-5 * exact[i * 4 + kept[0]] / exact[i * 4 + kept[1]]);
      }
    }
  }

  @Test
  void theChannelLimitComesFromTheMethodOptionsAndNamesTheMethod() {
    MethodOptions limited = MethodOptions.defaults().withMaxChannels(64);
    assertEquals("scorecam(max-channels=64)", Methods.create("scorecam", limited).name());
    assertEquals("scorecam", Methods.byName("scorecam").name());
    assertEquals("gradcam", Methods.create("gradcam", limited).name(), "only Score-CAM has it");
  }

  @Test
  void channelVarianceRanksBySpread() {
    // channel 0 constant, 1 small spread, 2 large spread, 3 medium
    FeatureMaps a = new FeatureMaps(new float[] {5, 5, 5, 5, 0, 1, 0, 1, 0, 9, 0, 9, 0, 4, 0, 4},
        1, 4, 2, 2);
    assertArrayEquals(new int[] {2, 3}, ChannelVariance.highest(a, 0, 2));
    assertArrayEquals(new int[] {1, 2, 3}, ChannelVariance.highest(a, 0, 3));
  }

  private static boolean isZero(float[] mask) {
    for (float m : mask) {
      if (m != 0f) {
        return false;
      }
    }
    return true;
  }

  private static float[] softmax(float[] s) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : s) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : s) {
      sum += Math.exp(v - max);
    }
    float[] w = new float[s.length];
    for (int k = 0; k < s.length; k++) {
      w[k] = (float) (Math.exp(s[k] - max) / sum);
    }
    return w;
  }
}

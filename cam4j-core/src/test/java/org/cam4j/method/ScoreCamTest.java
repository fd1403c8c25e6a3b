package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

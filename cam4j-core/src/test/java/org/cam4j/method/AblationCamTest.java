package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.cam4j.SharedData;
import org.cam4j.Targets;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.Target;
import org.cam4j.internal.engine.ModelAccess;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;

/**
 * Ablation-CAM on heads where the answer is known: after a GAP -> linear head, zeroing channel c
 * lowers class k's score by exactly {@code W[k,c] mean(A_c)}, so
 * {@code w_c = W[k,c] mean(A_c) / y}.
 */
class AblationCamTest {
  @Test
  void weightsAreTheChannelsShareOfALinearScore() {
    Random rnd = new Random(4);
    float[] x = new float[2 * 3 * 6 * 6];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    try (CamModel m = TinyNets.nchw()) {
      // batch size 3 over 4 channels: one full batch and a remainder of 1
      assertLinearShares(m, FloatTensor.of(new long[] {2, 3, 6, 6}, x), TinyNets.LAYER,
          Targets.classes(1, 4), new AblationCam(3), 1e-6);
    }
  }

  @Test
  void fixedBatchHeadOfTheRealMobileNetGivesTheLinearShares() {
    FloatTensor cat = Npy.read(SharedData.path("reference/real_mobilenet_v2/cat.npy"));
    String layer = "MobilenetV2/Conv_1/Relu6";
    try (CamModel m = CamModel.load(SharedData.path("models/mobilenet_v2_1.0_224_dequant.onnx"))) {
      assertLinearShares(m, cat, layer, Targets.classes(286), new AblationCam(), 1e-6);
      assertTrue(m.head(layer).batches(), "its head's Reshape to [0, 1001] takes a batch");
      // batches of 32 against one ablated copy per head run (the row-by-row result)
      CamContext c = CamContext.of(m, cat, List.of(layer), Targets.classes(286));
      FeatureMaps a = FeatureMaps.of(c.activations(layer));
      float[] batched = new AblationCam(32).weights(c, layer, a);
      float[] rows = new AblationCam(1).weights(c, layer, a);
      // (y - y_k) / y of float32 scores computed in differently sized batches: a few ulps of
      // y over y, 1e-5
      assertArrayEquals(rows, batched, 1e-5f);
    }
  }

  @Test
  void batchSizeDoesNotChangeTheWeightsWhenTheHeadReadsASkipConnection() {
    FloatTensor x = Npy.read(SharedData.path("reference/input.npy"));
    String layer = "/layer4/layer4.1/relu/Relu_output_0";
    try (CamModel m = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"))) {
      CamContext c = CamContext.of(m, x, List.of(layer), Targets.classes(467));
      FeatureMaps a = FeatureMaps.of(c.activations(layer));
      float[] big = new AblationCam(100).weights(c, layer, a);
      float[] small = new AblationCam(7).weights(c, layer, a);
      double scale = 0;
      for (float w : big) {
        scale = Math.max(scale, Math.abs(w));
      }
      // per-row results of differently sized Conv batches: same values up to summation order
      for (int i = 0; i < big.length; i++) {
        assertEquals(big[i], small[i], 1e-5 * scale, "channel " + i);
      }
    }
  }

  /**
   * Asserts w_c = W[k,c] mean(A_c) / y within {@code tolerance} x (1 + |expected|): y - y_c is
   * a difference of two float32 scores, a few ulps of y, divided by y.
   */
  private static void assertLinearShares(CamModel m, FloatTensor input, String layer,
      List<Target> seed, AblationCam method, double tolerance) {
    CamContext c = CamContext.of(m, input, List.of(layer), seed);
    FeatureMaps a = FeatureMaps.of(c.activations(layer));
    float[] weights = method.weights(c, layer, a);
    LinearHead head = LinearHead.find(ModelAccess.graph(m), layer, m.signature().score().name());
    FloatTensor scores = m.scores(input);
    int[] classes = c.explainedClasses();
    int k = (int) scores.dim(1);
    for (int i = 0; i < a.n(); i++) {
      float[] w = head.classWeights(classes[i]);
      double y = scores.get(i * k + classes[i]);
      for (int ch = 0; ch < a.c(); ch++) {
        double expected = w[ch] * a.mean(i, ch) / y;
        assertEquals(expected, weights[i * a.c() + ch], tolerance * (1 + Math.abs(expected)),
            "image " + i + " channel " + ch);
      }
    }
  }
}

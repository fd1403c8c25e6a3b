package org.cam4j.method;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cam4j.SharedData;
import org.cam4j.Targets;
import org.cam4j.TinyCnn;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.Target;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.internal.autodiff.TinyModel;
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
   * On a token layer channel c is zeroed in every token, the class token too (pytorch-grad-cam's
   * AblationLayerVit). Graph: c2 [N,4,3,3] as 9 tokens, their mean prepended as a class token,
   * Tanh = "a" [N, 1+9, 4], then the mean over all 10 tokens and a linear map. Zeroing channel
   * c of every token lowers score k by W[c,k] mean_10(a_c) exactly; with the class token left
   * alone it would be W[c,k] sum_9(a_c) / 10, off by W[c,k] a_0c / 10.
   */
  @Test
  void aTokenLayerLosesTheChannelInItsPrefixTokensToo() {
    TinyModel g = TinyModel.opset(13).input("x", 1, 2, 6, 6);
    float[] fc = g.uniform(20, -1, 1);
    g.weights("w", new long[] {4, 2, 2, 2}, g.uniform(32, -1, 1))
        .weights("fc", new long[] {4, 5}, fc).ints("flat", 0, 4, 9)
        .node("Conv", in("x", "w"), "c2", attr("strides", new long[] {2, 2}))
        .node("Reshape", in("c2", "flat"), "cf")
        .node("Transpose", in("cf"), "grid", attr("perm", new long[] {0, 2, 1}))
        .node("ReduceMean", in("grid"), "cls", attr("axes", new long[] {1}))
        .node("Concat", in("cls", "grid"), "tok", attr("axis", 1L))
        .node("Tanh", in("tok"), "a")
        .node("ReduceMean", in("a"), "f", attr("axes", new long[] {1}), attr("keepdims", 0L))
        .node("MatMul", in("f", "fc"), "y");
    FloatTensor input = TinyCnn.input(g, 2, 9);
    try (CamModel m = TinyCnn.load(g)) {
      // 10 tokens are 1+3x3 or 6+2x2: the layout is given
      CamContext c = CamContext.of(m, input, List.of("a"), Targets.classes(1, 3),
          Map.of("a", FeatureLayout.tokens(1, 3, 3)));
      float[] weights = new AblationCam(3).weights(c, "a", FeatureMaps.of(c.activations("a")));
      float[] a = c.layerValues("a").toArray();
      FloatTensor scores = m.scores(input);
      int[] classes = {1, 3};
      for (int i = 0; i < 2; i++) {
        double y = scores.get(i * 5 + classes[i]);
        for (int ch = 0; ch < 4; ch++) {
          double mean = 0;
          for (int t = 0; t < 10; t++) {
            mean += a[(i * 10 + t) * 4 + ch] / 10.0;
          }
          double expected = fc[ch * 5 + classes[i]] * mean / y;
          // y - y_c: two float32 scores, a few ulps of y, over y
          assertEquals(expected, weights[i * 4 + ch], 1e-5 * (1 + Math.abs(expected)),
              "image " + i + " channel " + ch);
        }
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

package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A small residual CNN across opsets, several targets at once, and batches. */
class NetworkGradientTest {
  /** Large enough to rise above float32 noise, small enough to cross few ReLU/MaxPool kinks. */
  private static final double STEP = 5e-3;

  /**
   * Conv -> Relu -> MaxPool -> Conv -> Add skip -> GlobalAveragePool -> Flatten -> Gemm; the
   * Relu, MaxPool and skip outputs are named r, p and a.
   */
  static TinyModel smallCnn(int opset, long batch) {
    TinyModel m = TinyModel.opset(opset).input("x", batch, 2, 7, 7)
        .random("w1", 4, 2, 3, 3).random("b1", 4)
        .random("w2", 4, 4, 3, 3)
        .random("fc", 5, 4);
    m.weights("fcb", new long[] {5}, m.uniform(5, -0.1, 0.1))
        .node("Conv", in("x", "w1", "b1"), "c1", attr("pads", new long[] {1, 1, 1, 1}))
        .node("Relu", in("c1"), "r")
        .node("MaxPool", in("r"), "p", attr("kernel_shape", new long[] {3, 3}),
            attr("strides", new long[] {2, 2}), attr("pads", new long[] {1, 1, 1, 1}))
        .node("Conv", in("p", "w2"), "c2", attr("pads", new long[] {1, 1, 1, 1}))
        .node("Add", in("c2", "p"), "a")
        .node("GlobalAveragePool", in("a"), "g")
        .node("Flatten", in("g"), "f")
        .node("Gemm", in("f", "fc", "fcb"), "y", attr("transB", 1L));
    return m;
  }

  /**
   * Opset 10 too: below 11 the rules emit Pad with attributes, Gemm with a C input and float
   * equality as Not(Or(Less, Greater)). The gradient model keeps the model's single opset.
   */
  @ParameterizedTest(name = "opset {0}")
  @ValueSource(ints = {10, 11, 13, 16, 21})
  void smallCnnAtEachOpset(int opset) {
    GradientCheck check = GradientCheck.on(smallCnn(opset, 1)).step(STEP).skipKinks()
        .elements(60).targets("x", "r", "a");
    check.verify("CNN opset " + opset);
    try (GradientCheck.Run run = check.open()) {
      List<OperatorSetIdProto> imports = run.gradientModel().getOpsetImportList();
      assertEquals(1, imports.size());
      assertEquals("", imports.get(0).getDomain());
      assertEquals(opset, imports.get(0).getVersion());
    }
  }

  /**
   * The in-graph softmax seed: the gradient of sum_k seed_k softmax(y)_k, for a batch of two,
   * w.r.t. the input and two layers. Opset 10 runs Softmax with its older axis semantics.
   */
  @ParameterizedTest(name = "opset {0}")
  @ValueSource(ints = {10, 13})
  void probabilitySeedMatchesFiniteDifferencesOfTheSoftmax(int opset) {
    GradientCheck.on(smallCnn(opset, 2)).probabilities().step(STEP).skipKinks().elements(60)
        .targets("x", "r", "a").verify("CNN softmax seed opset " + opset);
  }

  @Test
  void earlyGradientFlowsThroughTheLateTarget() {
    TinyModel model = smallCnn(13, 1);
    GradientCheck.on(model).step(STEP).skipKinks().targets("c1", "c2").verify("CNN targets c1 (early), c2");
    try (GradientCheck.Run both = GradientCheck.on(model).targets("c1", "c2").open();
        GradientCheck.Run early = GradientCheck.on(model).targets("c1").open()) {
      float[] seed = both.randomSeed(new Random(5));
      assertArrayClose(early.gradients(seed).get("c1"), both.gradients(seed).get("c1"));
    }
  }

  /** N=3 with a different seed row per image: each image's gradient depends on its row only. */
  @ParameterizedTest(name = "opset {0}")
  @ValueSource(ints = {13, 16})
  void batchRowsAreIndependent(int opset) {
    TinyModel model = smallCnn(opset, 3);
    GradientCheck.on(model).step(STEP).skipKinks().elements(60).targets("x", "p")
        .verify("CNN batch 3 opset " + opset);
    try (GradientCheck.Run run = GradientCheck.on(model).targets("x", "p").open()) {
      float[] seed = run.randomSeed(new Random(11));
      Map<String, float[]> all = run.gradients(seed);
      int k = (int) run.seedShape()[1];
      for (int row = 0; row < 3; row++) {
        float[] only = new float[seed.length];
        System.arraycopy(seed, row * k, only, row * k, k);
        Map<String, float[]> single = run.gradients(only);
        for (String t : new String[] {"x", "p"}) {
          int per = all.get(t).length / 3;
          for (int i = 0; i < all.get(t).length; i++) {
            float expected = i / per == row ? all.get(t)[i] : 0f;
            assertEquals(expected, single.get(t)[i], 1e-5 * (1 + Math.abs(expected)),
                t + " row " + row + " element " + i);
          }
        }
      }
    }
  }

  private static void assertArrayClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])), "element " + i);
    }
  }
}

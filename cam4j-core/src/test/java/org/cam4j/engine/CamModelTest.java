package org.cam4j.engine;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cam4j.SharedData;
import org.cam4j.TinyCnn;
import org.cam4j.Targets;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.method.CamContext;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;

class CamModelTest {
  private static final String LAYER4 = "/layer4/layer4.1/relu_1/Relu_output_0";

  @Test
  void batchRowsExplainTheirOwnClassesLikeSingleRuns() {
    FloatTensor x = Npy.read(SharedData.path("reference/input.npy"));
    float[] flipped = x.toArray();
    for (int i = 0; i < flipped.length; i++) {
      flipped[i] = -flipped[i];
    }
    FloatTensor batch = FloatTensor.stack(List.of(x.row(0),
        FloatTensor.of(x.shape(), flipped).row(0)));
    try (CamModel m = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"))) {
      GradientResult both = m.forwardBackward(batch, List.of(LAYER4), Targets.classes(467, 10));
      GradientResult second = m.forwardBackward(FloatTensor.stack(List.of(batch.row(1))),
          List.of(LAYER4), Targets.classes(10));
      assertArrayEquals(new int[] {467, 10}, both.explainedClasses());
      assertArrayEquals(new long[] {2, 512, 7, 7}, both.gradient(LAYER4).shape());
      FloatTensor g1 = both.gradient(LAYER4).row(1);
      FloatTensor s = second.gradient(LAYER4).row(0);
      for (int i = 0; i < s.size(); i++) {
        assertEquals(s.get(i), g1.get(i), 1e-6f * (1 + Math.abs(s.get(i))));
      }
      assertEquals(1000, both.probabilities().size() / 2);
    }
  }

  @Test
  void warmModelBuildsNoSessionAndOneSessionServesSeveralLayers() {
    FloatTensor x = Npy.read(SharedData.path("reference/input.npy"));
    String layer3 = "/layer3/layer3.1/relu_1/Relu_output_0";
    try (CamModel m = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"))) {
      GradientResult both = m.forwardBackward(x, List.of(LAYER4, layer3), Targets.top(1));
      int sessions = m.sessionsCreated();
      for (int i = 0; i < 3; i++) {
        GradientResult again = m.forwardBackward(x, List.of(layer3, LAYER4),
            Targets.top(1));
        assertEquals(both.gradient(layer3).get(17), again.gradient(layer3).get(17));
      }
      assertEquals(sessions, m.sessionsCreated());
      assertEquals(467, both.explainedClasses()[0]);
    }
  }

  @Test
  void forwardOnlyRunGivesTheActivationsScoresAndClassesOfTheGradientRun() {
    FloatTensor x = Npy.read(SharedData.path("reference/input.npy"));
    float[] flipped = x.toArray();
    for (int i = 0; i < flipped.length; i++) {
      flipped[i] = -flipped[i];
    }
    FloatTensor batch = FloatTensor.stack(List.of(x.row(0),
        FloatTensor.of(x.shape(), flipped).row(0)));
    try (CamModel m = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"))) {
      ForwardResult f = m.forward(batch, List.of(LAYER4, "input"));
      GradientResult g = m.forwardBackward(batch, List.of(LAYER4), Targets.top(2));
      assertArrayEquals(g.explainedClasses(),
          CamContext.of(m, batch, List.of(LAYER4), Targets.top(2)).explainedClasses());
      assertArrayEquals(new long[] {2, 1000}, f.scores().shape());
      // two ONNX Runtime graphs over the same weights: sums may be fused or ordered differently
      assertClose(g.scores(), f.scores(), 1e-5);
      assertClose(g.activation(LAYER4), f.tensor(LAYER4), 1e-5);
      assertArrayEquals(batch.toArray(), f.tensor("input").toArray());
    }
  }

  /**
   * A model exported with a fixed batch of 1 runs a batch image by image; a tensor whose first
   * axis is not the batch (attention [B·H, T, T], as torchvision exports it) comes back whole
   * for every image, [N·H, T, T], not as each image's first head. Graph: x [1,3,4,4] read as 3
   * heads of 4x4 attention logits, Softmax over the last axis, then a linear score. The softmax
   * is recomputed here in double; float32 exp and sum agree to 1e-6 on values in [0, 1].
   */
  @Test
  void aFixedBatchModelReturnsEveryHeadOfEveryImage() {
    TinyModel g = TinyModel.opset(13).input("x", 1, 3, 4, 4);
    g.ints("heads", 3, 4, 4).ints("flat", 1, 48)
        .weights("fc", new long[] {48, 5}, g.uniform(48 * 5, -1, 1))
        .node("Reshape", in("x", "heads"), "logits_hd")
        .node("Softmax", in("logits_hd"), "attention", attr("axis", -1L))
        .node("Reshape", in("attention", "flat"), "f")
        .node("MatMul", in("f", "fc"), "y");
    FloatTensor batch = TinyCnn.input(g, 2, 5);
    try (CamModel m = CamModel.of(g.build().toByteArray(),
        EngineOptions.builder().intraOpThreads(1).build())) {
      assertEquals(1, m.signature().fixedBatch());
      ForwardResult f = m.forward(batch, List.of("attention"));
      FloatTensor attention = f.tensor("attention");
      assertArrayEquals(new long[] {6, 4, 4}, attention.shape());
      float[] x = batch.toArray();
      for (int row = 0; row < 6 * 4; row++) {
        double sum = 0;
        for (int q = 0; q < 4; q++) {
          sum += Math.exp(x[row * 4 + q]);
        }
        for (int q = 0; q < 4; q++) {
          assertEquals(Math.exp(x[row * 4 + q]) / sum, attention.get(row * 4 + q), 1e-6,
              "image " + row / 12 + " head " + row / 4 % 3 + " row " + row % 4);
        }
      }
      assertArrayEquals(new long[] {2, 5}, f.scores().shape());
    }
  }

  private static void assertClose(FloatTensor expected, FloatTensor actual, double relative) {
    assertArrayEquals(expected.shape(), actual.shape());
    double scale = 0;
    for (int i = 0; i < expected.size(); i++) {
      scale = Math.max(scale, Math.abs(expected.get(i)));
    }
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), relative * scale, "element " + i);
    }
  }
}

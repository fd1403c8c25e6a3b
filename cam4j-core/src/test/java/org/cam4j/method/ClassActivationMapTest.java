package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cam4j.Cam4jException;
import org.cam4j.SharedData;
import org.cam4j.Targets;
import org.cam4j.engine.CamModel;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;

/**
 * CAM against Grad-CAM: on a GAP -> linear head dScore/dA_c = W[k,c] / (h*w) at every pixel, so
 * CAM = h*w * Grad-CAM. Tolerance 1e-5 of the map's max: both are sums of the same float32
 * products, Grad-CAM's weights come from a backward pass through the pool (one rounding).
 */
class ClassActivationMapTest {
  private static final String RESNET_LAYER4 = "/layer4/layer4.1/relu_1/Relu_output_0";

  @Test
  void equalsGradCamTimesTheAreaOnAGapFcHead() {
    FloatTensor x = Npy.read(SharedData.path("reference/input.npy"));
    try (CamModel m = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"))) {
      FloatTensor cam = Methods.byName("cam").rawMaps(context(m, x, RESNET_LAYER4), RESNET_LAYER4);
      CamContext c = context(m, x, RESNET_LAYER4);
      FloatTensor grad = Methods.byName("gradcam").rawMaps(c, RESNET_LAYER4);
      assertScaled(grad, 49, cam, 1e-5);
      // terms scaled by 49 scale the principal projection by 49, and keep its sign
      assertScaled(new GradCam().withEigenSmooth().rawMaps(c, RESNET_LAYER4), 49,
          new ClassActivationMap().withEigenSmooth().rawMaps(c, RESNET_LAYER4), 1e-5);
    }
  }

  @Test
  void readsTheOneByOneConvClassifierOfTheRealMobileNet() {
    FloatTensor cat = Npy.read(SharedData.path("reference/real_mobilenet_v2/cat.npy"));
    String layer = "MobilenetV2/Conv_1/Relu6";
    try (CamModel m = CamModel.load(SharedData.path("models/mobilenet_v2_1.0_224_dequant.onnx"))) {
      CamContext c = context(m, cat, layer);
      FloatTensor cam = Methods.byName("cam").rawMaps(c, layer);
      assertEquals(286, c.explainedClasses()[0]);
      assertScaled(Methods.byName("gradcam").rawMaps(c, layer), 49, cam, 1e-5);
      // and against PyTorch's Grad-CAM (ReferenceParityTest's last-layer tolerance)
      FloatTensor peer = Npy.read(SharedData.path(
          "reference/real_mobilenet_v2/cat/last/gradcam_raw.npy"));
      assertScaled(peer, 49, cam, 1e-4);
    }
  }

  @Test
  void refusesAHeadThatIsNotGapThenLinear() {
    FloatTensor x = Npy.read(SharedData.path("reference/input.npy"));
    try (CamModel m = CamModel.load(SharedData.path("models/random/squeezenet1_1_random.onnx"))) {
      String layer = "/features/features.12/Concat_output_0";
      Cam4jException e = assertThrows(Cam4jException.class,
          () -> Methods.byName("cam").rawMaps(context(m, x, layer), layer));
      assertEquals("layer '/features/features.12/Concat_output_0' is not followed by a global"
          + " average pool and a linear classifier: it feeds Conv node"
          + " '/classifier/classifier.1/Conv', not a global average pool. CAM needs that head:"
          + " use gradcam, which works with any head (and equals CAM up to a factor on such"
          + " heads)", e.getMessage());
    }
  }

  @Test
  void readsReduceMeanMatMulAndBiasAdd() {
    // W stored [C=2, K=3] for MatMul: class k's weights are column k
    float[] w = {1, 2, 3, 4, 5, 6};
    Head h = new Head().node("ReduceMean", "pooled", List.of("layer"),
        Onnx.attr("axes", new long[] {-1, -2}), Onnx.attr("keepdims", 0L))
        .node("MatMul", "mm", List.of("pooled", "W"))
        .node("Add", "score", List.of("b", "mm"));
    h.weights("W", new long[] {2, 3}, w).weights("b", new long[] {3}, new float[] {0, 0, 1});
    LinearHead head = h.find();
    assertEquals(3, head.classes());
    assertArrayEquals(new float[] {2, 5}, head.classWeights(1));
  }

  @Test
  void readsGemmWithAlphaAndUntransposedWeights() {
    Head h = new Head().node("GlobalAveragePool", "pooled", List.of("layer"))
        .node("Flatten", "flat", List.of("pooled"), Onnx.attr("axis", 1L))
        .node("Gemm", "score", List.of("flat", "W"), Onnx.attr("alpha", 0.5f));
    h.weights("W", new long[] {2, 2}, new float[] {1, 2, 3, 4});
    assertArrayEquals(new float[] {0.5f, 1.5f}, h.find().classWeights(0));
  }

  @Test
  void refusesANonLinearityAfterTheClassifier() {
    Head h = new Head().node("GlobalAveragePool", "pooled", List.of("layer"))
        .node("Flatten", "flat", List.of("pooled"), Onnx.attr("axis", 1L))
        .node("Gemm", "logits", List.of("flat", "W"), Onnx.attr("transB", 1L))
        .node("Relu", "score", List.of("logits"));
    h.weights("W", new long[] {2, 2}, new float[] {1, 2, 3, 4});
    Cam4jException e = assertThrows(Cam4jException.class, h::find);
    assertTrue(e.getMessage().endsWith("after the classifier Gemm node 'logits', Relu node"
        + " 'score' comes before the score (the score must be linear in the pooled features)"),
        e.getMessage());
  }

  @Test
  void refusesWeightsFedAtRunTime() {
    Head h = new Head().node("GlobalAveragePool", "pooled", List.of("layer"))
        .node("Flatten", "flat", List.of("pooled"), Onnx.attr("axis", 1L))
        .node("MatMul", "score", List.of("flat", "W"));
    h.extraInput("W");
    Cam4jException e = assertThrows(Cam4jException.class, h::find);
    assertTrue(e.getMessage().endsWith(": the weights of MatMul node 'score' are not constant"),
        e.getMessage());
  }

  private static CamContext context(CamModel m, FloatTensor x, String layer) {
    return CamContext.of(m, x, List.of(layer), Targets.top(1));
  }

  /** Asserts actual = factor * expected within {@code relative} of actual's max. */
  private static void assertScaled(FloatTensor expected, double factor, FloatTensor actual,
      double relative) {
    assertArrayEquals(expected.shape(), actual.shape());
    double scale = 0;
    for (int i = 0; i < actual.size(); i++) {
      scale = Math.max(scale, Math.abs(actual.get(i)));
    }
    for (int i = 0; i < actual.size(); i++) {
      assertEquals(factor * expected.get(i), actual.get(i), relative * scale, "pixel " + i);
    }
  }

  /** A graph from a [1, C, 2, 2] input "layer" to the last node's output, the score. */
  private static final class Head {
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> weights = new ArrayList<>();
    private final List<String> extraInputs = new ArrayList<>();

    Head node(String op, String output, List<String> inputs, org.cam4j.internal.onnx.AttributeProto... a) {
      nodes.add(Onnx.node(op, output, inputs, List.of(output), a));
      return this;
    }

    Head weights(String name, long[] dims, float[] values) {
      weights.add(Onnx.floatTensor(name, dims, values));
      return this;
    }

    void extraInput(String name) {
      extraInputs.add(name);
    }

    LinearHead find() {
      String score = nodes.get(nodes.size() - 1).getOutput(0);
      GraphProto g = GraphProto.newBuilder().setName("head").addAllNode(nodes)
          .addAllInitializer(weights).addInput(Onnx.floatValueInfo("layer", new long[] {1, 2, 2, 2}))
          .addAllInput(extraInputs.stream().map(i -> Onnx.floatValueInfo(i, null)).toList())
          .addOutput(Onnx.floatValueInfo(score, null)).build();
      ModelProto p = ModelProto.newBuilder().setIrVersion(8)
          .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
          .setGraph(g).build();
      return LinearHead.find(ModelGraph.of(p), "layer", score);
    }
  }
}

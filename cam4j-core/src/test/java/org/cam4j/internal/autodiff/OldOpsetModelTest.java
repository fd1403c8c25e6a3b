package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cam4j.Targets;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.graph.OpsetUpgrade;
import org.cam4j.internal.graph.TensorValues;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/**
 * Opset-7 models like the registry's resnet50-v2-7 and squeezenet1.1-7: ONNX Runtime scores them
 * the same before and after {@link OpsetUpgrade}, and CamModel's gradients on them match finite
 * differences of the original model.
 */
class OldOpsetModelTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /**
   * Conv -> BatchNormalization (epsilon, momentum, spatial=1) -> Relu ->
   * MaxPool -> Conv -> BatchNormalization -> Add skip -> Relu -> GlobalAveragePool -> Flatten ->
   * Gemm -> Reshape (shape from a Constant); tensors r, p and a are the first Relu, the pool and
   * the skip.
   */
  static TinyModel residual() {
    TinyModel m = TinyModel.opset(7).input("x", 1, 3, 9, 9)
        .random("w1", 4, 3, 3, 3).random("b1", 4)
        .random("w2", 4, 4, 3, 3)
        .random("fc", 5, 4).random("fcb", 5);
    batchNormWeights(m, "bn1", 4);
    batchNormWeights(m, "bn2", 4);
    return m.node("Conv", in("x", "w1", "b1"), "c1", attr("pads", new long[] {1, 1, 1, 1}))
        .node("BatchNormalization", in("c1", "bn1_s", "bn1_b", "bn1_m", "bn1_v"), "n1",
            attr("epsilon", 1e-5f), attr("momentum", 0.9f), attr("spatial", 1L))
        .node("Relu", in("n1"), "r")
        .node("MaxPool", in("r"), "p", attr("kernel_shape", new long[] {3, 3}),
            attr("strides", new long[] {2, 2}), attr("pads", new long[] {1, 1, 1, 1}))
        .node("Conv", in("p", "w2"), "c2", attr("pads", new long[] {1, 1, 1, 1}))
        .node("BatchNormalization", in("c2", "bn2_s", "bn2_b", "bn2_m", "bn2_v"), "n2",
            attr("spatial", 1L))
        .node("Add", in("n2", "p"), "a")
        .node("Relu", in("a"), "r2")
        .node("GlobalAveragePool", in("r2"), "g")
        .node("Flatten", in("g"), "f", attr("axis", 1L))
        .node("Gemm", in("f", "fc", "fcb"), "y0", attr("transB", 1L))
        .node("Constant", List.of(), List.of("shape"), attr("value",
            Onnx.longTensor("shape", new long[] {2}, new long[] {0, -1})))
        .node("Reshape", in("y0", "shape"), "y");
  }

  /**
   * A SqueezeNet fire module: Conv -> Relu -> MaxPool, squeeze 1x1 -> expand 1x1 and 3x3 ->
   * Concat -> Dropout (ratio 0.5, unused mask) -> AveragePool -> 1x1 Conv -> Relu ->
   * GlobalAveragePool: scores [1, 6, 1, 1] like squeezenet1.1-7's Softmax input.
   */
  static TinyModel fire() {
    TinyModel m = TinyModel.opset(7).input("x", 1, 3, 11, 11)
        .random("w0", 6, 3, 3, 3).random("b0", 6)
        .random("ws", 3, 6, 1, 1).random("bs", 3)
        .random("we1", 4, 3, 1, 1).random("be1", 4)
        .random("we3", 4, 3, 3, 3).random("be3", 4)
        .random("wc", 6, 8, 1, 1).random("bc", 6);
    return m.node("Conv", in("x", "w0", "b0"), "c0", attr("strides", new long[] {2, 2}))
        .node("Relu", in("c0"), "r0")
        .node("MaxPool", in("r0"), "p0", attr("kernel_shape", new long[] {2, 2}),
            attr("strides", new long[] {1, 1}))
        .node("Conv", in("p0", "ws", "bs"), "s")
        .node("Relu", in("s"), "sr")
        .node("Conv", in("sr", "we1", "be1"), "e1")
        .node("Relu", in("e1"), "e1r")
        .node("Conv", in("sr", "we3", "be3"), "e3", attr("pads", new long[] {1, 1, 1, 1}))
        .node("Relu", in("e3"), "e3r")
        .node("Concat", in("e1r", "e3r"), "cat", attr("axis", 1L))
        .node("Dropout", List.of("cat"), List.of("d", "d_mask"), attr("ratio", 0.5f))
        .node("AveragePool", in("d"), "ap", attr("kernel_shape", new long[] {3, 3}),
            attr("pads", new long[] {1, 1, 1, 1}), attr("count_include_pad", 0L))
        .node("Conv", in("ap", "wc", "bc"), "cls")
        .node("Relu", in("cls"), "clsr")
        .node("GlobalAveragePool", in("clsr"), "y");
  }

  /**
   * Scale, mean, a positive variance and a positive bias for a BatchNormalization over c
   * channels: the bias keeps most of a following Relu open, so MaxPool windows rarely tie at 0.
   */
  private static void batchNormWeights(TinyModel m, String prefix, long c) {
    m.random(prefix + "_s", c).random(prefix + "_m", c);
    m.weights(prefix + "_b", new long[] {c}, m.uniform((int) c, 0.5, 1.5));
    m.weights(prefix + "_v", new long[] {c}, m.uniform((int) c, 0.5, 1.5));
  }

  /**
   * The model as the opset-7 zoo files hold it: IR version 3, every initializer also a graph
   * input, and a final Softmax (axis 1) whose input is the score.
   */
  static ModelProto exported(TinyModel m) {
    ModelProto built = m.build();
    GraphProto.Builder g = built.getGraph().toBuilder();
    for (TensorProto t : built.getGraph().getInitializerList()) {
      g.addInput(Onnx.floatValueInfo(t.getName(), t.getDimsList().stream()
          .mapToLong(Long::longValue).toArray()));
    }
    g.addNode(Onnx.node("Softmax", "softmax", List.of(m.scoreName()), List.of("prob"),
        attr("axis", 1L)));
    g.clearOutput().addOutput(Onnx.floatValueInfo("prob", null));
    return built.toBuilder().setIrVersion(3).setGraph(g).build();
  }

  @Test
  void upgradeRewritesOnlyWhatChangedAfterOpset7() {
    ModelGraph up = OpsetUpgrade.forGradients(ModelGraph.of(exported(fire())));
    assertEquals(11, up.opset());
    assertEquals(3, up.proto().getIrVersion());
    NodeProto dropout = up.producer("d").orElseThrow();
    assertEquals(List.of("d"), dropout.getOutputList());
    assertEquals(List.of("ratio"), attributeNames(dropout));
    ModelGraph res = OpsetUpgrade.forGradients(ModelGraph.of(exported(residual())));
    assertEquals(List.of("epsilon", "momentum"), attributeNames(res.producer("n1").orElseThrow()));
    assertEquals(List.of(), attributeNames(res.producer("n2").orElseThrow()));
    assertEquals(List.of("kernel_shape", "strides", "pads"),
        attributeNames(res.producer("p").orElseThrow()));
    ModelGraph current = ModelGraph.of(NetworkGradientTest.smallCnn(11, 1).build());
    assertSame(current, OpsetUpgrade.forGradients(current));
  }

  @Test
  void residualScoresTheSameAfterUpgrade() {
    assertSameScores("residual", residual());
  }

  @Test
  void fireModuleScoresTheSameAfterUpgrade() {
    assertSameScores("fire", fire());
  }

  @Test
  void residualGradientsThroughCamModelMatchFiniteDifferences() {
    TinyModel m = residual();
    GradientCheck.on(m).viaCamModel(exported(m)).skipKinks().elements(60)
        .targets("x", "r", "p", "a").verify("opset-7 residual via CamModel");
  }

  @Test
  void fireGradientsThroughCamModelMatchFiniteDifferences() {
    TinyModel m = fire();
    GradientCheck.on(m).viaCamModel(exported(m)).skipKinks().elements(60)
        .targets("x", "cat", "d").verify("opset-7 fire via CamModel");
  }

  /** Opset-6 leftovers: not valid at opset 7, so this model is never run, only upgraded. */
  @Test
  void inferenceIsTestIsDroppedTrainingRefused() {
    TinyModel m = TinyModel.opset(7).input("x", 1, 3, 4, 4);
    batchNormWeights(m, "bn", 3);
    m.node("BatchNormalization", in("x", "bn_s", "bn_b", "bn_m", "bn_v"), "n",
        attr("is_test", 1L))
        .node("Dropout", in("n"), "y", attr("is_test", 1L), attr("ratio", 0.1f));
    ModelGraph up = OpsetUpgrade.forGradients(ModelGraph.of(m.build()));
    assertEquals(List.of(), attributeNames(up.producer("n").orElseThrow()));
    assertEquals(List.of("ratio"), attributeNames(up.producer("y").orElseThrow()));
    TinyModel training = TinyModel.opset(7).input("x", 1, 3, 4, 4)
        .node("Dropout", in("x"), "y", attr("is_test", 0L));
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> OpsetUpgrade.forGradients(ModelGraph.of(training.build())));
    assertTrue(e.getMessage().contains("node 'node_y' (Dropout): is_test=0 asks for training"
        + " mode; only test mode (is_test=1) converts;"), e.getMessage());
  }

  @Test
  void nonSpatialBatchNormalizationIsRefused() {
    TinyModel m = TinyModel.opset(7).input("x", 1, 3, 4, 4);
    batchNormWeights(m, "bn", 3);
    m.node("BatchNormalization", in("x", "bn_s", "bn_b", "bn_m", "bn_v"), "y",
        attr("spatial", 0L));
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> OpsetUpgrade.forGradients(ModelGraph.of(m.build())));
    assertEquals("cannot upgrade the model from ONNX opset 7 to 11, which explaining it needs:"
        + " node 'node_y' (BatchNormalization): BatchNormalization has spatial=0 (statistics per"
        + " activation, not per channel), a mode opset 9 removed; convert the model with"
        + " onnx.version_converter to opset 11 or newer", e.getMessage());
  }

  /**
   * An opset-9 export that keeps BatchNormalization behind an Identity (as exporters do): Conv ->
   * BatchNormalization -> Identity -> Clip (clipMin..6, attributes at opset 9) ->
   * GlobalAveragePool -> Flatten -> Gemm; tensor "id" is the Identity's output.
   */
  static TinyModel identityExport(float clipMin) {
    TinyModel m = TinyModel.opset(9).input("x", 1, 3, 4, 4)
        .random("w", 4, 3, 3, 3).random("fc", 3, 4).random("fcb", 3);
    batchNormWeights(m, "bn", 4);
    return m.node("Conv", in("x", "w"), "c")
        .node("BatchNormalization", in("c", "bn_s", "bn_b", "bn_m", "bn_v"), "n")
        .node("Identity", in("n"), "id")
        .node("Clip", in("id"), "clip", attr("min", clipMin), attr("max", 6f))
        .node("GlobalAveragePool", in("clip"), "g")
        .node("Flatten", in("g"), "f")
        .node("Gemm", in("f", "fc", "fcb"), "y", attr("transB", 1L));
  }

  @Test
  void identityAndClipAreCarriedOver() {
    ModelGraph up = OpsetUpgrade.forGradients(ModelGraph.of(exported(identityExport(0))));
    assertEquals(11, up.opset());
    assertEquals(List.of(), attributeNames(up.producer("id").orElseThrow()));
    NodeProto clip = up.producer("clip").orElseThrow();
    assertEquals(List.of("id", "clip_clip_min", "clip_clip_max"), clip.getInputList());
    assertEquals(List.of(), attributeNames(clip));
    assertEquals(0f, TensorValues.floats(up.constant("clip_clip_min").orElseThrow())[0]);
    assertEquals(6f, TensorValues.floats(up.constant("clip_clip_max").orElseThrow())[0]);
  }

  @Test
  void identityExportScoresTheSameAfterUpgrade() {
    assertSameScores("identity", identityExport(0));
  }

  @Test
  void identityExportGradientsThroughCamModelMatchFiniteDifferences() {
    // clipping at -6 leaves the model linear: no kinks for the finite differences to straddle
    TinyModel m = identityExport(-6);
    GradientCheck.on(m).viaCamModel(exported(m)).elements(48)
        .targets("x", "id", "clip").verify("opset-9 Identity export via CamModel");
  }

  @Test
  void forwardPassesDoNotLiftTheModel() {
    // Slice changed at opset 10 (attributes became inputs), so this model cannot be lifted; it
    // still classifies, and only a gradient request is refused
    TinyModel m = TinyModel.opset(9).input("x", 1, 3, 4, 4).random("fc", 2, 3)
        .weights("fcb", new long[] {2}, new float[2])
        .weights("eye", new long[] {3, 3, 1, 1}, new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1})
        .node("Conv", in("x", "eye"), "c")
        .node("GlobalAveragePool", in("c"), "g")
        .node("Slice", in("g"), "s", attr("axes", new long[] {1}),
            attr("starts", new long[] {0}), attr("ends", new long[] {3}))
        .node("Flatten", in("s"), "f")
        .node("Gemm", in("f", "fc", "fcb"), "y", attr("transB", 1L));
    float[] x = m.inputValues();
    try (CamModel model = CamModel.of(m.build().toByteArray(), EngineOptions.defaults())) {
      assertEquals(9, model.opset());
      float[] scores = model.scores(FloatTensor.of(m.inputShape(), x)).toArray();
      float[] fc = m.initializer("fc");
      for (int k = 0; k < 2; k++) {
        double expected = 0;
        for (int c = 0; c < 3; c++) {
          double mean = 0;
          for (int p = 0; p < 16; p++) {
            mean += x[c * 16 + p] / 16.0;
          }
          expected += fc[k * 3 + c] * mean;
        }
        // float32 sums of 16 terms: 1e-5 covers the rounding
        assertEquals(expected, scores[k], 1e-5, "score " + k);
      }
      ModelLoadException e = assertThrows(ModelLoadException.class,
          () -> model.forwardBackward(FloatTensor.of(m.inputShape(), x), List.of("c"),
              Targets.classes(0)));
      assertEquals("cannot upgrade the model from ONNX opset 9 to 11, which explaining it needs:"
          + " node 'node_s' (Slice): opset 10 moved starts, ends and axes from attributes to"
          + " inputs; convert the model with onnx.version_converter to opset 11 or newer",
          e.getMessage());
    }
  }

  @Test
  void usedDropoutMaskIsRefused() {
    TinyModel m = TinyModel.opset(7).input("x", 1, 3, 4, 4)
        .node("Dropout", List.of("x"), List.of("d", "mask"), attr("ratio", 0.5f))
        .node("Add", in("d", "mask"), "y");
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> OpsetUpgrade.forGradients(ModelGraph.of(m.build())));
    assertTrue(e.getMessage().contains("node 'node_d' (Dropout): its mask output 'mask' is used,"
        + " and opset 10 changed the mask's type from float to bool"), e.getMessage());
  }

  @Test
  void opsetsBefore7AreRefused() {
    TinyModel m = TinyModel.opset(6).input("x", 1, 3, 4, 4).node("Relu", in("x"), "y");
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> OpsetUpgrade.forGradients(ModelGraph.of(m.build())));
    assertEquals("the model uses ONNX opset 6; cam4j needs opset 10 or newer and upgrades only"
        + " opsets 7 to 9 itself: convert the model with onnx.version_converter to opset 11 or"
        + " newer", e.getMessage());
  }

  private static List<String> attributeNames(NodeProto n) {
    return n.getAttributeList().stream().map(AttributeProto::getName).toList();
  }

  /** Runs the model before and after the upgrade on the same input; outputs agree to 1e-6. */
  private static void assertSameScores(String label, TinyModel m) {
    ModelProto original = exported(m);
    ModelProto upgraded = OpsetUpgrade.forGradients(ModelGraph.of(original)).proto();
    assertFalse(original.getOpsetImportList().equals(upgraded.getOpsetImportList()));
    float[] before = run(original, m);
    float[] after = run(upgraded, m);
    assertEquals(before.length, after.length);
    double maxDiff = 0;
    for (int i = 0; i < before.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(before[i] - after[i]));
    }
    System.out.printf(Locale.ROOT, "[opset upgrade] %s: %d outputs, max |diff| %.2e%n", label,
        before.length, maxDiff);
    assertTrue(maxDiff <= 1e-6, label + ": outputs differ by " + maxDiff);
  }

  private static float[] run(ModelProto model, TinyModel m) {
    try (OrtSession s = ENV.createSession(model.toByteArray(), new OrtSession.SessionOptions());
        OnnxTensor t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(m.inputValues()),
            m.inputShape());
        OrtSession.Result r = s.run(Map.of(m.inputName(), t))) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] v = new float[out.remaining()];
      out.get(v);
      return v;
    } catch (OrtException e) {
      throw new AssertionError("ONNX Runtime rejects the model: " + e.getMessage(), e);
    }
  }
}

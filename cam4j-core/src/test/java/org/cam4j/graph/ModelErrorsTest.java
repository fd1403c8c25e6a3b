package org.cam4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cam4j.SharedData;
import org.cam4j.Targets;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.internal.autodiff.UnsupportedOperatorException;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs each give a specific, actionable error. */
class ModelErrorsTest {
  @TempDir
  Path tmp;

  @Test
  void missingFile() {
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> ModelGraph.load(tmp.resolve("nope.onnx")));
    assertTrue(e.getMessage().startsWith("model file not found: "), e.getMessage());
  }

  @Test
  void corruptFile() throws Exception {
    Path bad = tmp.resolve("bad.onnx");
    Files.writeString(bad, "this is not a model, just text\n", StandardCharsets.UTF_8);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelGraph.load(bad));
    assertTrue(e.getMessage().contains("is not a valid ONNX model")
        || e.getMessage().contains("is not an ONNX model"), e.getMessage());
  }

  @Test
  void truncatedModel() throws Exception {
    byte[] full = Files.readAllBytes(SharedData.path("models/random/squeezenet1_1_random.onnx"));
    Path cut = tmp.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(full, full.length / 2));
    assertThrows(ModelLoadException.class, () -> ModelGraph.load(cut));
  }

  @Test
  void nonImageModel() {
    ModelProto model = ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
        .setGraph(GraphProto.newBuilder().setName("mlp")
            .addInput(Onnx.floatValueInfo("x", new long[] {1, 10}))
            .addInitializer(Onnx.floatTensor("w", new long[] {10, 3}, new float[30]))
            .addNode(Onnx.node("MatMul", "mm", List.of("x", "w"), List.of("y")))
            .addOutput(Onnx.floatValueInfo("y", new long[] {1, 3})))
        .build();
    NotAnImageModelException e = assertThrows(NotAnImageModelException.class,
        () -> CamModel.of(model.toByteArray(), EngineOptions.defaults()));
    assertEquals("input 'x' has shape [1, 10]; cam4j needs a 4-D image input [N,C,H,W] or"
        + " [N,H,W,C]", e.getMessage());
  }

  @Test
  void inputTooLargeForABufferIsRefusedAtLoad() {
    // the probe's 100000x100000 input overflowed an int buffer size ("capacity < 0")
    ModelProto model = ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
        .setGraph(GraphProto.newBuilder().setName("huge")
            .addInput(Onnx.floatValueInfo("x", new long[] {1, 3, 100000, 100000}))
            .addNode(Onnx.node("GlobalAveragePool", "gap", List.of("x"), List.of("g")))
            .addNode(Onnx.node("Flatten", "flat", List.of("g"), List.of("y")))
            .addOutput(Onnx.floatValueInfo("y", new long[] {1, 3})))
        .build();
    NotAnImageModelException e = assertThrows(NotAnImageModelException.class,
        () -> CamModel.of(model.toByteArray(), EngineOptions.defaults()));
    assertEquals("input 'x' has shape [1, 3, 100000, 100000]: one image of [1, 3, 100000,"
        + " 100000] is more than 536870911 float32 values, the most a Java buffer holds",
        e.getMessage());
  }

  @Test
  void unsupportedOpOnThePathNamesOpNodeAndSupportedList() {
    // x -> Conv -> Sin -> GlobalAveragePool -> Flatten: Sin has no gradient rule
    ModelProto model = ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
        .setGraph(GraphProto.newBuilder().setName("sin")
            .addInput(Onnx.floatValueInfo("x", new long[] {1, 3, 8, 8}))
            .addInitializer(Onnx.floatTensor("w", new long[] {4, 3, 3, 3}, new float[108]))
            .addNode(Onnx.node("Conv", "conv", List.of("x", "w"), List.of("c")))
            .addNode(Onnx.node("Sin", "the_sin", List.of("c"), List.of("e")))
            .addNode(Onnx.node("GlobalAveragePool", "gap", List.of("e"), List.of("g")))
            .addNode(Onnx.node("Flatten", "flat", List.of("g"), List.of("y")))
            .addOutput(Onnx.floatValueInfo("y", new long[] {1, 4})))
        .build();
    try (CamModel m = CamModel.of(model.toByteArray(), EngineOptions.defaults())) {
      FloatTensor x = FloatTensor.of(new long[] {1, 3, 8, 8}, new float[192]);
      UnsupportedOperatorException e = assertThrows(UnsupportedOperatorException.class,
          () -> m.forwardBackward(x, List.of("c"), Targets.classes(0)));
      assertEquals("Sin", e.opType());
      assertEquals("the_sin", e.nodeName());
      assertTrue(e.getMessage().startsWith("cannot differentiate Sin node 'the_sin'"));
      assertTrue(e.getMessage().contains("Supported ops: "));
      assertTrue(e.getMessage().contains("Conv, "));
    }
  }
}

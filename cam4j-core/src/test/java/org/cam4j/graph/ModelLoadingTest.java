package org.cam4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.graph.SignatureDiscovery;
import org.cam4j.internal.graph.TensorValues;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.internal.onnx.StringStringEntryProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.tensor.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoadingTest {
  @TempDir
  Path tmp;

  private static final float[] WEIGHTS = {0.5f, -1.25f, 2f, 3.5f, -0.75f, 1f};

  private static ModelProto softmaxClassifier(TensorProto weights) {
    return ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
        .setGraph(GraphProto.newBuilder().setName("g")
            .addInput(Onnx.floatValueInfo("image", new long[] {1, 3, 4, 4}))
            .addInitializer(weights)
            .addNode(Onnx.node("Conv", "conv", List.of("image", "w"), List.of("c")))
            .addNode(Onnx.node("GlobalAveragePool", "gap", List.of("c"), List.of("g")))
            .addNode(Onnx.node("Flatten", "flat", List.of("g"), List.of("scores")))
            .addNode(Onnx.node("Softmax", "prob", List.of("scores"), List.of("p")))
            .addOutput(Onnx.floatValueInfo("p", new long[] {1, 2})))
        .build();
  }

  @Test
  void externalDataIsReadFromBesideTheModel() throws Exception {
    ByteBuffer data = ByteBuffer.allocate(16 + WEIGHTS.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.position(16);
    data.asFloatBuffer().put(WEIGHTS);
    Files.write(tmp.resolve("model.data"), data.array());
    TensorProto external = TensorProto.newBuilder().setName("w")
        .setDataType(TensorProto.DataType.FLOAT_VALUE).addAllDims(List.of(2L, 3L, 1L, 1L))
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(entry("location", "model.data"))
        .addExternalData(entry("offset", "16"))
        .addExternalData(entry("length", String.valueOf(WEIGHTS.length * 4))).build();
    Path model = tmp.resolve("model.onnx");
    Files.write(model, softmaxClassifier(external).toByteArray());

    ModelGraph graph = ModelGraph.load(model);
    assertArrayEquals(WEIGHTS, TensorValues.floats(graph.initializer("w").orElseThrow()));
    assertEquals(13, graph.opset());

    Files.write(tmp.resolve("model.data"), new byte[8]);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelGraph.load(model));
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }

  @Test
  void softmaxOutputIsExplainedThroughItsInput() {
    ModelGraph graph = ModelGraph.of(softmaxClassifier(Onnx.floatTensor("w",
        new long[] {2, 3, 1, 1}, WEIGHTS)));
    ModelSignature s = SignatureDiscovery.signature(graph);
    assertEquals("scores", s.score().name());
    assertTrue(s.score().description().startsWith("input of Softmax node 'prob'"));
    assertEquals(Layout.NCHW, s.layout());
  }

  @Test
  void nhwcInputIsDetected() {
    ModelProto m = softmaxClassifier(Onnx.floatTensor("w", new long[] {2, 3, 1, 1}, WEIGHTS));
    GraphProto g = m.getGraph().toBuilder().setInput(0,
        Onnx.floatValueInfo("image", new long[] {1, 8, 8, 3})).build();
    ModelSignature s = SignatureDiscovery.signature(ModelGraph.of(m.toBuilder().setGraph(g).build()));
    assertEquals(Layout.NHWC, s.layout());
    assertEquals(3, s.channels());
  }

  private static StringStringEntryProto entry(String k, String v) {
    return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
  }
}

package org.cam4j.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.junit.jupiter.api.Test;

/** Each structural rule {@link GraphCheck} enforces, broken once in a two-node graph. */
class GraphCheckTest {
  private static final NodeProto RELU = Onnx.node("Relu", "relu", List.of("x"), List.of("y"));
  private static final NodeProto NEG = Onnx.node("Neg", "neg", List.of("y"), List.of("z"));

  private static ModelProto model(int opset, List<NodeProto> nodes, String... outputs) {
    GraphProto.Builder g = GraphProto.newBuilder().addAllNode(nodes)
        .addInput(Onnx.floatValueInfo("x", new long[] {1, 2}))
        .addInitializer(Onnx.floatTensor("w", new long[] {1}, new float[] {1}));
    for (String out : outputs) {
      g.addOutput(Onnx.floatValueInfo(out, new long[] {1, 2}));
    }
    return ModelProto.newBuilder().setIrVersion(8).setGraph(g)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
  }

  private static String failure(ModelProto m) {
    return assertThrows(IllegalStateException.class, () -> GraphCheck.verify(m)).getMessage();
  }

  @Test
  void acceptsAWellFormedGraph() {
    GraphCheck.verify(model(13, List.of(RELU, NEG), "z", "y"));
  }

  @Test
  void rejectsEachBrokenRule() {
    assertEquals("node 'neg' (Neg) reads 'y' before anything produces it",
        failure(model(13, List.of(NEG, RELU), "z")));
    assertEquals("tensor 'y' is produced twice (node 'relu2')", failure(model(13,
        List.of(RELU, Onnx.node("Relu", "relu2", List.of("x"), List.of("y"))), "y")));
    assertEquals("tensor 'w' is produced twice (node 'shadow')", failure(model(13,
        List.of(Onnx.node("Relu", "shadow", List.of("x"), List.of("w"))), "w")));
    assertEquals("graph output 'q' is never produced", failure(model(13, List.of(RELU), "q")));
    assertEquals("graph output 'y' is listed twice", failure(model(13, List.of(RELU), "y", "y")));
    assertEquals("Where needs opset 9 but the model imports opset 8", failure(model(8,
        List.of(RELU, Onnx.node("Where", "where", List.of("x", "x", "y"), List.of("z"))), "z")));
  }
}

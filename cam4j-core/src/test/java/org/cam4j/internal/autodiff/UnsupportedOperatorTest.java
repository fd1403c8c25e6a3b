package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.junit.jupiter.api.Test;

/** Ops without a rule, or in a form no rule handles, fail with a message naming them. */
class UnsupportedOperatorTest {
  private static UnsupportedOperatorException failure(TinyModel model) {
    return assertThrows(UnsupportedOperatorException.class,
        () -> GradientCheck.on(model).open().close());
  }

  private static void assertListsSupportedOps(String message) {
    assertTrue(message.contains("Supported ops: "), message);
    String list = message.substring(message.indexOf("Supported ops: "));
    for (String op : VjpRules.supportedOps()) {
      assertTrue(list.contains(op), op + " missing from: " + message);
    }
  }

  @Test
  void sinOnThePathIsNamedWithItsNode() {
    TinyModel model = TinyModel.opset(13).input("x", 1, 2, 5, 5).random("w", 2, 2, 3, 3)
        .node("Conv", in("x", "w"), "c")
        .node("Sin", in("c"), "e")
        .node("GlobalAveragePool", in("e"), "y");
    UnsupportedOperatorException e = failure(model);
    assertEquals("Sin", e.opType());
    assertEquals("node_e", e.nodeName());
    assertTrue(e.getMessage().contains("cannot differentiate Sin node 'node_e'"), e.getMessage());
    assertListsSupportedOps(e.getMessage());
  }

  @Test
  void cubicResizeOnThePathIsNamedWithItsNode() {
    TinyModel model = TinyModel.opset(13).input("x", 1, 2, 4, 4)
        .weights("scales", new long[] {4}, new float[] {1, 1, 2, 2})
        .node("Resize", in("x", "", "scales"), "r", attr("mode", "cubic"))
        .node("GlobalAveragePool", in("r"), "y");
    UnsupportedOperatorException e = failure(model);
    assertEquals("Resize", e.opType());
    assertEquals("node_r", e.nodeName());
    assertTrue(e.getMessage().contains("Resize node 'node_r' (mode cubic (only nearest and"
        + " linear))"), e.getMessage());
    assertListsSupportedOps(e.getMessage());
  }

  @Test
  void anOpBeforeTheTargetNeedsNoRule() {
    TinyModel model = TinyModel.opset(13).input("x", 1, 2, 4, 4)
        .node("Sin", in("x"), "e")
        .node("Relu", in("e"), "r")
        .node("GlobalAveragePool", in("r"), "y");
    GradientCheck.on(model).targets("r").verify("Sin before the target");
  }

  @Test
  void sliceWithStepTwoSaysWhatIsUnsupported() {
    TinyModel model = TinyModel.opset(13).input("x", 1, 2, 6, 6)
        .ints("starts", 0).ints("ends", 6).ints("axes", 3).ints("steps", 2)
        .node("Slice", in("x", "starts", "ends", "axes", "steps"), "s")
        .node("GlobalAveragePool", in("s"), "y");
    UnsupportedOperatorException e = failure(model);
    assertEquals("Slice", e.opType());
    assertEquals("node_s", e.nodeName());
    assertTrue(e.getMessage().contains("(step 2 on axis 3 (only step 1))"), e.getMessage());
  }

  @Test
  void anOpOutsideTheDefaultDomainIsNamed() {
    TinyModel model = TinyModel.opset(13).input("x", 1, 2, 4, 4)
        .node("Relu", in("x"), "r");
    ModelProto proto = model.build();
    GraphProto.Builder g = proto.getGraph().toBuilder();
    g.setNode(0, g.getNode(0).toBuilder().setDomain("com.example"));
    ModelGraph graph = ModelGraph.of(proto.toBuilder().setGraph(g).build());
    long[] shape = {1, 2, 4, 4};
    UnsupportedOperatorException e = assertThrows(UnsupportedOperatorException.class,
        () -> GradientGraphBuilder.build(graph, List.of("x"), "r", Map.of("x", shape, "r", shape)));
    assertTrue(e.getMessage().contains("Relu node 'node_r' (domain com.example)"),
        e.getMessage());
  }

  @Test
  void aScoreReachedOnlyThroughArgMaxIsRefusedAtTheArgMax() {
    TinyModel model = TinyModel.opset(13).input("x", 2, 3, 4)
        .node("ArgMax", in("x"), "a", attr("axis", 2L))
        .node("Cast", in("a"), "f", attr("to", 1L))
        .node("Mul", in("f", "f"), "y");
    UnsupportedOperatorException e = failure(model);
    assertEquals("ArgMax", e.opType());
    assertEquals("node_a", e.nodeName());
    assertTrue(e.getMessage().contains("(its output carries no gradient, and the score depends"
        + " on the layer only through such outputs)"), e.getMessage());
  }

  @Test
  void anArgMaxBesideAGradientPathContributesNothing() {
    TinyModel model = TinyModel.opset(13).input("x", 2, 3, 4);
    model.inputValues(model.distinct(model.inputSize(), 0.1));
    model.node("ArgMax", in("x"), "a", attr("axis", 2L))
        .node("Cast", in("a"), "f", attr("to", 1L))
        .node("Mul", in("x", "f"), "y");
    GradientCheck.on(model).verify("x * argmax(x)");
  }

  @Test
  void aCastToHalfPrecisionSaysSo() {
    TinyModel model = TinyModel.opset(13).input("x", 2, 3)
        .node("Cast", in("x"), "h", attr("to", 10L))
        .node("Cast", in("h"), "y", attr("to", 1L));
    UnsupportedOperatorException e = failure(model);
    assertEquals("node_h", e.nodeName());
    assertTrue(e.getMessage().contains("(cast to FLOAT16: gradients are computed in float32"
        + " only)"), e.getMessage());
  }

  @Test
  void gatherWithRunTimeIndicesSaysSo() {
    TinyModel model = TinyModel.opset(13).input("x", 2, 5)
        .node("ArgMax", in("x"), "a", attr("axis", 1L), attr("keepdims", 0L))
        .node("Gather", in("x", "a"), "y", attr("axis", 1L));
    UnsupportedOperatorException e = failure(model);
    assertEquals("Gather", e.opType());
    assertTrue(e.getMessage().contains("(input 'a' is computed at run time)"), e.getMessage());
  }
}

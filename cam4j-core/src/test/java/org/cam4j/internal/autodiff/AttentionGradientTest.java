package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.onnx.NodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Self-attention pieces against finite differences: MatMul and Einsum with two variable operands
 * and broadcast batch dims, Softmax on inner axes, and mask sub-graphs computed from a layer's
 * shape, which need no gradient rule.
 */
class AttentionGradientTest {
  /** q = x Wq, k = x Wk, v = x Wv, each [B, H, T, d] from x [B, H, T, C]. */
  private static TinyModel projections(TinyModel model) {
    return model.input("x", 1, 2, 3, 4).random("wq", 4, 2).random("wk", 4, 2).random("wv", 4, 2)
        .node("MatMul", in("x", "wq"), "q")
        .node("MatMul", in("x", "wk"), "k")
        .node("MatMul", in("x", "wv"), "v");
  }

  static Stream<Arguments> attention() {
    return Stream.of(
        Arguments.of("MatMul [B,H,T,d] x [B,H,d,T] then Softmax and MatMul", projections(
            TinyModel.opset(13))
            .node("Transpose", in("k"), "kt", attr("perm", new long[] {0, 1, 3, 2}))
            .node("MatMul", in("q", "kt"), "s")
            .node("Softmax", in("s"), "p", attr("axis", -1L))
            .node("MatMul", in("p", "v"), "y")),
        Arguments.of("MatMul broadcast batch dims [B,H,d,T] x [B,1,T,C], both variable",
            TinyModel.opset(13).input("x", 2, 1, 3, 4).random("w", 3, 4, 2)
            .node("MatMul", in("x", "w"), "a")
            .node("Transpose", in("a"), "at", attr("perm", new long[] {0, 1, 3, 2}))
            .node("MatMul", in("at", "x"), "y")),
        Arguments.of("Softmax opset 13 on an inner axis", projections(TinyModel.opset(13))
            .node("Transpose", in("k"), "kt", attr("perm", new long[] {0, 1, 3, 2}))
            .node("MatMul", in("q", "kt"), "s")
            .node("Softmax", in("s"), "y", attr("axis", 2L))),
        Arguments.of("Einsum bhqd,bhkd->bhqk then bhqk,bhkd->bhqd", projections(
            TinyModel.opset(13))
            .node("Einsum", in("q", "k"), "s", attr("equation", "bhqd,bhkd->bhqk"))
            .node("Softmax", in("s"), "p")
            .node("Einsum", in("p", "v"), "y", attr("equation", "bhqk, bhkd -> bhqd"))),
        Arguments.of("Einsum bij,bjk->bik with a constant and a contraction in one operand",
            TinyModel.opset(13).input("x", 2, 3, 4).random("w", 2, 4, 5)
            .node("Einsum", in("x", "w"), "y", attr("equation", "bij,bjk->bik"))),
        Arguments.of("Einsum with an index private to the constant operand", TinyModel.opset(13)
            .input("x", 2, 3).random("w", 3, 4, 5)
            .node("Einsum", in("x", "w"), "y", attr("equation", "ij,jkl->ik"))),
        Arguments.of("attention with a shifted-window style mask from the layer's shape",
            maskedAttention()));
  }

  /**
   * Scores q k^T plus a mask built from Shape(x) with Range, Mod, Equal, Cast and ScatterND (none
   * of which has a gradient rule), then Softmax, p v, and a Slice whose end is computed from the
   * shape too (evaluated at build time).
   */
  private static TinyModel maskedAttention() {
    return TinyModel.opset(13).input("x", 1, 4, 6).random("wq", 6, 3).random("wk", 6, 3)
        .random("wv", 6, 3).weights("blank", new long[] {4, 4}, new float[16])
        .scalar("penalty", -3f).ints("axis1", new long[0], 1).ints("zero", new long[0], 0)
        .ints("one", new long[0], 1).ints("two", new long[0], 2).ints("starts", 1)
        .ints("axes", 1).ints("unsq", 1).ints("unsq0", 0)
        .node("Shape", in("x"), "shape")
        .node("Gather", in("shape", "axis1"), "tokens")
        .node("Range", in("zero", "tokens", "one"), "positions")
        .node("Mod", in("positions", "two"), "parity")
        .node("Equal", in("parity", "zero"), "even")
        .node("Cast", in("even"), "evenf", attr("to", 1L))
        .node("Mul", in("evenf", "penalty"), "updates")
        .node("Unsqueeze", in("positions", "unsq"), "column")
        .node("Concat", in("column", "column"), "diagonal", attr("axis", 1L))
        .node("ScatterND", in("blank", "diagonal", "updates"), "mask")
        .node("MatMul", in("x", "wq"), "q")
        .node("MatMul", in("x", "wk"), "k")
        .node("MatMul", in("x", "wv"), "v")
        .node("Transpose", in("k"), "kt", attr("perm", new long[] {0, 2, 1}))
        .node("MatMul", in("q", "kt"), "s")
        .node("Add", in("s", "mask"), "masked")
        .node("Softmax", in("masked"), "p")
        .node("MatMul", in("p", "v"), "o")
        .node("Unsqueeze", in("tokens", "unsq0"), "end")
        .node("Slice", in("o", "starts", "end", "axes"), "y");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attention")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).elements(48).verify(label);
  }

  @Test
  void theMaskSubGraphIsOnThePathButNotDifferentiable() {
    ModelGraph graph = ModelGraph.of(maskedAttention().build());
    BackwardPath path = BackwardPath.between(graph, List.of("x"), "y");
    List<String> ops = path.nodes().stream().map(NodeProto::getOpType).toList();
    assertTrue(ops.containsAll(List.of("Range", "Mod", "ScatterND")), ops.toString());
    for (String t : List.of("shape", "tokens", "positions", "mask", "end")) {
      assertFalse(path.isDifferentiable(t), t);
    }
    for (String t : List.of("x", "q", "masked", "p", "o", "y")) {
      assertTrue(path.isDifferentiable(t), t);
    }
  }

  @Test
  void einsumSummingWithinOneOperandSaysSo() {
    TinyModel model = TinyModel.opset(13).input("x", 2, 3).random("w", 2, 4)
        .node("Einsum", in("x", "w"), "y", attr("equation", "ij,ik->ik"));
    UnsupportedOperatorException e = assertThrows(UnsupportedOperatorException.class,
        () -> GradientCheck.on(model).open().close());
    assertEquals("Einsum", e.opType());
    assertTrue(e.getMessage().contains("(equation 'ij,ik->ik' sums index 'j' within one"
        + " operand)"), e.getMessage());
  }

  @Test
  void einsumWithAnEllipsisSaysSo() {
    TinyModel model = TinyModel.opset(13).input("x", 2, 3, 4).random("w", 4, 5)
        .node("Einsum", in("x", "w"), "y", attr("equation", "...j,jk->...k"));
    UnsupportedOperatorException e = assertThrows(UnsupportedOperatorException.class,
        () -> GradientCheck.on(model).open().close());
    assertTrue(e.getMessage().contains("(equation '...j,jk->...k' with an ellipsis)"),
        e.getMessage());
  }
}

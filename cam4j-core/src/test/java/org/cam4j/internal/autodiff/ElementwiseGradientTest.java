package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;

import java.util.List;
import java.util.stream.Stream;
import org.cam4j.internal.graph.Onnx;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Broadcasting arithmetic and identity-like ops against finite differences. */
class ElementwiseGradientTest {
  static Stream<Arguments> ops() {
    return Stream.of(
        Arguments.of("Mul SE block [N,C,1,1]*[N,C,H,W]", TinyModel.opset(13).input("x", 2, 3, 4, 4)
            .node("GlobalAveragePool", in("x"), "p")
            .node("Sigmoid", in("p"), "s")
            .node("Mul", in("s", "x"), "y")),
        Arguments.of("Mul by constant [C,1,1]", TinyModel.opset(13).input("x", 1, 3, 4, 4)
            .random("k", 3, 1, 1).node("Mul", in("x", "k"), "y")),
        Arguments.of("Mul square x*x", TinyModel.opset(13).input("x", 1, 2, 3, 3)
            .node("Mul", in("x", "x"), "y")),
        Arguments.of("Add broadcast constant [W]", TinyModel.opset(13).input("x", 1, 2, 3, 4)
            .random("b", 4).node("Add", in("b", "x"), "y")),
        Arguments.of("Add lower rank [H,W] + [N,C,H,W]", TinyModel.opset(11).input("x", 2, 3, 3, 4)
            .node("ReduceSum", in("x"), "r", attr("axes", new long[] {0, 1}), attr("keepdims", 0L))
            .node("Tanh", in("r"), "t")
            .node("Add", in("t", "x"), "y")),
        Arguments.of("Sub x - mean over H,W", TinyModel.opset(13).input("x", 2, 3, 4, 4)
            .node("ReduceMean", in("x"), "m", attr("axes", new long[] {2, 3}))
            .node("Sub", in("x", "m"), "d")
            .node("Mul", in("d", "d"), "y")),
        Arguments.of("Sub [1,C,1,W] - x", TinyModel.opset(13).input("x", 2, 3, 4, 5)
            .ints("axes", 0, 2)
            .node("ReduceSum", in("x", "axes"), "r")
            .node("Sub", in("r", "x"), "y")),
        Arguments.of("Sum of three with broadcast", TinyModel.opset(13).input("x", 1, 3, 4, 4)
            .random("b", 3, 1, 1)
            .node("GlobalAveragePool", in("x"), "p")
            .node("Sum", in("x", "p", "b"), "y")),
        Arguments.of("Neg", TinyModel.opset(13).input("x", 1, 2, 3, 3)
            .node("Neg", in("x"), "y")),
        Arguments.of("Div by constant scalar", TinyModel.opset(13).input("x", 1, 2, 4, 4)
            .scalar("k", 0.37f).node("Div", in("x", "k"), "y")),
        Arguments.of("Div by constant [C,1,1]", TinyModel.opset(13).input("x", 1, 2, 4, 4)
            .weights("k", new long[] {2, 1, 1}, new float[] {1.7f, -0.6f})
            .node("Div", in("x", "k"), "y")),
        Arguments.of("Div by tensor x/(1+exp(x))", TinyModel.opset(13).input("x", 1, 2, 4, 4)
            .scalar("one", 1f)
            .node("Exp", in("x"), "e")
            .node("Add", in("one", "e"), "d")
            .node("Div", in("x", "d"), "y")),
        Arguments.of("Div constant by broadcast tensor", TinyModel.opset(13).input("x", 1, 3, 4, 4)
            .random("k", 1, 3, 4, 4)
            .node("GlobalAveragePool", in("x"), "p")
            .node("Exp", in("p"), "d")
            .node("Div", in("k", "d"), "y")),
        Arguments.of("Identity", TinyModel.opset(13).input("x", 1, 2, 3, 3)
            .node("Identity", in("x"), "y")),
        Arguments.of("Dropout opset 13", TinyModel.opset(13).input("x", 1, 2, 3, 3)
            .node("Dropout", in("x"), "y")),
        Arguments.of("Dropout opset 11 ratio + mask", TinyModel.opset(11).input("x", 1, 2, 3, 3)
            .node("Dropout", List.of("x"), List.of("y", "mask"), attr("ratio", 0.3f))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).elements(48).verify(label);
  }
}

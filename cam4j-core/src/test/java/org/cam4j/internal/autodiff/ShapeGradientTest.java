package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;

import java.util.List;
import java.util.stream.Stream;
import org.cam4j.internal.graph.Onnx;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ops that move or select elements, at the opsets where their form changed. */
class ShapeGradientTest {
  static Stream<Arguments> ops() {
    return Stream.of(
        Arguments.of("Flatten default axis", TinyModel.opset(13).input("x", 2, 3, 2, 2)
            .node("Flatten", in("x"), "y")),
        Arguments.of("Flatten axis 2 then MatMul", TinyModel.opset(11).input("x", 2, 3, 2, 2)
            .random("w", 4, 3)
            .node("Flatten", in("x"), "f", attr("axis", 2L))
            .node("MatMul", in("f", "w"), "y")),
        Arguments.of("Reshape 0 and -1", TinyModel.opset(13).input("x", 2, 3, 2, 2)
            .ints("shape", 0, -1, 3).random("w", 3, 3)
            .node("Reshape", in("x", "shape"), "r")
            .node("MatMul", in("r", "w"), "y")),
        Arguments.of("Squeeze opset 11 attribute", TinyModel.opset(11).input("x", 2, 1, 3, 1)
            .random("w", 3, 2)
            .node("Squeeze", in("x"), "s", attr("axes", new long[] {1, -1}))
            .node("MatMul", in("s", "w"), "y")),
        Arguments.of("Squeeze opset 13 input", TinyModel.opset(13).input("x", 2, 1, 3, 1)
            .ints("axes", 3).random("w", 3, 2)
            .node("Squeeze", in("x", "axes"), "s")
            .node("MatMul", in("s", "w"), "y")),
        Arguments.of("Unsqueeze opset 11 attribute", TinyModel.opset(11).input("x", 2, 3)
            .random("w", 2, 3, 1, 4)
            .node("Unsqueeze", in("x"), "u", attr("axes", new long[] {2, -1}))
            .node("Mul", in("u", "w"), "y")),
        Arguments.of("Unsqueeze opset 13 input", TinyModel.opset(13).input("x", 2, 3)
            .ints("axes", 0, 3).random("w", 4, 2, 3, 1)
            .node("Unsqueeze", in("x", "axes"), "u")
            .node("Mul", in("u", "w"), "y")),
        Arguments.of("Transpose perm 0,2,3,1", TinyModel.opset(13).input("x", 2, 3, 2, 4)
            .random("w", 3, 2)
            .node("Transpose", in("x"), "t", attr("perm", new long[] {0, 2, 3, 1}))
            .node("MatMul", in("t", "w"), "y")),
        Arguments.of("Transpose default (reverse)", TinyModel.opset(13).input("x", 2, 3, 4)
            .random("w", 2, 5)
            .node("Transpose", in("x"), "t")
            .node("MatMul", in("t", "w"), "y")),
        Arguments.of("Concat axis 1 with itself and a constant", TinyModel.opset(13)
            .input("x", 2, 2, 3, 3).random("c", 2, 1, 3, 3)
            .node("Tanh", in("x"), "t")
            .node("Concat", in("x", "c", "t"), "y", attr("axis", 1L))),
        Arguments.of("Concat axis -1", TinyModel.opset(11).input("x", 2, 2, 3, 3)
            .node("Sigmoid", in("x"), "s")
            .node("Concat", in("s", "x"), "y", attr("axis", -1L))),
        Arguments.of("Split opset 11 attribute, one output unused", TinyModel.opset(11)
            .input("x", 2, 6, 3, 3)
            .node("Split", List.of("x"), List.of("a", "b", "c"), attr("axis", 1L),
                attr("split", new long[] {1, 2, 3}))
            .node("Concat", in("c", "a"), "y", attr("axis", 1L))),
        Arguments.of("Split opset 13 input", TinyModel.opset(13).input("x", 2, 3, 4, 3)
            .ints("split", 1, 3)
            .node("Split", List.of("x", "split"), List.of("a", "b"), attr("axis", -2L))
            .node("ReduceSum", in("b"), "r", attr("keepdims", 1L))
            .node("Mul", in("a", "r"), "y")),
        Arguments.of("Split opset 13 equal parts", TinyModel.opset(13).input("x", 2, 4, 3)
            .node("Split", List.of("x"), List.of("a", "b"))
            .node("Mul", in("a", "b"), "y")),
        Arguments.of("Split opset 18 num_outputs", TinyModel.opset(18).input("x", 2, 4, 3)
            .node("Split", List.of("x"), List.of("a", "b"), attr("axis", 1L),
                attr("num_outputs", 2L))
            .node("Sub", in("b", "a"), "y")),
        Arguments.of("Slice negative start, large end", TinyModel.opset(13)
            .input("x", 1, 3, 6, 6).ints("starts", -4).ints("ends", 1000).ints("axes", 2)
            .node("Slice", in("x", "starts", "ends", "axes"), "y")),
        Arguments.of("Slice two axes, negative end, steps 1", TinyModel.opset(13)
            .input("x", 1, 3, 6, 6).ints("starts", 1, 1).ints("ends", -1, Long.MAX_VALUE)
            .ints("axes", 3, -3).ints("steps", 1, 1)
            .node("Slice", in("x", "starts", "ends", "axes", "steps"), "y")),
        Arguments.of("Slice opset 11 no axes", TinyModel.opset(11)
            .input("x", 2, 3, 4).ints("starts", 1, 0, -3).ints("ends", 2, 2, -1)
            .node("Slice", in("x", "starts", "ends"), "y")),
        Arguments.of("Slice opset 10", TinyModel.opset(10)
            .input("x", 2, 3, 4).ints("starts", 1, -3).ints("ends", 3, 100).ints("axes", 2, 1)
            .node("Slice", in("x", "starts", "ends", "axes"), "y")),
        Arguments.of("Pad constant opset 11", TinyModel.opset(11).input("x", 1, 2, 4, 4)
            .ints("pads", 0, 0, 1, 2, 0, 0, 2, 0).scalar("value", 0.5f)
            .node("Pad", in("x", "pads", "value"), "y", attr("mode", "constant"))),
        Arguments.of("Pad constant opset 13 default value", TinyModel.opset(13)
            .input("x", 1, 2, 4, 4).ints("pads", 0, 1, 0, 1, 0, 0, 3, 1)
            .node("Pad", in("x", "pads"), "y")),
        Arguments.of("Pad constant opset 18 axes", TinyModel.opset(18).input("x", 1, 2, 4, 4)
            .ints("pads", 2, 1, 0, 3).scalar("value", -1f).ints("axes", -1, 2)
            .node("Pad", in("x", "pads", "value", "axes"), "y")),
        Arguments.of("Pad constant opset 10 attribute", TinyModel.opset(10)
            .input("x", 1, 2, 4, 4)
            .node("Pad", in("x"), "y", attr("pads", new long[] {0, 0, 1, 1, 0, 0, 0, 2}),
                attr("value", 0.25f))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).elements(60).verify(label);
  }
}

package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LayerNormalization, InstanceNormalization and GroupNormalization against finite differences.
 * Each score mixes the normalized values with random weights so that the mean and variance terms
 * of the gradient matter (a plain sum of a normalized tensor has zero gradient).
 */
class NormalizationGradientTest {
  static Stream<Arguments> norms() {
    return Stream.of(
        Arguments.of("LayerNorm opset 17 last axis, token layout", TinyModel.opset(17)
            .input("x", 2, 5, 6).random("scale", 6).random("bias", 6).random("w", 2, 5, 6)
            .node("LayerNormalization", in("x", "scale", "bias"), "n", attr("epsilon", 1e-6f))
            .node("Mul", in("n", "w"), "y")),
        Arguments.of("LayerNorm opset 17 axis 1 over [C,H,W], no bias", TinyModel.opset(17)
            .input("x", 2, 3, 2, 4).random("scale", 3, 2, 4).random("w", 2, 3, 2, 4)
            .node("LayerNormalization", in("x", "scale"), "n", attr("axis", 1L))
            .node("Mul", in("n", "w"), "y")),
        Arguments.of("LayerNorm channels-last as in ConvNeXt", TinyModel.opset(17)
            .input("x", 1, 4, 3, 3).random("scale", 4).random("bias", 4).random("w", 1, 4, 3, 3)
            .node("Transpose", in("x"), "t", attr("perm", new long[] {0, 2, 3, 1}))
            .node("LayerNormalization", in("t", "scale", "bias"), "n", attr("axis", -1L),
                attr("epsilon", 1e-6f))
            .node("Transpose", in("n"), "u", attr("perm", new long[] {0, 3, 1, 2}))
            .node("Mul", in("u", "w"), "y")),
        Arguments.of("LayerNorm with Mean and InvStdDev outputs unused", TinyModel.opset(17)
            .input("x", 3, 8).random("scale", 8).random("bias", 8).random("w", 3, 8)
            .node("LayerNormalization", List.of("x", "scale", "bias"),
                List.of("n", "mean", "invstd"))
            .node("Mul", in("n", "w"), "y")),
        Arguments.of("InstanceNorm", TinyModel.opset(13).input("x", 2, 3, 3, 4)
            .random("scale", 3).random("bias", 3).random("w", 2, 3, 3, 4)
            .node("InstanceNormalization", in("x", "scale", "bias"), "n", attr("epsilon", 1e-3f))
            .node("Mul", in("n", "w"), "y")),
        Arguments.of("GroupNorm opset 18 per-group scale", TinyModel.opset(18)
            .input("x", 2, 4, 3, 3).random("scale", 2).random("bias", 2).random("w", 2, 4, 3, 3)
            .node("GroupNormalization", in("x", "scale", "bias"), "n", attr("num_groups", 2L))
            .node("Mul", in("n", "w"), "y")),
        Arguments.of("GroupNorm opset 21 per-channel scale", TinyModel.opset(21)
            .input("x", 2, 6, 2, 3).random("scale", 6).random("bias", 6).random("w", 2, 6, 2, 3)
            .node("GroupNormalization", in("x", "scale", "bias"), "n", attr("num_groups", 3L),
                attr("epsilon", 1e-4f))
            .node("Mul", in("n", "w"), "y")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("norms")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).elements(48).verify(label);
  }
}

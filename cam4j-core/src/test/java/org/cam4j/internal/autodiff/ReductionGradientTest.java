package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ReduceMax and ReduceMin against finite differences on inputs 0.1 apart (no ties within the FD
 * step), and the tie rule on an input with ties.
 */
class ReductionGradientTest {
  static Stream<Arguments> ops() {
    return Stream.of(
        Arguments.of("ReduceMax opset 13 axes attribute", distinct(TinyModel.opset(13))
            .node("ReduceMax", in("x"), "y", attr("axes", new long[] {2, 3}))),
        Arguments.of("ReduceMax opset 18 axes input keepdims 0", distinct(TinyModel.opset(18))
            .ints("axes", -1).node("ReduceMax", in("x", "axes"), "y", attr("keepdims", 0L))),
        Arguments.of("ReduceMax opset 11 all axes", distinct(TinyModel.opset(11))
            .node("ReduceMax", in("x"), "y")),
        Arguments.of("ReduceMin opset 13 axis 1", distinct(TinyModel.opset(13))
            .node("ReduceMin", in("x"), "y", attr("axes", new long[] {1}))));
  }

  private static TinyModel distinct(TinyModel model) {
    model.input("x", 2, 3, 2, 4);
    return model.inputValues(model.distinct(model.inputSize(), 0.1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).elements(48).verify(label);
  }

  /** Ties share the gradient evenly, as torch.amax does: g/2 to each of two equal maxima. */
  @Test
  void tiedMaximaShareTheGradient() {
    TinyModel model = TinyModel.opset(13).input("x", 1, 4)
        .inputValues(new float[] {0.5f, 2f, -1f, 2f})
        .node("ReduceMax", in("x"), "y", attr("axes", new long[] {1}));
    try (GradientCheck.Run run = GradientCheck.on(model).open()) {
      Map<String, float[]> grads = run.gradients(new float[] {3f});
      assertArrayEquals(new float[] {0f, 1.5f, 0f, 1.5f}, grads.get("x"), 0f);
    }
  }
}

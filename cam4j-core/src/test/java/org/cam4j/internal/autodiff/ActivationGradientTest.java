package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.cam4j.internal.graph.Onnx;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pointwise activations and softmax against finite differences; inputs of piecewise ops stay at
 * least 0.05 away from their kinks (the FD step is 1e-2).
 */
class ActivationGradientTest {
  private static final List<Double> ZERO = List.of(0.0);
  private static final List<Double> BOUNDS = List.of(-0.5, 0.5);

  static Stream<Arguments> activations() {
    return Stream.of(
        spread("Relu", TinyModel.opset(13), 1, ZERO, m -> m.node("Relu", in("x"), "y")),
        spread("Relu opset 11", TinyModel.opset(11), 1, ZERO, m -> m.node("Relu", in("x"), "y")),
        spread("Clip min+max inputs", TinyModel.opset(13), 1.5, BOUNDS,
            m -> m.scalar("lo", -0.5f).scalar("hi", 0.5f).node("Clip", in("x", "lo", "hi"), "y")),
        spread("Clip min only", TinyModel.opset(11), 1.5, BOUNDS,
            m -> m.scalar("lo", -0.5f).node("Clip", in("x", "lo"), "y")),
        spread("Clip max only", TinyModel.opset(12), 1.5, BOUNDS,
            m -> m.scalar("hi", 0.5f).node("Clip", in("x", "", "hi"), "y")),
        spread("Clip unbounded", TinyModel.opset(13), 1.5, BOUNDS,
            m -> m.node("Clip", in("x"), "y")),
        spread("Clip opset 10 attributes", TinyModel.opset(10), 1.5, BOUNDS,
            m -> m.node("Clip", in("x"), "y", attr("min", -0.5f), attr("max", 0.5f))),
        spread("LeakyRelu", TinyModel.opset(13), 1, ZERO,
            m -> m.node("LeakyRelu", in("x"), "y", attr("alpha", 0.1f))),
        spread("LeakyRelu default alpha", TinyModel.opset(11), 1, ZERO,
            m -> m.node("LeakyRelu", in("x"), "y")),
        smooth("Sigmoid", TinyModel.opset(13), m -> m.node("Sigmoid", in("x"), "y")),
        smooth("Tanh", TinyModel.opset(13), m -> m.node("Tanh", in("x"), "y")),
        smooth("Exp", TinyModel.opset(13), m -> m.node("Exp", in("x"), "y")),
        // HardSigmoid kinks at alpha*x+beta in {0, 1}: x = -2.5 and 2.5 with the defaults.
        spread("HardSigmoid defaults", TinyModel.opset(13), 4, List.of(-2.5, 2.5),
            m -> m.node("HardSigmoid", in("x"), "y")),
        spread("HardSigmoid alpha 0.5 beta 0.25", TinyModel.opset(11), 4, List.of(-0.5, 1.5),
            m -> m.node("HardSigmoid", in("x"), "y", attr("alpha", 0.5f), attr("beta", 0.25f))),
        spread("HardSwish", TinyModel.opset(14), 5, List.of(-3.0, 3.0),
            m -> m.node("HardSwish", in("x"), "y")),
        smooth("SiLU x*Sigmoid(x)", TinyModel.opset(13),
            m -> m.node("Sigmoid", in("x"), "s").node("Mul", in("x", "s"), "y")),
        smooth("Softmax opset 13 default axis", TinyModel.opset(13),
            m -> m.node("Softmax", in("x"), "y")),
        smooth("Softmax opset 13 axis 1", TinyModel.opset(13),
            m -> m.node("Softmax", in("x"), "y", attr("axis", 1L))),
        smooth("Softmax opset 11 coerced 2-D default axis", TinyModel.opset(11),
            m -> m.node("Softmax", in("x"), "y")),
        smooth("Softmax opset 11 coerced 2-D axis 2", TinyModel.opset(11),
            m -> m.node("Softmax", in("x"), "y", attr("axis", 2L))),
        smooth("Softmax opset 11 axis -1", TinyModel.opset(11),
            m -> m.node("Softmax", in("x"), "y", attr("axis", -1L))),
        smooth("LogSoftmax opset 13 axis 1", TinyModel.opset(13),
            m -> m.node("LogSoftmax", in("x"), "y", attr("axis", 1L))),
        smooth("LogSoftmax opset 11 coerced 2-D", TinyModel.opset(11),
            m -> m.node("LogSoftmax", in("x"), "y")),
        smooth("LogSoftmax opset 13 default axis", TinyModel.opset(13),
            m -> m.node("LogSoftmax", in("x"), "y")));
  }

  private static Arguments smooth(String label, TinyModel model,
      UnaryOperator<TinyModel> graph) {
    model.input("x", 2, 3, 2, 4);
    model.inputValues(model.uniform(model.inputSize(), -2, 2));
    return Arguments.of(label, graph.apply(model));
  }

  /** Uniform in [-range, range], nudged at least 0.05 away from the listed kinks. */
  private static Arguments spread(String label, TinyModel model, double range, List<Double> kinks,
      UnaryOperator<TinyModel> graph) {
    model.input("x", 2, 3, 2, 4);
    float[] v = model.uniform(model.inputSize(), -range, range);
    for (int i = 0; i < v.length; i++) {
      for (double k : kinks) {
        if (Math.abs(v[i] - k) < 0.05) {
          v[i] = (float) (k + (v[i] < k ? -0.05 : 0.05));
        }
      }
    }
    return Arguments.of(label, graph.apply(model.inputValues(v)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activations")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).elements(48).verify(label);
  }

  /** Inputs at, and one float beside, the bounds 0 and 6, with the smallest subnormals. */
  private static final float[] AT_BOUNDS = {-1f, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE,
      Float.MIN_NORMAL, 1f, Math.nextDown(6f), 6f, Math.nextUp(6f), 7f};

  static Stream<Arguments> rectifiersAtTheirBounds() {
    return Stream.of(
        Arguments.of("ReLU6 as Clip with bound inputs", atBounds(13)
            .scalar("lo", 0f).scalar("hi", 6f).node("Clip", in("x", "lo", "hi"), "y"), 6f),
        Arguments.of("ReLU6 as Clip opset 10 attributes", atBounds(10)
            .node("Clip", in("x"), "y", attr("min", 0f), attr("max", 6f)), 6f),
        Arguments.of("Relu", atBounds(13).node("Relu", in("x"), "y"), Float.POSITIVE_INFINITY));
  }

  private static TinyModel atBounds(int opset) {
    return TinyModel.opset(opset).input("x", 1, AT_BOUNDS.length).inputValues(AT_BOUNDS);
  }

  /**
   * The rectifier masks exactly at and one float beside their bounds, where finite differences
   * cannot look: the gradient passes strictly inside (0, max) (PyTorch's threshold_backward and
   * hardtanh_backward), from the smallest normal float on, and is exactly 0 elsewhere. The one
   * documented deviation (SaturatedMask): a subnormal output y passes 2^126 y of it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rectifiersAtTheirBounds")
  void rectifierMaskAtItsBounds(String label, TinyModel model, float max) {
    try (GradientCheck.Run run = GradientCheck.on(model).open()) {
      float[] seed = run.randomSeed(new Random(7));
      float[] dx = run.gradients(seed).get("x");
      for (int i = 0; i < AT_BOUNDS.length; i++) {
        float x = AT_BOUNDS[i];
        float passed = x > 0f && x < Float.MIN_NORMAL ? x * 0x1p126f : 1f;
        float expected = x > 0f && x < max ? seed[i] * passed : 0f;
        assertEquals(expected, dx[i], 0f, label + " at x = " + x);
      }
    }
  }
}

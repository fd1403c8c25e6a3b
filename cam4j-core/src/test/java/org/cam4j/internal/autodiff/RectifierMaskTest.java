package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Random;
import java.util.function.DoublePredicate;
import java.util.stream.Stream;
import org.cam4j.engine.BackwardMode;
import org.cam4j.internal.onnx.NodeProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Relu and Clip masks: PyTorch's threshold_backward / hardtanh_backward rule exactly at the kinks
 * (an input on a bound passes nothing), and masks read from the activation's output so the
 * producing Conv keeps the activation as its only consumer (ONNX Runtime's Conv+Relu and
 * Conv+Clip fusions need that).
 */
class RectifierMaskTest {
  /** Inputs on and around the kinks of Relu (0) and Clip(-0.5, 0.5). */
  private static final float[] AT_KINKS = {-1f, -0.5f, -0.25f, 0f, 0.25f, 0.5f, 1f, 0f};

  static Stream<Arguments> rectifiers() {
    return Stream.of(
        Arguments.of("Relu", TinyModel.opset(13).input("x", 1, 8).inputValues(AT_KINKS)
            .node("Relu", in("x"), "y"), (DoublePredicate) x -> x > 0),
        Arguments.of("Clip(-0.5, 0.5) inputs", TinyModel.opset(13).input("x", 1, 8)
            .inputValues(AT_KINKS).scalar("lo", -0.5f).scalar("hi", 0.5f)
            .node("Clip", in("x", "lo", "hi"), "y"), (DoublePredicate) x -> -0.5 < x && x < 0.5),
        Arguments.of("Clip(-0.5, 0.5) opset 10 attributes", TinyModel.opset(10).input("x", 1, 8)
            .inputValues(AT_KINKS).node("Clip", in("x"), "y", attr("min", -0.5f),
                attr("max", 0.5f)), (DoublePredicate) x -> -0.5 < x && x < 0.5),
        Arguments.of("Clip min only", TinyModel.opset(13).input("x", 1, 8).inputValues(AT_KINKS)
            .scalar("lo", -0.5f).node("Clip", in("x", "lo"), "y"),
            (DoublePredicate) x -> x > -0.5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rectifiers")
  void gradientPassesStrictlyInsideTheBounds(String label, TinyModel model,
      DoublePredicate passes) {
    try (GradientCheck.Run run = GradientCheck.on(model).open()) {
      float[] seed = run.randomSeed(new Random(5));
      float[] expected = new float[seed.length];
      for (int i = 0; i < seed.length; i++) {
        expected[i] = passes.test(AT_KINKS[i]) ? seed[i] : 0f;
      }
      // Exact: the mask multiplies the seed by 0 or 1; delta 0 lets -0 (negative seed * 0) equal 0.
      assertArrayEquals(expected, run.gradients(seed).get("x"), 0f, label);
    }
  }

  static Stream<Arguments> convActivations() {
    return Stream.of(
        Arguments.of(BackwardMode.GRADIENT, "Relu"), Arguments.of(BackwardMode.GRADIENT, "Clip"),
        Arguments.of(BackwardMode.GUIDED, "Relu"), Arguments.of(BackwardMode.GUIDED, "Clip"));
  }

  /** Conv -> c -> activation -> a -> Conv: no backward node reads c. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("convActivations")
  void backwardLeavesTheConvOutputToTheActivation(BackwardMode mode, String activation) {
    TinyModel model = TinyModel.opset(13).input("x", 1, 2, 5, 5).random("w1", 3, 2, 3, 3)
        .random("w2", 2, 3, 1, 1).scalar("lo", 0f).scalar("hi", 6f)
        .node("Conv", in("x", "w1"), "c", attr("pads", new long[] {1, 1, 1, 1}));
    if (activation.equals("Relu")) {
      model.node("Relu", in("c"), "a");
    } else {
      model.node("Clip", in("c", "lo", "hi"), "a");
    }
    model.node("Conv", in("a", "w2"), "y");
    try (GradientCheck.Run run = GradientCheck.on(model).mode(mode).open()) {
      for (NodeProto n : run.gradientModel().getGraph().getNodeList()) {
        if (n.getOutput(0).startsWith(GradientEmitter.PREFIX)) {
          assertFalse(n.getInputList().contains("c"), n.getOpType() + " reads the Conv output");
        }
      }
    }
  }
}

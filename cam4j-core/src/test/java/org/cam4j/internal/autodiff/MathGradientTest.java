package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Erf, Gelu, Pow, Sqrt, Reciprocal, PRelu and LayerNorm written out of them, against finite
 * differences. Inputs lie in [-2, 2] (or are made positive where the op needs it); PRelu's
 * inputs stay at least 0.05 from its kink at 0 (the FD step is 1e-2).
 */
class MathGradientTest {
  static Stream<Arguments> ops() {
    return Stream.of(
        Arguments.of("Erf", wide(TinyModel.opset(13)).node("Erf", in("x"), "y")),
        Arguments.of("Gelu as exported: x * (1 + erf(x / sqrt 2)) / 2", wide(TinyModel.opset(13))
            .scalar("root2", 1.4142135f).scalar("one", 1f).scalar("half", 0.5f)
            .node("Div", in("x", "root2"), "d")
            .node("Erf", in("d"), "e")
            .node("Add", in("e", "one"), "a")
            .node("Mul", in("x", "a"), "m")
            .node("Mul", in("m", "half"), "y")),
        Arguments.of("Gelu opset 20 approximate none", wide(TinyModel.opset(20))
            .node("Gelu", in("x"), "y")),
        Arguments.of("Gelu opset 20 approximate tanh", wide(TinyModel.opset(20))
            .node("Gelu", in("x"), "y", attr("approximate", "tanh"))),
        Arguments.of("Pow constant float exponent 2", wide(TinyModel.opset(13))
            .scalar("two", 2f).node("Pow", in("x", "two"), "y")),
        Arguments.of("Pow constant int64 exponent 3", wide(TinyModel.opset(15))
            .ints("three", new long[0], 3).node("Pow", in("x", "three"), "y")),
        Arguments.of("Pow per-channel exponent [C,1,1] on positive base", positive()
            .weights("p", new long[] {3, 1, 1}, new float[] {0.5f, 1.5f, -1f})
            .node("Pow", in("x", "p"), "y")),
        Arguments.of("Pow variable base and exponent x^sigmoid(x)", positive()
            .node("Sigmoid", in("x"), "s")
            .node("Pow", in("x", "s"), "y")),
        Arguments.of("Pow constant base 2^x", wide(TinyModel.opset(13))
            .scalar("two", 2f).node("Pow", in("two", "x"), "y")),
        Arguments.of("Sqrt", positive().node("Sqrt", in("x"), "y")),
        Arguments.of("Reciprocal", positive().node("Reciprocal", in("x"), "y")),
        Arguments.of("Div variable numerator and denominator", positive()
            .node("Tanh", in("x"), "t")
            .node("Div", in("t", "x"), "y")),
        Arguments.of("PRelu per-channel slope", kinkFree(TinyModel.opset(13))
            .weights("slope", new long[] {3, 1, 1}, new float[] {0.25f, -0.5f, 2f})
            .node("PRelu", in("x", "slope"), "y")),
        Arguments.of("PRelu scalar slope opset 9", kinkFree(TinyModel.opset(9))
            .weights("slope", new long[] {1}, new float[] {0.1f})
            .node("PRelu", in("x", "slope"), "y")),
        Arguments.of("LayerNorm decomposed, opset 13 axes attribute", decomposedLayerNorm(
            TinyModel.opset(13), false)),
        Arguments.of("LayerNorm decomposed, opset 18 axes input", decomposedLayerNorm(
            TinyModel.opset(18), true)));
  }

  private static TinyModel wide(TinyModel model) {
    model.input("x", 2, 3, 2, 4);
    return model.inputValues(model.uniform(model.inputSize(), -2, 2));
  }

  private static TinyModel positive() {
    TinyModel model = TinyModel.opset(13).input("x", 2, 3, 2, 4);
    return model.inputValues(model.uniform(model.inputSize(), 0.5, 2));
  }

  private static TinyModel kinkFree(TinyModel model) {
    model.input("x", 2, 3, 2, 4);
    float[] v = model.uniform(model.inputSize(), -1, 1);
    for (int i = 0; i < v.length; i++) {
      if (Math.abs(v[i]) < 0.05) {
        v[i] = v[i] < 0 ? -0.05f : 0.05f;
      }
    }
    return model.inputValues(v);
  }

  /** (x - mean) / sqrt(mean((x - mean)^2) + eps) * w + b over the last axis, as torch exports. */
  private static TinyModel decomposedLayerNorm(TinyModel model, boolean axesInput) {
    model.input("x", 2, 5, 6).random("w", 6).random("b", 6).scalar("two", 2f)
        .scalar("eps", 1e-5f).ints("axes", -1);
    if (axesInput) {
      model.node("ReduceMean", in("x", "axes"), "mean")
          .node("Sub", in("x", "mean"), "centred")
          .node("Pow", in("centred", "two"), "square")
          .node("ReduceMean", in("square", "axes"), "var");
    } else {
      model.node("ReduceMean", in("x"), "mean", attr("axes", new long[] {-1}))
          .node("Sub", in("x", "mean"), "centred")
          .node("Pow", in("centred", "two"), "square")
          .node("ReduceMean", in("square"), "var", attr("axes", new long[] {-1}));
    }
    return model.node("Add", in("var", "eps"), "shifted")
        .node("Sqrt", in("shifted"), "std")
        .node("Div", in("centred", "std"), "normed")
        .node("Mul", in("normed", "w"), "scaled")
        .node("Add", in("scaled", "b"), "y");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).elements(48).verify(label);
  }
}

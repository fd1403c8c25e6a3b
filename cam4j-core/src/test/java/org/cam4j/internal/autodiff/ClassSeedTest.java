package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cam4j.internal.onnx.NodeProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLASSES seed form: one weighted class per row, whose classifier heads gather their class's
 * weights ({@link ClassRows}) instead of multiplying by all of them.
 */
class ClassSeedTest {
  static Stream<Arguments> heads() {
    return Stream.of(
        Arguments.of("1x1 conv head, reshaped scores", TinyModel.opset(13)
            .input("x", 2, 5, 1, 1).random("w", 4, 5, 1, 1).random("b", 4)
            .ints("shape", 2, 4)
            .node("Conv", in("x", "w", "b"), "y").node("Reshape", in("y", "shape"), "s")),
        Arguments.of("Gemm transB=1", TinyModel.opset(13).input("x", 2, 5).random("w", 4, 5)
            .random("b", 4).node("Gemm", in("x", "w", "b"), "s", attr("transB", 1L))),
        Arguments.of("Gemm transB=0 alpha 0.5", TinyModel.opset(13).input("x", 2, 5)
            .random("w", 5, 4).random("b", 4)
            .node("Gemm", in("x", "w", "b"), "s", attr("alpha", 0.5f))),
        Arguments.of("MatMul + Add", TinyModel.opset(13).input("x", 2, 5).random("w", 5, 4)
            .random("b", 4).node("MatMul", in("x", "w"), "y").node("Add", in("y", "b"), "s")),
        Arguments.of("conv, ReLU, global pool, 1x1 conv head", TinyModel.opset(13)
            .input("x", 2, 3, 5, 5).random("c", 6, 3, 3, 3).random("w", 4, 6, 1, 1)
            .ints("shape", 2, 4)
            .node("Conv", in("x", "c"), "f", attr("pads", new long[] {1, 1, 1, 1}))
            .node("Relu", in("f"), "r").node("GlobalAveragePool", in("r"), "p")
            .node("Conv", in("p", "w"), "y").node("Reshape", in("y", "shape"), "s")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("heads")
  void matchesFiniteDifferences(String label, TinyModel model) {
    GradientCheck.on(model).classSeed().verify("class seed, " + label);
  }

  /** Each gathered output is the MatMul's one nonzero product: the same floats, bit for bit. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("heads")
  void givesTheWeightsFormsFloats(String label, TinyModel model) {
    try (GradientCheck.Run weights = GradientCheck.on(model).open();
        GradientCheck.Run classes = GradientCheck.on(model).classSeed().open()) {
      float[] seed = classes.randomSeed(new Random(3));
      assertArrayEquals(weights.gradients(seed).get(model.inputName()),
          classes.gradients(seed).get(model.inputName()), label);
    }
  }

  /** CLASS -1 takes each row's top-1 class, as the explicit class would. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("heads")
  void minusOneExplainsTheTopClass(String label, TinyModel model) {
    try (GradientCheck.Run run = GradientCheck.on(model).classSeed().open()) {
      float[] rowWeights = {1f, -2.5f};
      Map<String, float[]> top = run.topClassGradients(rowWeights);
      float[] scores = run.scores();
      int k = scores.length / 2;
      float[] seed = new float[scores.length];
      for (int r = 0; r < 2; r++) {
        int best = r * k;
        for (int c = r * k; c < (r + 1) * k; c++) {
          best = scores[c] > scores[best] ? c : best;
        }
        seed[best] = rowWeights[r];
      }
      assertArrayEquals(run.gradients(seed).get(model.inputName()),
          top.get(model.inputName()), label);
    }
  }

  /** The head's backward reads rows of its weights: a Gather, no MatMul or Gemm. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("heads")
  void headGathersItsClassRows(String label, TinyModel model) {
    try (GradientCheck.Run classes = GradientCheck.on(model).classSeed().open();
        GradientCheck.Run weights = GradientCheck.on(model).open()) {
      Set<String> classOps = backwardOps(classes);
      assertTrue(classOps.contains("Gather"), label + ": " + classOps);
      assertFalse(classOps.contains("MatMul") || classOps.contains("Gemm"), label + ": "
          + classOps);
      Set<String> weightOps = backwardOps(weights);
      assertTrue(weightOps.contains("MatMul") || weightOps.contains("Gemm"), label + ": "
          + weightOps);
      assertEquals(List.of(GradientGraphBuilder.CLASS, GradientGraphBuilder.TOP),
          classes.gradientModel().getGraph().getInputList().stream()
              .map(v -> v.getName()).filter(n -> n.startsWith("cam4j/")).toList());
    }
  }

  private static Set<String> backwardOps(GradientCheck.Run run) {
    return run.gradientModel().getGraph().getNodeList().stream()
        .filter(n -> n.getName().startsWith(GradientEmitter.PREFIX))
        .map(NodeProto::getOpType).collect(Collectors.toSet());
  }
}

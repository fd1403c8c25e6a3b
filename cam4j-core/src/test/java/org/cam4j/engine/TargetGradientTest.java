package org.cam4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cam4j.FiniteDifferences;
import org.cam4j.TinyCnn;
import org.cam4j.explain.Target;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class TargetGradientTest {
  /** As the input-gradient check: a tanh network, step 1e-2, error bound 1e-3. */
  private static final double STEP = 1e-2;
  private static final double TOLERANCE = 1e-3;
  private static final List<String> LAYERS = List.of("x", "a1");

  @Test
  void softmaxTargetMatchesFiniteDifferencesOfTheProbability() {
    TinyModel tiny = TinyCnn.smooth();
    FloatTensor x = TinyCnn.input(tiny, 2, 4);
    try (CamModel m = TinyCnn.load(tiny); CamModel tail = tailFrom(tiny, "a1")) {
      GradientResult r = m.forwardBackward(x, LAYERS,
          List.of(Target.index(1).probability(), Target.index(4).probability()));
      FiniteDifferences.assertRelativeError(
          FiniteDifferences.gradient(m, x, FiniteDifferences.probabilities(1, 4), STEP),
          r.gradient("x"), TOLERANCE, "d p_c / d input");
      FloatTensor a1 = r.activation("a1");
      FiniteDifferences.assertRelativeError(
          FiniteDifferences.gradient(tail, a1, FiniteDifferences.probabilities(1, 4), STEP),
          r.gradient("a1"), TOLERANCE, "d p_c / d layer a1");
      assertArrayEquals(new int[] {1, 4}, r.explainedClasses());
    }
  }

  @Test
  void negativeTargetGivesExactlyMinusTheGradient() {
    TinyModel tiny = TinyCnn.relu();
    FloatTensor x = TinyCnn.input(tiny, 2, 5);
    try (CamModel m = TinyCnn.load(tiny)) {
      GradientResult plus = m.forwardBackward(x, LAYERS, Target.index(3));
      GradientResult minus = m.forwardBackward(x, LAYERS, Target.index(3).negated());
      assertNegated(plus, minus);
      assertArrayEquals(new int[] {3, 3}, minus.explainedClasses());
      GradientResult top = m.forwardBackward(x, LAYERS, Target.top());
      GradientResult notTop = m.forwardBackward(x, LAYERS, Target.top().negated());
      assertNegated(top, notTop);
      assertArrayEquals(top.explainedClasses(), notTop.explainedClasses());
    }
  }

  /** Linear in the weights: float32 rounding of the sum of two gradients, 1e-6 relative. */
  @Test
  void weightedTargetIsThatCombinationOfClassGradients() {
    TinyModel tiny = TinyCnn.relu();
    FloatTensor x = TinyCnn.input(tiny, 1, 6);
    try (CamModel m = TinyCnn.load(tiny)) {
      GradientResult w = m.forwardBackward(x, LAYERS, Target.weighted(0.5f, 0f, -2f));
      GradientResult g0 = m.forwardBackward(x, LAYERS, Target.index(0));
      GradientResult g2 = m.forwardBackward(x, LAYERS, Target.index(2));
      assertEquals(-1, w.explainedClasses()[0]);
      for (String l : LAYERS) {
        for (int i = 0; i < w.gradient(l).size(); i++) {
          float expected = 0.5f * g0.gradient(l).get(i) - 2f * g2.gradient(l).get(i);
          assertEquals(expected, w.gradient(l).get(i), 1e-6f * (1 + Math.abs(expected)));
        }
      }
    }
  }

  /** Rows of a batch are independent: each equals its own single-image run to 1e-6. */
  @Test
  void eachImageOfABatchHasItsOwnTarget() {
    TinyModel tiny = TinyCnn.smooth();
    FloatTensor x = TinyCnn.input(tiny, 3, 7);
    List<Target> targets = List.of(Target.top(), Target.index(2).probability(), Target.index(4).negated());
    try (CamModel m = TinyCnn.load(tiny)) {
      GradientResult batch = m.forwardBackward(x, LAYERS, targets);
      for (int r = 0; r < 3; r++) {
        FloatTensor one = FloatTensor.stack(List.of(x.row(r)));
        GradientResult single = m.forwardBackward(one, LAYERS, targets.get(r));
        for (String l : LAYERS) {
          FloatTensor expected = single.gradient(l).row(0);
          FloatTensor actual = batch.gradient(l).row(r);
          for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-6f * (1 + Math.abs(expected.get(i))),
                "row " + r + " " + l + " element " + i);
          }
        }
      }
    }
  }

  private static void assertNegated(GradientResult plus, GradientResult minus) {
    for (String l : LAYERS) {
      FloatTensor a = plus.gradient(l);
      FloatTensor b = minus.gradient(l);
      boolean nonZero = false;
      for (int i = 0; i < a.size(); i++) {
        assertTrue(-a.get(i) == b.get(i), l + " element " + i + ": " + a.get(i) + " vs "
            + b.get(i));
        nonZero |= a.get(i) != 0;
      }
      assertTrue(nonZero, "the gradient at " + l + " is all zeros");
    }
  }

  /** The part of the network after {@code layer}, fed with that layer's values. */
  private static CamModel tailFrom(TinyModel tiny, String layer) {
    ModelProto proto = tiny.build();
    GraphProto.Builder g = proto.getGraph().toBuilder().clearNode().clearInitializer();
    boolean after = false;
    Set<String> used = new HashSet<>();
    for (NodeProto node : proto.getGraph().getNodeList()) {
      if (after) {
        g.addNode(node);
        used.addAll(node.getInputList());
      }
      after |= node.getOutputList().contains(layer);
    }
    proto.getGraph().getInitializerList().stream().filter(t -> used.contains(t.getName()))
        .forEach(g::addInitializer);
    g.setInput(0, Onnx.floatValueInfo(layer, new long[] {-1, 3, TinyCnn.SIZE, TinyCnn.SIZE}));
    return CamModel.of(proto.toBuilder().setGraph(g).build().toByteArray(),
        EngineOptions.builder().intraOpThreads(1).build());
  }
}

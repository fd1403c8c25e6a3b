package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.cam4j.engine.BackwardMode;
import org.cam4j.internal.graph.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guided backward graph against the guided rule computed independently in Java on a small
 * perceptron: x -> Flatten -> Gemm -> h1 -> Relu -> Gemm -> h2 -> Clip(0, 6) -> Gemm -> y.
 */
class GuidedBackpropTest {
  private static final int BATCH = 2;
  private static final int IN = 6;
  private static final int HIDDEN1 = 5;
  private static final int HIDDEN2 = 4;
  private static final int CLASSES = 3;

  /** Opset 10 gives Clip its bounds as attributes, later opsets as inputs. */
  static TinyModel perceptron(int opset, float clipMin) {
    TinyModel m = TinyModel.opset(opset).input("x", BATCH, 1, 2, 3);
    m.weights("w1", new long[] {HIDDEN1, IN}, m.uniform(HIDDEN1 * IN, -1, 1))
        .weights("b1", new long[] {HIDDEN1}, m.uniform(HIDDEN1, -0.5, 0.5))
        .weights("w2", new long[] {HIDDEN2, HIDDEN1}, m.uniform(HIDDEN2 * HIDDEN1, -4, 4))
        .weights("b2", new long[] {HIDDEN2}, m.uniform(HIDDEN2, -0.5, 0.5))
        .weights("w3", new long[] {CLASSES, HIDDEN2}, m.uniform(CLASSES * HIDDEN2, -1, 1))
        .weights("b3", new long[] {CLASSES}, new float[CLASSES])
        .node("Flatten", in("x"), "f")
        .node("Gemm", in("f", "w1", "b1"), "h1", attr("transB", 1L))
        .node("Relu", in("h1"), "r1")
        .node("Gemm", in("r1", "w2", "b2"), "h2", attr("transB", 1L));
    if (opset < 11) {
      m.node("Clip", in("h2"), "r2", attr("min", clipMin), attr("max", 6f));
    } else {
      m.scalar("lo", clipMin).scalar("hi", 6f).node("Clip", in("h2", "lo", "hi"), "r2");
    }
    return m.node("Gemm", in("r2", "w3", "b3"), "y", attr("transB", 1L));
  }

  @ParameterizedTest(name = "opset {0}")
  @ValueSource(ints = {10, 13})
  void reluAndRelu6PassOnlyPositiveGradientsThroughPositiveInputs(int opset) {
    TinyModel model = perceptron(opset, 0f);
    try (GradientCheck.Run run = GradientCheck.on(model).targets("x", "r1")
        .mode(BackwardMode.GUIDED).open()) {
      float[] seed = run.randomSeed(new Random(3));
      Map<String, float[]> ad = run.gradients(seed);
      Reference ref = new Reference(model, seed);
      assertClose(ref.gradR1, ad.get("r1"), "d/dr1");
      assertClose(ref.gradX, ad.get("x"), "d/dx");
      assertTrue(ref.blockedNegativeGradients > 0, "no positive input met a negative gradient");
    }
  }

  /** Clip(-1, 6) is no rectifier: the guided graph keeps its true gradient (Relu still guided). */
  @Test
  void clipWithANonZeroLowerBoundKeepsTheTrueGradient() {
    TinyModel model = perceptron(13, -1f);
    try (GradientCheck.Run guided = GradientCheck.on(model).targets("r1")
            .mode(BackwardMode.GUIDED).open();
        GradientCheck.Run plain = GradientCheck.on(model).targets("r1").open()) {
      float[] seed = guided.randomSeed(new Random(3));
      assertArrayEquals(plain.gradients(seed).get("r1"), guided.gradients(seed).get("r1"));
    }
  }

  /** Forward in double and the guided backward, by hand. */
  private static final class Reference {
    final double[] gradX = new double[BATCH * IN];
    final double[] gradR1 = new double[BATCH * HIDDEN1];
    int blockedNegativeGradients;

    Reference(TinyModel model, float[] seed) {
      float[] x = model.inputValues();
      float[] w1 = model.initializer("w1");
      float[] b1 = model.initializer("b1");
      float[] w2 = model.initializer("w2");
      float[] b2 = model.initializer("b2");
      float[] w3 = model.initializer("w3");
      int[] regions = new int[3];
      for (int r = 0; r < BATCH; r++) {
        double[] h1 = affine(w1, b1, x, r * IN, HIDDEN1, IN);
        double[] r1 = new double[HIDDEN1];
        for (int i = 0; i < HIDDEN1; i++) {
          r1[i] = Math.max(h1[i], 0);
        }
        double[] h2 = affine(w2, b2, toFloats(r1), 0, HIDDEN2, HIDDEN1);
        double[] gradR2 = new double[HIDDEN2];
        for (int k = 0; k < CLASSES; k++) {
          for (int j = 0; j < HIDDEN2; j++) {
            gradR2[j] += seed[r * CLASSES + k] * w3[k * HIDDEN2 + j];
          }
        }
        double[] gradH2 = new double[HIDDEN2];
        for (int j = 0; j < HIDDEN2; j++) {
          awayFromKinks(h2[j], 0, 6);
          regions[h2[j] <= 0 ? 0 : h2[j] < 6 ? 1 : 2]++;
          gradH2[j] = guided(h2[j] > 0 && h2[j] < 6, gradR2[j]);
        }
        double[] gradH1 = new double[HIDDEN1];
        for (int i = 0; i < HIDDEN1; i++) {
          for (int j = 0; j < HIDDEN2; j++) {
            gradR1[r * HIDDEN1 + i] += gradH2[j] * w2[j * HIDDEN1 + i];
          }
          awayFromKinks(h1[i], 0, 0);
          gradH1[i] = guided(h1[i] > 0, gradR1[r * HIDDEN1 + i]);
        }
        for (int p = 0; p < IN; p++) {
          for (int i = 0; i < HIDDEN1; i++) {
            gradX[r * IN + p] += gradH1[i] * w1[i * IN + p];
          }
        }
      }
      for (int region : regions) {
        assertTrue(region > 0, "Clip inputs must fall below 0, inside (0, 6) and above 6");
      }
    }

    private double guided(boolean open, double g) {
      if (open && g < 0) {
        blockedNegativeGradients++;
      }
      return open ? Math.max(g, 0) : 0;
    }

    private static void awayFromKinks(double v, double lo, double hi) {
      assertTrue(Math.abs(v - lo) > 1e-3 && Math.abs(v - hi) > 1e-3,
          "an activation sits at a kink: " + v);
    }

    private static double[] affine(float[] w, float[] b, float[] in, int offset, int out,
        int width) {
      double[] h = new double[out];
      for (int i = 0; i < out; i++) {
        h[i] = b[i];
        for (int p = 0; p < width; p++) {
          h[i] += (double) w[i * width + p] * in[offset + p];
        }
      }
      return h;
    }

    private static float[] toFloats(double[] v) {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      return f;
    }
  }

  /** ONNX Runtime runs in float32: 1e-5 relative to the largest gradient covers its rounding. */
  private static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length);
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    assertTrue(scale > 0, what + " is all zeros");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * scale, what + " element " + i);
    }
  }
}

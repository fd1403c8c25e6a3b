package org.cam4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;

/**
 * Central finite differences of a function of a model's class scores with respect to every
 * element of its input, each step divided by the step actually taken in float32, and the
 * comparison measure max|g - fd| / max|fd| shared by the tests that use them.
 */
public final class FiniteDifferences {
  private FiniteDifferences() {
  }

  /** d objective(scores(x)) / dx, element by element. */
  public static double[] gradient(CamModel model, FloatTensor x,
      ToDoubleFunction<FloatTensor> objective, double step) {
    float[] base = x.toArray();
    double[] g = new double[base.length];
    for (int i = 0; i < base.length; i++) {
      float[] moved = base.clone();
      moved[i] = (float) (base[i] + step);
      double up = objective.applyAsDouble(model.scores(FloatTensor.of(x.shape(), moved)));
      double upStep = (double) moved[i] - base[i];
      moved[i] = (float) (base[i] - step);
      double down = objective.applyAsDouble(model.scores(FloatTensor.of(x.shape(), moved)));
      double downStep = (double) base[i] - moved[i];
      g[i] = (up - down) / (upStep + downStep);
    }
    return g;
  }

  /** Sum over rows of score[r, classes[r]]. */
  public static ToDoubleFunction<FloatTensor> logits(int... classes) {
    return s -> {
      int k = s.size() / classes.length;
      double total = 0;
      for (int r = 0; r < classes.length; r++) {
        total += s.get(r * k + classes[r]);
      }
      return total;
    };
  }

  /** Sum over rows of softmax(score[r])[classes[r]], in double. */
  public static ToDoubleFunction<FloatTensor> probabilities(int... classes) {
    return s -> {
      int k = s.size() / classes.length;
      double total = 0;
      for (int r = 0; r < classes.length; r++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          max = Math.max(max, s.get(r * k + j));
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          sum += Math.exp(s.get(r * k + j) - max);
        }
        total += Math.exp(s.get(r * k + classes[r]) - max) / sum;
      }
      return total;
    };
  }

  /** Asserts max|actual - expected| / max|expected| &lt;= tolerance and returns that error. */
  public static double assertRelativeError(double[] expected, FloatTensor actual,
      double tolerance, String label) {
    assertEquals(expected.length, actual.size(), label + ": sizes differ");
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < expected.length; i++) {
      diff = Math.max(diff, Math.abs(expected[i] - actual.get(i)));
      scale = Math.max(scale, Math.abs(expected[i]));
    }
    assertTrue(scale > 0, label + ": the expected values are all zero");
    double error = diff / scale;
    System.out.printf(Locale.ROOT, "[fd] %s | rel err %.2e%n", label, error);
    assertTrue(error <= tolerance, label + ": relative error " + error + " > " + tolerance);
    return error;
  }
}

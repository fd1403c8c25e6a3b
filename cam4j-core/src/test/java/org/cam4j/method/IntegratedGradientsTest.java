package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cam4j.Targets;
import org.cam4j.TinyCnn;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.Target;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/** Completeness: the attributions of an image add up to score(x) - score(baseline). */
class IntegratedGradientsTest {
  private static final double TOLERANCE = 0.01;

  /**
   * On the tanh network the integrand is smooth, so the trapezoid error falls as 1/steps^2:
   * 32 steps are well within 1%, and doubling them divides the error by about 4 (a rectangle
   * rule would only halve it).
   */
  @Test
  void attributionsAddUpToTheScoreDifferenceFromZeros() {
    TinyModel tiny = TinyCnn.smooth();
    FloatTensor x = TinyCnn.input(tiny, 2, 31);
    int[] classes = {1, 4};
    try (CamModel m = TinyCnn.load(tiny)) {
      FloatTensor zeros = FloatTensor.of(x.shape(), new float[x.size()]);
      List<Target> seed = Targets.classes(classes);
      double[] coarse = completenessErrors(m, x, IntegratedGradients.builder().steps(32),
          seed, zeros, classes, "tanh, zeros, 32 steps");
      double[] fine = completenessErrors(m, x, IntegratedGradients.builder().steps(64),
          seed, zeros, classes, "tanh, zeros, 64 steps");
      for (int i = 0; i < classes.length; i++) {
        assertTrue(coarse[i] <= TOLERANCE, "row " + i + ": completeness off by " + coarse[i]);
        assertTrue(fine[i] < coarse[i] / 3, "row " + i + ": the error is not second order");
      }
    }
  }

  /**
   * On the ReLU network the gradient jumps where units switch along the path and the error
   * falls only as 1/steps, irregularly: 512 steps for 1%. A top-class row explains the image's
   * class at every point of the path.
   */
  @Test
  void attributionsAddUpFromAGivenBaselineForTheTopClass() {
    TinyModel tiny = TinyCnn.relu();
    FloatTensor x = TinyCnn.input(tiny, 1, 32);
    float[] grey = new float[x.size()];
    Arrays.fill(grey, -0.5f);
    FloatTensor baseline = FloatTensor.of(x.shape(), grey);
    try (CamModel m = TinyCnn.load(tiny)) {
      FloatTensor scores = m.scores(x);
      int top = 0;
      for (int k = 1; k < TinyCnn.CLASSES; k++) {
        top = scores.get(k) > scores.get(top) ? k : top;
      }
      double error = completenessErrors(m, x,
          IntegratedGradients.builder().steps(512).baseline(baseline), Targets.top(1),
          baseline, new int[] {top}, "relu, baseline -0.5, top class, 512 steps")[0];
      assertTrue(error <= TOLERANCE, "completeness off by " + error);
    }
  }

  /**
   * |sum of the map - (score(x) - score(b))| / |score(x) - score(b)| per row, where row i
   * explains classes[i] and {@code baselines} holds the baseline of each row.
   */
  private static double[] completenessErrors(CamModel m, FloatTensor x,
      IntegratedGradients.Builder method, List<Target> seed, FloatTensor baselines, int[] classes,
      String label) {
    FloatTensor map = method.batchSize(32).build()
        .rawMaps(CamContext.of(m, x, List.of("a2"), seed), "a2");
    FloatTensor atX = m.scores(x);
    FloatTensor atBaseline = m.scores(baselines);
    int k = TinyCnn.CLASSES;
    int area = map.size() / classes.length;
    double[] errors = new double[classes.length];
    for (int i = 0; i < classes.length; i++) {
      double total = 0;
      for (int p = 0; p < area; p++) {
        total += map.get(i * area + p);
      }
      double difference = atX.get(i * k + classes[i]) - atBaseline.get(i * k + classes[i]);
      errors[i] = Math.abs(total - difference) / Math.abs(difference);
      System.out.printf(Locale.ROOT, "[ig] %s row %d | sum %.6f vs %.6f | rel err %.2e%n",
          label, i, total, difference, errors[i]);
    }
    return errors;
  }
}

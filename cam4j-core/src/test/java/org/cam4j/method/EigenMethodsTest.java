package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/**
 * EigenCAM, EigenGradCAM and eigen-smooth against hand-checkable cases and an independent Jacobi
 * eigen solve. Float results are compared at 1e-5 relative: the projection is computed in double
 * and rounded to float once (~6e-8), the slack covers the float32 inputs' sums.
 */
class EigenMethodsTest {
  @Test
  void largestEigenpairMatchesJacobiWhateverTheSize() {
    Random rnd = new Random(7);
    for (int n : new int[] {1, 2, 3, 8, 41}) {
      double[][] a = randomSymmetric(rnd, n);
      SymmetricEigen.Eigenpair top = SymmetricEigen.largest(a);
      JacobiEigen oracle = new JacobiEigen(a);
      int j = oracle.largest();
      assertEquals(oracle.values[j], top.value(), 1e-10 * Math.abs(oracle.values[j]), "n=" + n);
      assertVectorUpToSign(oracle.vector(j), top.vector(), 1e-8);
    }
  }

  @Test
  void repeatedLargestEigenvalueStillGivesAnEigenvector() {
    double[][] a = {{2, 0, 0}, {0, 2, 0}, {0, 0, 1}};
    SymmetricEigen.Eigenpair top = SymmetricEigen.largest(a);
    assertEquals(2, top.value(), 1e-15);
    assertEquals(0, top.vector()[2], 1e-15);
    assertEquals(1, Math.hypot(top.vector()[0], top.vector()[1]), 1e-15);
  }

  @Test
  void rankOneActivationsProjectOnTheirSpatialPattern() {
    // A_c = u_c * m + b_c: centring removes b, X = (m - mean m) u^T, so X v1 = +-|u| (m - 2.5);
    // |u| = 5 and sum(u) > 0 picks the + sign: the map follows the channel sum (sum u) * m.
    float[] m = {1, 2, 3, 4};
    assertArrayEquals(new float[] {-7.5f, -2.5f, 2.5f, 7.5f},
        eigenCam(rankOne(new float[] {3, 4}, new float[] {10, -1}, m)), 1e-5f);
    // more channels than pixels: the pixel Gram matrix path
    assertArrayEquals(new float[] {-7.5f, -2.5f, 2.5f, 7.5f},
        eigenCam(rankOne(new float[] {1, 2, 2, 4, 0}, new float[] {0, 1, 2, 3, 4}, m)), 1e-5f);
    // channels that sum negatively: the channel sum decreases with m, so the map does too
    assertArrayEquals(new float[] {7.5f, 2.5f, -2.5f, -7.5f},
        eigenCam(rankOne(new float[] {-3, -4}, new float[] {0, 0}, m)), 1e-5f);
  }

  @Test
  void constantActivationsGiveAZeroMap() {
    assertArrayEquals(new float[4],
        eigenCam(rankOne(new float[] {1, 2, 3}, new float[] {1, 1, 1}, new float[] {0, 0, 0, 0})),
        0f);
  }

  @Test
  void eigenGradCamIsTheFirstComponentOfGradientsTimesActivations() {
    Random rnd = new Random(3);
    for (int[] dims : new int[][] {{2, 6, 3, 4}, {1, 20, 2, 3}}) {
      FloatTensor a = randomTensor(rnd, dims);
      FloatTensor g = randomTensor(rnd, dims);
      FloatTensor ours = Methods.byName("eigengradcam").rawMaps(a, g);
      FloatTensor hires = new HiResCam().rawMaps(a, g);
      float[] ga = a.toArray();
      float[] gv = g.toArray();
      for (int i = 0; i < ga.length; i++) {
        ga[i] *= gv[i];
      }
      assertProjection(FeatureMaps.of(FloatTensor.of(a.shape(), ga)), ours, hires);
    }
  }

  @Test
  void eigenSmoothProjectsTheWeightedActivationsOfAnyMethod() {
    Random rnd = new Random(5);
    int[] dims = {2, 7, 4, 4};
    FloatTensor a = randomTensor(rnd, dims);
    FloatTensor g = randomTensor(rnd, dims);
    CamMethod smooth = new GradCam().withEigenSmooth();
    assertEquals("gradcam-eigensmooth", smooth.name());
    FloatTensor plain = new GradCam().rawMaps(a, g);
    FeatureMaps fa = FeatureMaps.of(a);
    FeatureMaps weighted = fa.weighted(new GradCam().channelWeights(fa, FeatureMaps.of(g)));
    assertProjection(weighted, smooth.rawMaps(a, g), plain);
    // element-wise methods smooth their element-wise terms
    FloatTensor layer = new LayerCam().withEigenSmooth().rawMaps(a, g);
    assertProjection(new LayerCam().channelTerms(fa, FeatureMaps.of(g)), layer,
        new LayerCam().rawMaps(a, g));
  }

  @Test
  void eigenCamNeedsNoGradients() {
    assertTrue(!Methods.byName("eigencam").needsGradients());
    assertTrue(Methods.byName("eigengradcam").needsGradients());
  }

  /**
   * Checks that each image of {@code ours} is X v1 for the centred terms X, with v1 from the
   * Jacobi oracle on X^T X, signed to correlate positively with {@code plain} (the channel sum).
   */
  private static void assertProjection(FeatureMaps terms, FloatTensor ours, FloatTensor plain) {
    int area = terms.area();
    for (int i = 0; i < terms.n(); i++) {
      double[][] x = new double[area][terms.c()];
      for (int c = 0; c < terms.c(); c++) {
        double mean = terms.mean(i, c);
        for (int p = 0; p < area; p++) {
          x[p][c] = terms.data()[terms.offset(i, c) + p] - mean;
        }
      }
      double[][] gram = new double[terms.c()][terms.c()];
      for (int c = 0; c < terms.c(); c++) {
        for (int d = 0; d < terms.c(); d++) {
          for (int p = 0; p < area; p++) {
            gram[c][d] += x[p][c] * x[p][d];
          }
        }
      }
      JacobiEigen oracle = new JacobiEigen(gram);
      double[] v = oracle.vector(oracle.largest());
      double[] expected = new double[area];
      double dot = 0;
      double scale = 0;
      for (int p = 0; p < area; p++) {
        for (int c = 0; c < terms.c(); c++) {
          expected[p] += x[p][c] * v[c];
        }
        dot += expected[p] * plain.get(i * area + p);
        scale = Math.max(scale, Math.abs(expected[p]));
      }
      double sign = Math.signum(dot);
      for (int p = 0; p < area; p++) {
        assertEquals(sign * expected[p], ours.get(i * area + p), 1e-5 * scale,
            "image " + i + " pixel " + p);
      }
    }
  }

  private static float[] eigenCam(FloatTensor a) {
    return new EigenCam().rawMaps(a, null).toArray();
  }

  /** A [1, C, 2, 2] tensor with channel c = u[c] * m + b[c]. */
  private static FloatTensor rankOne(float[] u, float[] b, float[] m) {
    float[] data = new float[u.length * m.length];
    for (int c = 0; c < u.length; c++) {
      for (int p = 0; p < m.length; p++) {
        data[c * m.length + p] = u[c] * m[p] + b[c];
      }
    }
    return FloatTensor.of(new long[] {1, u.length, 2, 2}, data);
  }

  private static FloatTensor randomTensor(Random rnd, int[] dims) {
    int n = dims[0] * dims[1] * dims[2] * dims[3];
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    return FloatTensor.of(new long[] {dims[0], dims[1], dims[2], dims[3]}, data);
  }

  private static double[][] randomSymmetric(Random rnd, int n) {
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        a[i][j] = rnd.nextGaussian();
        a[j][i] = a[i][j];
      }
    }
    return a;
  }

  private static void assertVectorUpToSign(double[] expected, double[] actual, double tol) {
    double dot = 0;
    for (int i = 0; i < expected.length; i++) {
      dot += expected[i] * actual[i];
    }
    double s = Math.signum(dot);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], s * actual[i], tol, "component " + i);
    }
  }
}

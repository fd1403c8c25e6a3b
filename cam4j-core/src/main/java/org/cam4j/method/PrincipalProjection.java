package org.cam4j.method;

import org.cam4j.tensor.FloatTensor;

/**
 * pytorch-grad-cam's {@code get_2d_projection}: per image, the pixels' channel vectors X
 * (h*w rows, C columns) are centred per column and projected on the first right singular
 * vector v1 of X, giving the map {@code X v1} [h,w].
 *
 * <p>v1 comes from the smaller Gram matrix: {@code X^T X} (C x C) gives v1 directly; when
 * h*w &lt; C, {@code X X^T} gives u1 and {@code X v1 = sigma1 u1 = sqrt(lambda1) u1}.
 *
 * <p>Sign: a singular vector's sign is arbitrary (numpy's depends on the LAPACK build), and the
 * ReLU that follows keeps one side. cam4j picks the sign that makes the map correlate positively
 * with the plain channel sum of the same terms (for EigenCAM {@code sum_c A_c}, with eigen-smooth
 * the method's own map), so bright regions stay bright. If that correlation is exactly zero, the
 * largest-magnitude value is made positive.
 */
final class PrincipalProjection {
  private PrincipalProjection() {
  }

  /** The projections [N,h,w] of each image's terms [N,C,h,w]. */
  static FloatTensor of(FeatureMaps terms) {
    int area = terms.area();
    float[] out = new float[terms.n() * area];
    for (int i = 0; i < terms.n(); i++) {
      System.arraycopy(project(centred(terms, i), rowSums(terms, i)), 0, out, i * area, area);
    }
    return FloatTensor.of(new long[] {terms.n(), terms.h(), terms.w()}, out);
  }

  /** Image i as X[channel][pixel], each channel minus its mean over the pixels. */
  private static double[][] centred(FeatureMaps t, int i) {
    double[][] x = new double[t.c()][t.area()];
    for (int c = 0; c < t.c(); c++) {
      double mean = t.mean(i, c);
      int base = t.offset(i, c);
      for (int p = 0; p < t.area(); p++) {
        x[c][p] = t.data()[base + p] - mean;
      }
    }
    return x;
  }

  /** The uncentred channel sum per pixel: the reference the sign is aligned with. */
  private static double[] rowSums(FeatureMaps t, int i) {
    double[] s = new double[t.area()];
    for (int c = 0; c < t.c(); c++) {
      int base = t.offset(i, c);
      for (int p = 0; p < t.area(); p++) {
        s[p] += t.data()[base + p];
      }
    }
    return s;
  }

  /** {@code X v1} for X given as xt[channel][pixel], sign-aligned with {@code reference}. */
  private static float[] project(double[][] xt, double[] reference) {
    int channels = xt.length;
    int area = reference.length;
    double[] projection = new double[area];
    if (area < channels) {
      SymmetricEigen.Eigenpair u = SymmetricEigen.largest(pixelGram(xt, area));
      double sigma = Math.sqrt(Math.max(u.value(), 0));
      for (int p = 0; p < area; p++) {
        projection[p] = sigma * u.vector()[p];
      }
    } else {
      double[] v = SymmetricEigen.largest(channelGram(xt, area)).vector();
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < area; p++) {
          projection[p] += xt[c][p] * v[c];
        }
      }
    }
    float[] out = new float[area];
    double sign = sign(projection, reference);
    for (int p = 0; p < area; p++) {
      out[p] = (float) (sign * projection[p]);
    }
    return out;
  }

  private static double[][] pixelGram(double[][] xt, int area) {
    double[][] g = new double[area][area];
    for (double[] channel : xt) {
      for (int p = 0; p < area; p++) {
        double a = channel[p];
        for (int q = 0; q <= p; q++) {
          g[p][q] += a * channel[q];
        }
      }
    }
    return symmetrised(g);
  }

  private static double[][] channelGram(double[][] xt, int area) {
    int channels = xt.length;
    double[][] g = new double[channels][channels];
    for (int c = 0; c < channels; c++) {
      for (int d = 0; d <= c; d++) {
        double s = 0;
        for (int p = 0; p < area; p++) {
          s += xt[c][p] * xt[d][p];
        }
        g[c][d] = s;
      }
    }
    return symmetrised(g);
  }

  /** Copies the lower triangle onto the upper one. */
  private static double[][] symmetrised(double[][] g) {
    for (int p = 0; p < g.length; p++) {
      for (int q = 0; q < p; q++) {
        g[q][p] = g[p][q];
      }
    }
    return g;
  }

  private static double sign(double[] projection, double[] reference) {
    double dot = 0;
    int largest = 0;
    for (int p = 0; p < projection.length; p++) {
      dot += projection[p] * reference[p];
      if (Math.abs(projection[p]) > Math.abs(projection[largest])) {
        largest = p;
      }
    }
    if (dot != 0) {
      return Math.signum(dot);
    }
    return projection[largest] < 0 ? -1 : 1;
  }
}

package org.cam4j.method;

/** XGrad-CAM (Fu et al. 2020): {@code w_c = sum(G_c * A_c) / (sum(A_c) + 1e-7)}. */
public final class XGradCam extends ChannelWeightedCam {
  @Override
  public String name() {
    return "xgradcam";
  }

  @Override
  float[] channelWeights(FeatureMaps a, FeatureMaps g) {
    float[] w = new float[a.n() * a.c()];
    for (int i = 0; i < a.n(); i++) {
      for (int c = 0; c < a.c(); c++) {
        int base = a.offset(i, c);
        double dot = 0;
        for (int p = 0; p < a.area(); p++) {
          dot += (double) g.data()[base + p] * a.data()[base + p];
        }
        w[i * a.c() + c] = (float) (dot / (a.sum(i, c) + 1e-7));
      }
    }
    return w;
  }
}

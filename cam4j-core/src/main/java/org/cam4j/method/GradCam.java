package org.cam4j.method;

/** Grad-CAM (Selvaraju et al. 2017): w_c = spatial mean of d(score)/dA_c. */
public final class GradCam extends ChannelWeightedCam {
  @Override
  public String name() {
    return "gradcam";
  }

  @Override
  float[] channelWeights(FeatureMaps a, FeatureMaps g) {
    float[] w = new float[a.n() * a.c()];
    for (int i = 0; i < a.n(); i++) {
      for (int c = 0; c < a.c(); c++) {
        w[i * a.c() + c] = (float) g.mean(i, c);
      }
    }
    return w;
  }
}

package org.cam4j.method;

/**
 * Grad-CAM++ (Chattopadhay et al. 2018) in pytorch-grad-cam's closed form: with s = sum(A_c),
 * {@code alpha = G^2 / (2 G^2 + s G^3 + 1e-6)} (0 where G = 0) and
 * {@code w_c = sum(max(G, 0) * alpha)}.
 */
public final class GradCamPlusPlus extends ChannelWeightedCam {
  @Override
  public String name() {
    return "gradcam++";
  }

  @Override
  float[] channelWeights(FeatureMaps a, FeatureMaps g) {
    float[] w = new float[a.n() * a.c()];
    for (int i = 0; i < a.n(); i++) {
      for (int c = 0; c < a.c(); c++) {
        int base = a.offset(i, c);
        float s = (float) a.sum(i, c);
        double weight = 0;
        for (int p = 0; p < a.area(); p++) {
          float grad = g.data()[base + p];
          if (grad == 0f) {
            continue;
          }
          float g2 = grad * grad;
          float alpha = g2 / (2 * g2 + s * g2 * grad + 1e-6f);
          weight += Math.max(grad, 0f) * alpha;
        }
        w[i * a.c() + c] = (float) weight;
      }
    }
    return w;
  }
}

package org.cam4j.method;

/** LayerCAM (Jiang et al. 2021): {@code sum_c max(G, 0) * A}. */
public final class LayerCam extends ElementwiseCam {
  @Override
  public String name() {
    return "layercam";
  }

  @Override
  float term(float g, float a) {
    return Math.max(g, 0f) * a;
  }
}

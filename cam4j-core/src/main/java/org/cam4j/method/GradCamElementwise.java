package org.cam4j.method;

/** Grad-CAM element-wise (pytorch-grad-cam's GradCAMElementWise): {@code sum_c max(G * A, 0)}. */
public final class GradCamElementwise extends ElementwiseCam {
  @Override
  public String name() {
    return "gradcam-elementwise";
  }

  @Override
  float term(float g, float a) {
    return Math.max(g * a, 0f);
  }
}

package org.cam4j.method;

/** HiResCAM (Draelos and Carin 2020): {@code sum_c G * A}, faithful to the gradient's location. */
public final class HiResCam extends ElementwiseCam {
  @Override
  public String name() {
    return "hirescam";
  }

  @Override
  float term(float g, float a) {
    return g * a;
  }
}

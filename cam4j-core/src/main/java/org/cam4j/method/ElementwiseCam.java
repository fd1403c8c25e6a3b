package org.cam4j.method;

/** Methods whose map is {@code sum_c f(G, A)} element by element rather than weights x maps. */
abstract class ElementwiseCam extends CamMethod {
  /** The per-element contribution of activation a with gradient g. */
  abstract float term(float g, float a);

  @Override
  FeatureMaps channelTerms(FeatureMaps a, FeatureMaps g) {
    float[] out = new float[a.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = term(g.data()[i], a.data()[i]);
    }
    return a.withData(out);
  }
}

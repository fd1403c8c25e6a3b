package org.cam4j.method;

import org.cam4j.engine.FloatTensor;

/** Methods whose map is {@code sum_c f(G, A)} element by element rather than weights x maps. */
abstract class ElementwiseCam extends CamMethod {
  /** The per-element contribution of activation a with gradient g. */
  abstract float term(float g, float a);

  @Override
  public FloatTensor rawMaps(FloatTensor activations, FloatTensor gradients) {
    FeatureMaps a = FeatureMaps.of(activations);
    float[] g = gradients.toArray();
    float[] out = new float[a.n() * a.area()];
    for (int i = 0; i < a.n(); i++) {
      for (int c = 0; c < a.c(); c++) {
        int base = a.offset(i, c);
        for (int p = 0; p < a.area(); p++) {
          out[i * a.area() + p] += term(g[base + p], a.data()[base + p]);
        }
      }
    }
    return FloatTensor.of(new long[] {a.n(), a.h(), a.w()}, out);
  }
}

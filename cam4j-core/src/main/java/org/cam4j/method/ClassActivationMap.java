package org.cam4j.method;

import org.cam4j.Cam4jException;
import org.cam4j.UnsupportedModelException;
import org.cam4j.internal.engine.ModelAccess;

/**
 * CAM (Zhou et al. 2016) for networks whose layer feeds a global average pool and a linear
 * classifier: the channel weights are the classifier's weights of the class, no backward pass.
 * On such a head it equals Grad-CAM times h*w (Grad-CAM's gradient is W[k,c] / (h*w)).
 */
public final class ClassActivationMap extends ModelWeightedCam {
  @Override
  public String name() {
    return "cam";
  }

  @Override
  float[] weights(CamContext context, String layer, FeatureMaps a) {
    LinearHead head = head(context, layer);
    if (a.c() != head.channels()) {
      throw new UnsupportedModelException("the classifier after layer '" + layer + "' weighs "
          + head.channels() + " channels but the layer has " + a.c());
    }
    int[] classes = singleClasses(context);
    float[] weights = new float[a.n() * a.c()];
    for (int i = 0; i < a.n(); i++) {
      System.arraycopy(head.classWeights(classes[i]), 0, weights, i * a.c(), a.c());
    }
    return weights;
  }

  private static LinearHead head(CamContext context, String layer) {
    try {
      return LinearHead.find(ModelAccess.graph(context.model()), layer,
          context.model().signature().score().name(),
          context.layout(layer).resolve(context.layerValues(layer).shape()));
    } catch (UnsupportedModelException e) {
      throw new UnsupportedModelException(e.getMessage() + ". CAM needs that head: use gradcam,"
          + " which"
          + " works with any head (and equals CAM up to a factor on such heads)", e);
    }
  }
}

package org.cam4j.method;

import org.cam4j.engine.GradientResult;
import org.cam4j.tensor.FloatTensor;

/**
 * Methods that attribute the score to the input pixels: maps [N,H,W] at input resolution,
 * the same whatever the layer. They run the model themselves, so only
 * {@link #rawMaps(CamContext, String)} applies.
 */
abstract class InputAttribution extends CamMethod {
  @Override
  public boolean usesLayer() {
    return false;
  }

  /** The maps [N,H,W] of the context's batch; {@code layer} is ignored. */
  @Override
  public final FloatTensor rawMaps(CamContext context, String layer) {
    return inputMaps(context);
  }

  abstract FloatTensor inputMaps(CamContext context);

  @Override
  public final FloatTensor rawMaps(GradientResult run, String layer) {
    throw needsContext();
  }

  @Override
  public final FloatTensor rawMaps(FloatTensor activations, FloatTensor gradients) {
    throw needsContext();
  }

  private UnsupportedOperationException needsContext() {
    return new UnsupportedOperationException(name() + " attributes the model input and runs the"
        + " model itself: call rawMaps(CamContext, layer)");
  }
}

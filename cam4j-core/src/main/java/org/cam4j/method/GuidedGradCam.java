package org.cam4j.method;

import org.cam4j.engine.GradientResult;
import org.cam4j.internal.maps.MapOps;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;

/**
 * Guided Grad-CAM (Selvaraju et al. 2017) as pytorch-grad-cam's example composes it,
 * {@code cam_mask * gb}: the layer's Grad-CAM map, normalised exactly as pytorch-grad-cam
 * returns it ({@link MapOps#normalised}) at input resolution, times the
 * {@link GuidedBackprop guided-backprop} map. The Grad-CAM map is non-negative, so the product
 * equals {@code max_c |cam * gb_c|}, the guided-backprop reduction of pytorch-grad-cam's
 * three-channel result.
 */
public final class GuidedGradCam extends CamMethod {
  private final GradCam gradCam = new GradCam();
  private final GuidedBackprop guided = new GuidedBackprop();

  @Override
  public String name() {
    return "guided-gradcam";
  }

  /** Maps [N,H,W]; the guided-backprop part is computed once per context for all layers. */
  @Override
  public FloatTensor rawMaps(CamContext context, String layer) {
    FloatTensor gb = context.memo(this, () -> guided.inputMaps(context));
    Layout layout = context.model().signature().layout();
    FloatTensor input = context.input();
    FloatTensor cam = MapOps.normalised(gradCam.rawMaps(context, layer),
        InputChannels.height(input, layout), InputChannels.width(input, layout));
    float[] out = new float[gb.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = cam.get(i) * gb.get(i);
    }
    return FloatTensor.of(gb.shape(), out);
  }

  @Override
  public FloatTensor rawMaps(GradientResult run, String layer) {
    throw needsContext();
  }

  @Override
  public FloatTensor rawMaps(FloatTensor activations, FloatTensor gradients) {
    throw needsContext();
  }

  private UnsupportedOperationException needsContext() {
    return new UnsupportedOperationException(name() + " also runs guided backpropagation on the"
        + " input: call rawMaps(CamContext, layer)");
  }
}

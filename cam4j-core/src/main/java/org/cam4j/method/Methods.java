package org.cam4j.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cam4j.Cam4jException;

/** The methods by command-line name. */
public final class Methods {
  private static final Map<String, Supplier<CamMethod>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("gradcam", GradCam::new);
    BY_NAME.put("gradcam++", GradCamPlusPlus::new);
    BY_NAME.put("xgradcam", XGradCam::new);
    BY_NAME.put("hirescam", HiResCam::new);
    BY_NAME.put("gradcam-elementwise", GradCamElementwise::new);
    BY_NAME.put("layercam", LayerCam::new);
    BY_NAME.put("eigencam", EigenCam::new);
    BY_NAME.put("eigengradcam", () -> new EigenSmooth("eigengradcam", new HiResCam()));
    BY_NAME.put("cam", ClassActivationMap::new);
    BY_NAME.put("scorecam", ScoreCam::new);
    BY_NAME.put("ablationcam", AblationCam::new);
    BY_NAME.put("saliency", Saliency::new);
    BY_NAME.put("guided-backprop", GuidedBackprop::new);
    BY_NAME.put("guided-gradcam", GuidedGradCam::new);
    BY_NAME.put("smoothgrad", () -> SmoothGrad.builder().build());
    BY_NAME.put("integrated-gradients", () -> IntegratedGradients.builder().build());
  }

  private Methods() {
  }

  public static CamMethod byName(String name) {
    Supplier<CamMethod> m = BY_NAME.get(name.toLowerCase(java.util.Locale.ROOT));
    if (m == null) {
      throw new Cam4jException("unknown method '" + name + "'; available: " + String.join(", ",
          names()));
    }
    return m.get();
  }

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }
}

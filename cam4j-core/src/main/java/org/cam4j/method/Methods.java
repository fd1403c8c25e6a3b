package org.cam4j.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.cam4j.InvalidInputException;

/** The methods by command-line name. */
public final class Methods {
  private static final Map<String, IntFunction<CamMethod>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("gradcam", b -> new GradCam());
    BY_NAME.put("gradcam++", b -> new GradCamPlusPlus());
    BY_NAME.put("xgradcam", b -> new XGradCam());
    BY_NAME.put("hirescam", b -> new HiResCam());
    BY_NAME.put("gradcam-elementwise", b -> new GradCamElementwise());
    BY_NAME.put("layercam", b -> new LayerCam());
    BY_NAME.put("eigencam", b -> new EigenCam());
    BY_NAME.put("eigengradcam", b -> new EigenSmooth("eigengradcam", new HiResCam()));
    BY_NAME.put("cam", b -> new ClassActivationMap());
    BY_NAME.put("scorecam", b -> new ScoreCam(orDefault(b, ScoreCam.DEFAULT_BATCH_SIZE)));
    BY_NAME.put("ablationcam", b -> new AblationCam(orDefault(b,
        AblationCam.DEFAULT_BATCH_SIZE)));
    BY_NAME.put("saliency", b -> new Saliency());
    BY_NAME.put("guided-backprop", b -> new GuidedBackprop());
    BY_NAME.put("guided-gradcam", b -> new GuidedGradCam());
    BY_NAME.put("smoothgrad", b -> b > 0 ? SmoothGrad.builder().batchSize(b).build()
        : SmoothGrad.builder().build());
    BY_NAME.put("integrated-gradients", b -> b > 0
        ? IntegratedGradients.builder().batchSize(b).build()
        : IntegratedGradients.builder().build());
  }

  private Methods() {
  }

  /**
   * The method named {@code name} (case-insensitive) with default options; fails with the closest
   * names.
   */
  public static CamMethod byName(String name) {
    return create(name, MethodOptions.defaults());
  }

  /** The method named {@code name} with the options applied. */
  public static CamMethod create(String name, MethodOptions options) {
    IntFunction<CamMethod> m = BY_NAME.get(name.toLowerCase(Locale.ROOT));
    if (m == null) {
      throw new InvalidInputException("unknown method '" + name + "'; available: "
          + String.join(", ", names()), names());
    }
    CamMethod method = m.apply(options.batchSize());
    if (options.eigenSmooth()) {
      if (!method.usesLayer() || method instanceof EigenSmooth || method instanceof EigenCam) {
        throw new InvalidInputException("eigen-smooth combines a layer's channel terms; it does not"
            + " apply to " + method.name());
      }
      method = method.withEigenSmooth();
    }
    return options.augSmooth() ? AugSmooth.of(method) : method;
  }

  /** The method names, in the order the CLI lists them. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  private static int orDefault(int batch, int fallback) {
    return batch > 0 ? batch : fallback;
  }
}

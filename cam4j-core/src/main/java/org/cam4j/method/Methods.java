package org.cam4j.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.cam4j.InvalidInputException;

/** The methods by command-line name. */
public final class Methods {
  private static final Map<String, Function<MethodOptions, CamMethod>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("gradcam", o -> new GradCam());
    BY_NAME.put("gradcam++", o -> new GradCamPlusPlus());
    BY_NAME.put("xgradcam", o -> new XGradCam());
    BY_NAME.put("hirescam", o -> new HiResCam());
    BY_NAME.put("gradcam-elementwise", o -> new GradCamElementwise());
    BY_NAME.put("layercam", o -> new LayerCam());
    BY_NAME.put("eigencam", o -> new EigenCam());
    BY_NAME.put("eigengradcam", o -> new EigenSmooth("eigengradcam", new HiResCam()));
    BY_NAME.put("cam", o -> new ClassActivationMap());
    BY_NAME.put("scorecam", o -> ScoreCam.builder()
        .batchSize(orDefault(o.batchSize(), ScoreCam.DEFAULT_BATCH_SIZE))
        .maxChannels(o.maxChannels()).build());
    BY_NAME.put("ablationcam", o -> new AblationCam(orDefault(o.batchSize(),
        AblationCam.DEFAULT_BATCH_SIZE)));
    // Recipro-CAM (arXiv 2209.14074): map(i,j) = softmax(head(A ⊙ gaussian3x3 at (i,j)))[class]
    BY_NAME.put("reciprocam", o -> new ReciproCam(orDefault(o.batchSize(),
        ReciproCam.DEFAULT_BATCH_SIZE)));
    BY_NAME.put("saliency", o -> new Saliency());
    BY_NAME.put("guided-backprop", o -> new GuidedBackprop());
    BY_NAME.put("guided-gradcam", o -> new GuidedGradCam());
    BY_NAME.put("smoothgrad", o -> o.batchSize() > 0
        ? SmoothGrad.builder().batchSize(o.batchSize()).build()
        : SmoothGrad.builder().build());
    BY_NAME.put("integrated-gradients", o -> o.batchSize() > 0
        ? IntegratedGradients.builder().batchSize(o.batchSize()).build()
        : IntegratedGradients.builder().build());
    BY_NAME.put("attention-rollout", o -> AttentionRollout.builder().build());
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
    Function<MethodOptions, CamMethod> m = BY_NAME.get(name.toLowerCase(Locale.ROOT));
    if (m == null) {
      throw new InvalidInputException("unknown method '" + name + "'; available: "
          + String.join(", ", names()), names());
    }
    CamMethod method = m.apply(options);
    if (options.eigenSmooth()) {
      if (!method.usesLayer() || method instanceof EigenSmooth || method instanceof EigenCam
          || method instanceof ReciproCam
          || method instanceof AttentionRollout) {
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

package org.cam4j.internal.export;

import java.util.List;

/**
 * The raw map [N,h,w] of each exportable method as ONNX nodes over the layer's activations A and
 * gradients G [N,C,h,w]: the same closed forms as the classes of {@code org.cam4j.method} (and
 * pytorch-grad-cam). Methods that need an eigendecomposition (EigenCAM, Eigen-Grad-CAM) are not
 * closed-form in A and G and have no entry.
 */
final class RawMapGraph {
  private static final long[] CHANNELS = {1};
  private static final long[] SPATIAL = {2, 3};

  /** Method name -> its raw map built by a writer, given (A, G). */
  private record Formula(String name, Builder build) {
  }

  @FunctionalInterface
  private interface Builder {
    String raw(NodeWriter w, String a, String g, long area);
  }

  private static final List<Formula> FORMULAS = List.of(
      // w_c = mean_hw G; raw = sum_c w_c A_c
      new Formula("gradcam", (w, a, g, area) ->
          weightedSum(w, w.div(w.reduceSum(g, SPATIAL, true), w.scalar(area)), a)),
      // alpha = G^2 / (2 G^2 + s G^3 + 1e-6), s = sum_hw A (alpha is 0 where G is 0);
      // w_c = sum_hw max(G, 0) alpha
      new Formula("gradcam++", (w, a, g, area) -> {
        String g2 = w.mul(g, g);
        String s = w.reduceSum(a, SPATIAL, true);
        String denominator = w.add(w.add(w.mul(w.scalar(2f), g2), w.mul(s, w.mul(g2, g))),
            w.scalar(1e-6f));
        String alpha = w.div(g2, denominator);
        return weightedSum(w, w.reduceSum(w.mul(w.relu(g), alpha), SPATIAL, true), a);
      }),
      // w_c = sum_hw (G A) / (sum_hw A + 1e-7)
      new Formula("xgradcam", (w, a, g, area) -> weightedSum(w,
          w.div(w.reduceSum(w.mul(g, a), SPATIAL, true),
              w.add(w.reduceSum(a, SPATIAL, true), w.scalar(1e-7f))), a)),
      // sum_c G A
      new Formula("hirescam", (w, a, g, area) -> channelSum(w, w.mul(g, a))),
      // sum_c max(G A, 0)
      new Formula("gradcam-elementwise", (w, a, g, area) -> channelSum(w, w.relu(w.mul(g, a)))),
      // sum_c max(G, 0) A
      new Formula("layercam", (w, a, g, area) -> channelSum(w, w.mul(w.relu(g), a))));

  private RawMapGraph() {
  }

  /** Names of the methods with a formula here, in the order of the list above. */
  static List<String> methods() {
    return FORMULAS.stream().map(Formula::name).toList();
  }

  static boolean supports(String method) {
    return FORMULAS.stream().anyMatch(f -> f.name().equals(method));
  }

  /**
   * Writes the raw map of {@code method} and returns its tensor name.
   *
   * @param area h * w of the layer
   */
  static String write(String method, NodeWriter w, String activations, String gradients,
      long area) {
    Formula f = FORMULAS.stream().filter(x -> x.name().equals(method)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no export formula for " + method));
    return f.build().raw(w, activations, gradients, area);
  }

  /** {@code sum_c weights_c A_c} for weights [N,C,1,1]. */
  private static String weightedSum(NodeWriter w, String weights, String a) {
    return channelSum(w, w.mul(weights, a));
  }

  private static String channelSum(NodeWriter w, String terms) {
    return w.reduceSum(terms, CHANNELS, false);
  }
}

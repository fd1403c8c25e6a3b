package org.cam4j.internal.autodiff;

import java.util.List;
import java.util.Optional;
import org.cam4j.internal.graph.Onnx;

/**
 * The input gradient of a classifier head, {@code g W} with class weights W [M, C], when g is a
 * class seed: row r is {@code weight[r] * W[class[r]]}, a Gather of N rows of W instead of a
 * MatMul over all M x C weights (MobileNetV2's 1001 x 1280 head reads 5 MB, 4 % of its forward,
 * to add zeros). The same floats as the MatMul for finite weights: every other term is a zero.
 */
final class ClassRows {
  private ClassRows() {
  }

  /**
   * {@code g W} by rows of {@code weights} [M, C] where {@code g} [N, M] is a class seed (its
   * rows kept by any reshape), else empty.
   */
  static Optional<String> product(GradientEmitter e, String g, String weights) {
    long[] gs = e.shape(g);
    long[] ws = e.shape(weights);
    return e.classSeed(g).filter(seed -> gs.length == 2 && gs[1] == ws[0]).map(seed -> {
      long[] out = {gs[0], ws[1]};
      String rows = e.op("Gather", out, List.of(weights, seed.classes()), Onnx.attr("axis", 0L));
      return e.mul(rows, seed.weights());
    });
  }
}

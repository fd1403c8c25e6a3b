package org.cam4j.metrics;

import java.util.List;

/** Deletion or insertion curves of a batch, one per image in batch order. */
public record CurveResult(List<Curve> curves) {
  /** Validates the result: at least one curve, one per image. */
  public CurveResult {
    curves = List.copyOf(curves);
    if (curves.isEmpty()) {
      throw new IllegalArgumentException("no curves");
    }
  }

  /** Mean of the images' areas under the curve. */
  public double meanAuc() {
    return curves.stream().mapToDouble(Curve::auc).average().orElseThrow();
  }
}

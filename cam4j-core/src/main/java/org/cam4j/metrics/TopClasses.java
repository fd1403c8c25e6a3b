package org.cam4j.metrics;

import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;

/** The class each image is predicted as, for metrics that explain the top-1 prediction. */
public final class TopClasses {
  private TopClasses() {
  }

  /** Index of the highest score of each image; ties go to the lower index. */
  public static int[] of(CamModel model, FloatTensor input) {
    FloatTensor scores = model.scores(input);
    int n = (int) scores.dim(0);
    int k = scores.size() / n;
    int[] top = new int[n];
    for (int r = 0; r < n; r++) {
      for (int j = 1; j < k; j++) {
        if (scores.get(r * k + j) > scores.get(r * k + top[r])) {
          top[r] = j;
        }
      }
    }
    return top;
  }
}

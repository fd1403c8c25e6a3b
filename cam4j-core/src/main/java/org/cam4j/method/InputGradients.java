package org.cam4j.method;

import java.util.ArrayList;
import java.util.List;
import org.cam4j.engine.BackwardMode;
import org.cam4j.Cancellation;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.Target;
import org.cam4j.tensor.FloatTensor;

/** The gradient of the targets' score with respect to the model input, for a batch. */
final class InputGradients {
  private InputGradients() {
  }

  /** One run over the whole batch. */
  static FloatTensor of(CamModel model, FloatTensor input, List<Target> targets,
      BackwardMode mode) {
    String name = model.signature().inputName();
    return model.forwardBackward(input, List.of(name), targets, mode).gradient(name);
  }

  /**
   * Runs of at most {@code batchSize} rows. A last chunk shorter than the others is padded with
   * copies of its last row, so every chunk reuses one cached session.
   */
  static FloatTensor chunked(CamModel model, FloatTensor input, List<Target> targets,
      BackwardMode mode, int batchSize) {
    int n = (int) input.dim(0);
    if (n <= batchSize) {
      return of(model, input, targets, mode);
    }
    List<FloatTensor> out = new ArrayList<>(n);
    for (int start = 0; start < n; start += batchSize) {
      Cancellation.checkpoint();
      List<FloatTensor> rows = new ArrayList<>(batchSize);
      List<Target> chunk = new ArrayList<>(batchSize);
      for (int i = start; i < start + batchSize; i++) {
        int r = Math.min(i, n - 1);
        rows.add(input.row(r));
        chunk.add(targets.get(r));
      }
      FloatTensor g = of(model, FloatTensor.stack(rows), chunk, mode);
      for (int i = start; i < Math.min(start + batchSize, n); i++) {
        out.add(g.row(i - start));
      }
    }
    return FloatTensor.stack(out);
  }
}

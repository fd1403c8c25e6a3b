package org.cam4j.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.method.GradCam;
import org.cam4j.tensor.FloatTensor;

/**
 * Time from {@link CamModel#load} to the first result on a fresh model (graph parsing, session
 * creation and, for an explanation, layer probing and building the gradient graph); closing the
 * model is not timed. Explanation and plain forward alternate so both see the same machine load.
 */
final class ColdStart {
  /** ms per iteration for each. */
  record Timings(double[] explain, double[] forward) {
  }

  private ColdStart() {
  }

  static Timings measure(Path path, EngineOptions options, FloatTensor input, int iterations) {
    double[] explain = new double[iterations];
    double[] forward = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      explain[i] = firstResultMillis(path, options, model -> Workloads.explain(model, input,
          new GradCam(), List.of(model.layers().defaultLayer().name())));
      forward[i] = firstResultMillis(path, options, model -> Workloads.forward(model, input));
    }
    return new Timings(explain, forward);
  }

  private static double firstResultMillis(Path path, EngineOptions options,
      Function<CamModel, Runnable> work) {
    long start = System.nanoTime();
    try (CamModel model = CamModel.load(path, options)) {
      work.apply(model).run();
      return (System.nanoTime() - start) / 1e6;
    }
  }
}

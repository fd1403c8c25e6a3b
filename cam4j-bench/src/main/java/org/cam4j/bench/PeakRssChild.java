package org.cam4j.bench;

import java.nio.file.Path;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;

/**
 * Child process: loads a model with the library's default options, runs one {@link ProcessMode}
 * in a loop and prints its peak RSS. Arguments: model path, mode, iterations.
 */
public final class PeakRssChild {
  private PeakRssChild() {
  }

  public static void main(String[] args) {
    ProcessMode mode = ProcessMode.valueOf(args[1]);
    int iterations = Integer.parseInt(args[2]);
    try (CamModel model = CamModel.load(Path.of(args[0]))) {
      FloatTensor input = Workloads.randomInput(model, 1, 1);
      Runnable body = mode.body(model, input);
      for (int i = 0; i < iterations; i++) {
        body.run();
      }
      System.out.println("peakRssKb=" + ProcStatus.peakRssKb() + " sessions="
          + model.sessionsCreated());
    }
  }
}

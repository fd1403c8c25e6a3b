package org.cam4j.bench;

import java.nio.file.Path;
import org.cam4j.engine.CamModel;
import org.cam4j.tensor.FloatTensor;

/**
 * Child process: Grad-CAM at the default layer, batch 1, over and over; after every tenth of
 * the run prints RSS, then heap after a full collection. Arguments: model path, explanations.
 */
public final class SoakChild {
  private SoakChild() {
  }

  public static void main(String[] args) {
    int explanations = Integer.parseInt(args[1]);
    int step = Math.max(1, explanations / 10);
    try (CamModel model = CamModel.load(Path.of(args[0]))) {
      FloatTensor input = Workloads.randomInput(model, 1, 1);
      Runnable body = ProcessMode.GRADCAM.body(model, input);
      for (int i = 1; i <= explanations; i++) {
        body.run();
        if (i % step == 0 || i == explanations) {
          long rss = ProcStatus.rssKb();
          System.out.println("explanations=" + i + " rssKb=" + rss + " heapKb="
              + ProcStatus.heapAfterGcKb() + " peakRssKb=" + ProcStatus.peakRssKb() + " sessions="
              + model.sessionsCreated());
        }
      }
    }
  }
}

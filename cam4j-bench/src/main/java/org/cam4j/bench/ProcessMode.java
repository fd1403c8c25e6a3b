package org.cam4j.bench;

import java.util.List;
import org.cam4j.engine.CamModel;
import org.cam4j.method.GradCam;
import org.cam4j.tensor.FloatTensor;

/** What a memory child process does in its loop, at batch 1. */
enum ProcessMode {
  PLAIN("plain forward"),
  GRADCAM("Grad-CAM, default layer"),
  BLOCKS("Grad-CAM, all block outputs");

  private final String label;

  ProcessMode(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** The loop body; explaining modes discover layers first, as an explaining program does. */
  Runnable body(CamModel model, FloatTensor input) {
    return switch (this) {
      case PLAIN -> Workloads.forward(model, input);
      case GRADCAM -> Workloads.explain(model, input, new GradCam(),
          List.of(model.layers().defaultLayer().name()));
      case BLOCKS -> Workloads.explain(model, input, new GradCam(),
          LayerChoice.of(model.layers()).blocks());
    };
  }
}

package org.cam4j.bench;

import java.util.Optional;

/**
 * The ceilings issue 12 sets for the two benchmarked models (ratio to the plain forward at batch
 * 1, one ONNX Runtime thread): default layer, middle block, all blocks in one pass.
 */
record SpeedTargets(Target defaultLayer, Target middleBlock, Target allBlocks) {
  /** Saliency and guided backprop may cost at most this much more than all blocks. */
  static final Target INPUT_GRADIENT_OVER_ALL_BLOCKS = new Target(1.10);
  /** Recipro-CAM: under 10x the plain forward. */
  static final Target RECIPROCAM = new Target(10.0);

  static Optional<SpeedTargets> forModel(String fileName) {
    if (fileName.startsWith("mobilenet_v2_1.0_224")) {
      return Optional.of(new SpeedTargets(new Target(1.10), new Target(1.85), new Target(2.60)));
    }
    if (fileName.startsWith("resnet18")) {
      return Optional.of(new SpeedTargets(new Target(1.08), new Target(1.50), new Target(2.05)));
    }
    return Optional.empty();
  }
}

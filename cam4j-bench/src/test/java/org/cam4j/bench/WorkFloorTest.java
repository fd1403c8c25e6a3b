package org.cam4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cam4j.engine.CamModel;
import org.junit.jupiter.api.Test;

/**
 * The multiply-add floors of ResNet-18 against a count by hand from its architecture (1.814 G
 * multiply-adds in all): after the middle block (layer3.0) come layer3.1's two convs, layer4 and
 * the classifier; after the first block (layer1.0) everything but conv1 and layer1.0.
 */
class WorkFloorTest {
  private static final double CONV1 = 112 * 112 * 64 * 3 * 49;
  /** One 3x3 conv at stride 1 keeping c channels on an s x s map. */
  private static double same(long s, long c) {
    return (double) s * s * c * c * 9;
  }

  /** Stage entry: 3x3 stride-2 conv from c/2 to c channels, then 1x1 stride-2 downsample. */
  private static double entry(long s, long c) {
    return (double) s * s * c * (c / 2) * 9 + (double) s * s * c * (c / 2);
  }

  @Test
  void resNet18FloorsMatchAHandCount() {
    double fc = 512 * 1000;
    double layer1 = 4 * same(56, 64);
    double layer2 = entry(28, 128) + 3 * same(28, 128);
    double layer3 = entry(14, 256) + 3 * same(14, 256);
    double layer4 = entry(7, 512) + 3 * same(7, 512);
    double total = CONV1 + layer1 + layer2 + layer3 + layer4 + fc;
    Path model = resnet18();
    try (CamModel m = CamModel.load(model)) {
      LayerChoice layers = LayerChoice.of(m.layers());
      WorkFloor floors = WorkFloor.of(model, m);
      // exact counts of the same graph: only summation order differs
      assertEquals(1 + fc / total, floors.floor(java.util.List.of(layers.defaultLayer())),
          1e-9);
      assertEquals(1 + (2 * same(14, 256) + layer4 + fc) / total,
          floors.floor(java.util.List.of(layers.middleBlock())), 1e-9);
      assertEquals(1 + (2 * same(56, 64) + layer2 + layer3 + layer4 + fc) / total,
          floors.floor(layers.blocks()), 1e-9);
    }
  }

  private static Path resnet18() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolveSibling("shared").resolve("models/random/resnet18_random.onnx");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("shared/models/random/resnet18_random.onnx not found");
  }
}

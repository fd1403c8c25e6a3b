package org.cam4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cam4j.explain.Explainer;
import org.cam4j.image.Preprocessing;
import org.cam4j.registry.UnknownModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cam4jLoadTest {
  private static final Path SQUEEZENET = SharedData.path("models/random/squeezenet1_1_random.onnx");

  @Test
  void aModelFileBringsItsSidecarPreprocessing(@TempDir Path dir) throws Exception {
    Path model = Files.createSymbolicLink(dir.resolve("squeeze.onnx"), SQUEEZENET);
    Files.writeString(dir.resolve("squeeze.onnx" + Preprocessing.SIDECAR_SUFFIX),
        "# made for this test\ninception\n");
    try (Explainer byPath = Cam4j.load(model); Explainer byName = Cam4j.load(model.toString())) {
      assertEquals(Preprocessing.INCEPTION, byPath.preprocessing());
      assertEquals(Preprocessing.INCEPTION, byName.preprocessing());
      assertEquals("class 7", byPath.labels().get(7).name(), "no labels: placeholders");
    }
  }

  @Test
  void withoutASidecarTorchIsAssumed() {
    try (Explainer e = Cam4j.load(SQUEEZENET)) {
      assertEquals(Preprocessing.TORCH, e.preprocessing());
      assertEquals(1000, e.labels().size());
    }
  }

  @Test
  void anUnknownNameFailsWithoutDownloading() {
    assertThrows(UnknownModelException.class, () -> Cam4j.load("resnet5O"));
  }
}

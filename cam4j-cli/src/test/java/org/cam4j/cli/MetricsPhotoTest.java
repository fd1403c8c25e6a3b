package org.cam4j.cli;

import static org.cam4j.cli.CliProcessIT.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.cli.CliProcessIT.Outcome;
import org.cam4j.explain.Explainer;
import org.cam4j.graph.ModelSignature;
import org.cam4j.image.Preprocessing;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cam4j metrics IMAGE --method gradcam} against the tensor route on the same photo: the
 * input preprocessed through the Java API, the map as {@code explain} wrote it.
 */
class MetricsPhotoTest {
  @TempDir
  Path tmp;

  @Test
  void photoRouteEqualsTensorRoute() throws Exception {
    Path cat = shared("images/cat.png");
    Outcome onTheSpot = InProcess.withModel("metrics", cat.toString(), "--method", "gradcam",
        "--steps", "10", "--json");
    assertEquals(0, onTheSpot.code(), onTheSpot.err());

    Path out = tmp.resolve("out");
    Outcome explained = InProcess.withModel("explain", cat.toString(), "--method", "gradcam",
        "--out", out.toString());
    assertEquals(0, explained.code(), explained.err());
    FloatTensor map = Npy.read(out.resolve("cat_gradcam_map.npy"));
    Path maps = tmp.resolve("maps.npy");
    Files.write(maps, Npy.toBytes(FloatTensor.of(new long[] {1, map.dim(0), map.dim(1)},
        map.toArray())));
    Path input = tmp.resolve("input.npy");
    try (Explainer explainer = Explainer.builder(Path.of(InProcess.MODEL))
        .preprocessing(Preprocessing.INCEPTION).build()) {
      BufferedImage photo = explainer.imageLoader().load(cat);
      ModelSignature s = explainer.model().signature();
      Files.write(input, Npy.toBytes(explainer.preprocessing().prepare(photo, s.layout(),
          (int) s.width(), (int) s.height()).tensor()));
    }
    Outcome fromFiles = InProcess.withModel("metrics", "--tensor", input.toString(), "--map",
        maps.toString(), "--steps", "10", "--json");
    assertEquals(0, fromFiles.code(), fromFiles.err());

    JsonNode a = new ObjectMapper().readTree(onTheSpot.out());
    JsonNode b = new ObjectMapper().readTree(fromFiles.out());
    assertEquals(286, a.at("/classes/0").asInt(), "Egyptian cat");
    // the same float32 input and map (npy is lossless) through the same model on one thread:
    // the values agree to the last bits; 1e-9 only absorbs the double printing of JSON
    for (String metric : List.of("/averageDrop", "/increaseInConfidence", "/deletion/meanAuc",
        "/insertion/meanAuc")) {
      assertEquals(b.at(metric).asDouble(), a.at(metric).asDouble(), 1e-9, metric);
    }
    assertTrue(a.at("/averageDrop").asDouble() >= 0, onTheSpot.out());

    Outcome text = InProcess.withModel("metrics", cat.toString(), "--method", "gradcam",
        "--steps", "10");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().startsWith("classes: [286]" + System.lineSeparator()
        + String.format(java.util.Locale.ROOT, "average drop: %.3f %%", a.at("/averageDrop")
        .asDouble())), text.out());
  }
}

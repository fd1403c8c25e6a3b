package org.cam4j.cli;

import static org.cam4j.cli.CliProcessIT.cam4j;
import static org.cam4j.cli.CliProcessIT.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cam4j.cli.CliProcessIT.Outcome;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** classify and explain on photos, run as a user runs the packaged jar. */
class PhotoCliIT {
  private static final String MODEL = shared("models/mobilenet_v2_1.0_224_dequant.onnx")
      .toString();
  private static final String LABELS = shared("labels/imagenet_labels_1001.txt").toString();

  @TempDir
  Path tmp;

  private static List<String> model(String... rest) {
    List<String> args = new ArrayList<>(List.of("--model", MODEL, "--labels", LABELS,
        "--preprocess", "inception"));
    args.addAll(List.of(rest));
    return args;
  }

  private static Outcome run(String command, List<String> args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(args);
    return cam4j(all.toArray(String[]::new));
  }

  @Test
  void classifyJsonFollowsTheDocumentedFormat() throws Exception {
    Outcome r = run("classify", model("--json", "--top", "3",
        shared("images/cat.png").toString(), shared("images/bird.png").toString()));
    assertEquals(0, r.code(), r.err());
    JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
    assertEquals(2, results.size());
    JsonNode cat = results.get(0);
    assertEquals(shared("images/cat.png").toString(), cat.get("image").asText());
    assertEquals(3, cat.get("predictions").size());
    JsonNode first = cat.get("predictions").get(0);
    assertEquals(286, first.get("index").asInt());
    assertEquals("Egyptian cat", first.get("label").asText());
    assertEquals(0.818, first.get("probability").asDouble(), 1e-3);
    assertEquals(12.137, first.get("logit").asDouble(), 1e-3);
    double previous = 1;
    for (JsonNode p : cat.get("predictions")) {
      assertTrue(p.get("probability").asDouble() <= previous, "sorted by probability");
      previous = p.get("probability").asDouble();
    }
    assertEquals(20, results.get(1).get("predictions").get(0).get("index").asInt());
  }

  @Test
  void explainWritesOneOutputSetPerPhotoAndMethod() throws Exception {
    Path photos = tmp.resolve("photos");
    Files.createDirectories(photos);
    Files.copy(shared("images/cat.png"), photos.resolve("cat.png"));
    Files.copy(shared("images/dog.jpg"), photos.resolve("dog.jpg"));
    Files.writeString(photos.resolve("notes.txt"), "not a photo, skipped by extension");
    Path out = tmp.resolve("out");
    Outcome r = run("explain", model(photos.toString(), "--method", "gradcam,layercam",
        "--colormap", "turbo", "--alpha", "0.5", "--out", out.toString()));
    assertEquals(0, r.code(), r.err());
    for (String stem : List.of("cat", "dog")) {
      for (String m : List.of("gradcam", "layercam")) {
        for (String kind : List.of("overlay.png", "heatmap.png", "map.npy", "raw.npy",
            "manifest.json")) {
          assertTrue(Files.exists(out.resolve(stem + "_" + m + "_" + kind)), stem + m + kind);
        }
      }
    }
    BufferedImage overlay = ImageIO.read(out.resolve("dog_gradcam_overlay.png").toFile());
    assertEquals(768, overlay.getWidth());
    assertEquals(576, overlay.getHeight());
    assertEquals(224, Npy.read(out.resolve("cat_layercam_map.npy")).dim(1));
    JsonNode manifest = new ObjectMapper().readTree(
        out.resolve("cat_layercam_manifest.json").toFile());
    assertEquals("turbo", manifest.at("/render/colormap").asText());
    assertEquals(0.5, manifest.at("/render/alpha").asDouble(), 0);
    assertEquals("layercam", manifest.at("/method").asText());
    assertTrue(r.err().contains("[2/2] dog.jpg"), "progress per photo: " + r.err());
  }

  @Test
  void badPhotosAndOptionsFailCleanly() throws Exception {
    Path out = tmp.resolve("out");
    Path corrupt = tmp.resolve("corrupt.jpg");
    byte[] jpeg = Files.readAllBytes(shared("images/dog.jpg"));
    Files.write(corrupt, java.util.Arrays.copyOf(jpeg, 600));
    Path text = tmp.resolve("text.png");
    Files.writeString(text, "hello, I am not a PNG");

    Outcome missing = run("explain", model(tmp.resolve("nope.png").toString(),
        "--out", out.toString()));
    assertEquals(3, missing.code());
    assertTrue(missing.err().startsWith("cam4j: error: image not found: "), missing.err());

    Outcome broken = run("explain", model(corrupt.toString(), "--out", out.toString()));
    assertEquals(3, broken.code());
    assertTrue(broken.err().contains("corrupt.jpg"), broken.err());

    Outcome notPng = run("classify", model(text.toString()));
    assertEquals(3, notPng.code());
    assertTrue(notPng.err().contains("text.png"), notPng.err());

    Outcome layer = run("explain", model(shared("images/cat.png").toString(), "--layer",
        "block99", "--out", out.toString()));
    assertEquals(3, layer.code());
    assertTrue(layer.err().contains("unknown layer 'block99'"), layer.err());

    Outcome label = run("explain", model(shared("images/cat.png").toString(), "--class",
        "tabbby", "--out", out.toString()));
    assertEquals(3, label.code());
    assertTrue(label.err().contains("282 'tabby'"), label.err());

    Outcome both = run("explain", model(shared("images/cat.png").toString(), "--tensor",
        shared("reference/input.npy").toString()));
    assertEquals(2, both.code());

    for (Outcome o : List.of(missing, broken, notPng, layer, label)) {
      assertEquals(1, o.err().strip().lines().filter(l -> l.startsWith("cam4j: error:")).count(),
          o.err());
      assertFalse(o.err().contains("\tat "), "no stack trace without --verbose");
    }
    assertFalse(Files.exists(out), "no output after failures");
  }

  @Test
  void oneBadPhotoDoesNotStopTheOthers() throws Exception {
    Path text = tmp.resolve("text.png");
    Files.writeString(text, "not an image");
    Path out = tmp.resolve("out");
    Outcome r = run("explain", model(text.toString(), shared("images/bird.png").toString(),
        "--out", out.toString()));
    assertEquals(3, r.code());
    assertTrue(Files.exists(out.resolve("bird_gradcam_overlay.png")));
    try (Stream<Path> files = Files.list(out)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("text")
          || f.getFileName().toString().endsWith(".part")));
    }
  }
}

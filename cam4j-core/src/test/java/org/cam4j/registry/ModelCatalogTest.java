package org.cam4j.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cam4j.Cam4jException;
import org.cam4j.SharedData;
import org.cam4j.image.Preprocessing;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
  private static final List<String> NAMES = List.of("resnet50", "resnet50-v1",
      "resnet50-v1-opset12", "resnet18", "mobilenetv2", "squeezenet1.1", "densenet121",
      "googlenet", "efficientnet-lite4");
  private static final String PRIMARY =
      "https://github.com/onnx/models/raw/main/validated/vision/classification/";
  private static final String MIRROR = "https://huggingface.co/onnxmodelzoo/legacy_models/"
      + "resolve/main/validated/vision/classification/";

  private final ModelCatalog catalog = ModelCatalog.bundled();

  @Test
  void bundledCatalogueHasEveryModelWithSizeAndDigest() {
    List<String> all = new ArrayList<>(List.of("mobilenetv2-embedded"));
    all.addAll(NAMES);
    assertEquals(all, catalog.names());
    assertEquals(List.of("mobilenetv2-embedded"), catalog.embeddedNames());
    assertEquals("mobilenetv2-embedded", catalog.defaultName());
    assertEquals(Optional.empty(), catalog.find("mobilenetv2-embedded"), "embedded: no download");
    for (String name : NAMES) {
      RemoteFile f = catalog.find(name).orElseThrow().model();
      assertTrue(f.sha256().matches("[0-9a-f]{64}"), name);
      assertTrue(f.bytes() > 1_000_000, name + ": " + f.bytes());
      assertTrue(f.fileName().endsWith(".onnx"), name);
    }
  }

  /** Every row of shared/registry.md, cell for cell: path (as both URLs), size and sha256. */
  @Test
  void bundledCatalogueMatchesTheRegistryFacts() throws Exception {
    Map<String, String[]> rows = new HashMap<>();
    for (String line : Files.readAllLines(SharedData.path("registry.md"))) {
      String[] cells = line.split("\\|");
      if (cells.length > 4 && cells[2].trim().endsWith(".onnx")) {
        rows.put(cells[1].replace("(default)", "").trim(), new String[] {cells[2].trim(),
            cells[3].trim(), cells[4].trim()});
      }
    }
    assertEquals(NAMES.size(), rows.size());
    for (String name : NAMES) {
      String[] row = rows.get(name);
      RemoteFile f = catalog.find(name).orElseThrow().model();
      assertEquals(List.of(URI.create(PRIMARY + row[0]), URI.create(MIRROR + row[0])), f.urls(),
          name);
      assertEquals(Path.of(row[0]).getFileName().toString(), f.fileName(), name);
      assertEquals(Long.parseLong(row[1]), f.bytes(), name);
      assertEquals(row[2], f.sha256(), name);
    }
  }

  /** The synset.txt in shared/ is the onnx/models file, so its digest can be checked here. */
  @Test
  void labelsAreTheVerifiedSynsetExceptForEfficientNet() throws Exception {
    byte[] synset = Files.readAllBytes(SharedData.path("labels/synset.txt"));
    for (String name : NAMES) {
      ModelEntry e = catalog.find(name).orElseThrow();
      if (name.equals("efficientnet-lite4")) {
        assertEquals(Optional.empty(), e.labels());
        assertTrue(e.labelsNote().orElseThrow().contains("labels_map.txt"));
        continue;
      }
      RemoteFile labels = e.labels().orElseThrow();
      assertEquals("synset.txt", labels.fileName());
      assertEquals(synset.length, labels.bytes());
      assertEquals(Payloads.sha256(synset), labels.sha256());
      assertEquals(List.of(URI.create("https://raw.githubusercontent.com/onnx/models/main/"
          + "validated/vision/classification/synset.txt")), labels.urls());
    }
  }

  @Test
  void preprocessingFollowsTheModelCards() {
    Preprocessing torchCrop = Preprocessing.TORCH.toBuilder()
        .resizeMode(Preprocessing.ResizeMode.CENTER_CROP).build();
    for (String name : List.of("resnet50", "resnet50-v1", "resnet50-v1-opset12", "resnet18",
        "mobilenetv2", "squeezenet1.1")) {
      assertEquals(Optional.of(torchCrop), catalog.find(name).orElseThrow().preprocessing(),
          name);
    }
    assertEquals(Optional.of(Preprocessing.KERAS_CAFFE),
        catalog.find("googlenet").orElseThrow().preprocessing());
    assertEquals(Optional.empty(), catalog.find("densenet121").orElseThrow().preprocessing());
    Preprocessing lite = catalog.find("efficientnet-lite4").orElseThrow().preprocessing()
        .orElseThrow();
    assertEquals(127.0, lite.mean()[2]);
    assertEquals(128.0, lite.std()[0]);
    assertEquals(1.0, lite.scale());
    assertEquals(Preprocessing.ResizeMode.CENTER_CROP, lite.resizeMode());
    assertEquals(0.875, lite.cropFraction());
  }

  @Test
  void embeddedNamesAreUniqueAndMayBeTheDefault() {
    ModelEntry a = ModelEntry.builder("a", new RemoteFile("a.onnx", 10, "0".repeat(64),
        List.of(URI.create("http://x/a.onnx")))).labelsNote("none").build();
    ModelCatalog c = ModelCatalog.of(List.of(a), List.of("e"), "e");
    assertEquals(List.of("e", "a"), c.names());
    assertEquals("e", c.defaultName());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> ModelCatalog.of(List.of(a), List.of("a"), "a"));
    assertEquals("model 'a' is listed twice", twice.getMessage());
    String json = """
        {"default": "a", "embedded": [1], "models": [{"name": "a", "file": "a.onnx",
          "bytes": 10, "sha256": "%s", "urls": ["http://x/a.onnx"], "labelsNote": "none"}]}"""
        .formatted("0".repeat(64));
    Cam4jException notNames = assertThrows(Cam4jException.class,
        () -> ModelCatalog.parse(json, "test.json"));
    assertEquals("model catalogue test.json: 'embedded' must list model names",
        notNames.getMessage());
  }

  @Test
  void malformedCatalogueNamesTheFieldAtFault() {
    String json = """
        {"default": "a", "models": [{"name": "a", "file": "a.onnx", "bytes": 10,
          "sha256": "abc", "urls": ["http://x/a.onnx"], "labelsNote": "none"}]}""";
    Cam4jException e = assertThrows(Cam4jException.class,
        () -> ModelCatalog.parse(json, "test.json"));
    assertEquals("model catalogue test.json: model 'a': a.onnx: sha256 must be 64 hex digits,"
        + " got 'abc'", e.getMessage());
    String noLabels = json.replace("\"abc\"", "\"" + "0".repeat(64) + "\"")
        .replace(", \"labelsNote\": \"none\"", "");
    e = assertThrows(Cam4jException.class, () -> ModelCatalog.parse(noLabels, "test.json"));
    assertEquals("model catalogue test.json: model 'a' needs either a labels file or a note on"
        + " why it has none, not neither", e.getMessage());
  }
}

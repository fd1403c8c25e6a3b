package org.cam4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cam4j.ResourceUnavailableException;
import org.cam4j.SharedData;
import org.cam4j.image.Preprocessing;
import org.cam4j.internal.io.Sha256;
import org.cam4j.internal.maps.MapOps;
import org.cam4j.labels.Prediction;
import org.cam4j.method.GradCam;
import org.cam4j.render.Colormap;
import org.cam4j.render.Heatmap;
import org.cam4j.render.Heatmaps;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic recipe end to end on the real MobileNetV2 (1001 classes, inception
 * preprocessing, as its card says): top-5 against the card, Grad-CAM on the cat, the overlay,
 * and the saved output set read back.
 */
class ExplainerRecipeTest {
  private static final Path MODEL = SharedData.path("models/mobilenet_v2_1.0_224_dequant.onnx");
  private static final Path CAT = SharedData.path("images/cat.png");
  private static Explainer explainer;
  private static Explanation cat;

  @BeforeAll
  static void load() {
    explainer = Explainer.builder(MODEL).preprocessing(Preprocessing.INCEPTION)
        .labels(SharedData.path("labels/imagenet_labels_1001.txt")).build();
    cat = explainer.explain(CAT);
  }

  @AfterAll
  static void close() {
    explainer.close();
  }

  /**
   * The card's top-5 per photo. PNGs: the same five classes in order, probabilities within
   * 1e-3 (the card prints three decimals). JPEGs: decoders may differ by a few levels and the
   * card notes close classes can swap, so top-1 must be among the card's top-5 and the card's
   * top-1 among ours.
   */
  @Test
  void topFiveMatchesTheModelCard() {
    ModelCard card = ModelCard.read(SharedData.path("models/mobilenet_v2_1.0_224_dequant.md"));
    assertEquals(6, card.top5().size(), "photos in the card");
    card.top5().forEach((photo, expected) -> {
      List<Prediction> got = explainer.classify(SharedData.path("images/" + photo), 5)
          .predictions();
      assertEquals(5, got.size());
      if (photo.endsWith(".png")) {
        for (int i = 0; i < 5; i++) {
          assertEquals(expected.get(i).index(), got.get(i).index(), photo + " rank " + i);
          assertEquals(expected.get(i).label(), got.get(i).label(), photo + " rank " + i);
          assertEquals(expected.get(i).probability(), got.get(i).probability(), 1e-3,
              photo + " rank " + i);
        }
      } else {
        Set<Integer> cardTop = expected.stream().map(ModelCard.Expected::index)
            .collect(Collectors.toSet());
        assertTrue(cardTop.contains(got.get(0).index()), photo + " top-1 " + got.get(0));
        assertTrue(got.stream().anyMatch(p -> p.index() == expected.get(0).index()), photo);
      }
    });
  }

  @Test
  void explainsTheTopClassAtTheLastConvBlock() {
    assertEquals(286, cat.target().index());
    assertEquals("Egyptian cat", cat.target().label());
    assertEquals(List.of("MobilenetV2/Conv_1/Relu6"), cat.layers());
    assertEquals(List.of(1L * 7, 7L), List.of(cat.rawMap(cat.layers().get(0)).dim(0),
        cat.rawMap(cat.layers().get(0)).dim(1)));
    assertEquals(cat.predictions().get(0).probability(), cat.target().probability(), 0f);
  }

  /**
   * The hot region lies on the cat: a box drawn by hand around the cat in the 512x341 photo
   * (x 45..370, y 30..341, 58% of the photo) holds more than 60% of the map's mass, the
   * peak lies in it, and the mean heat inside is more than twice the mean outside.
   */
  @Test
  void heatLiesOnTheCat() {
    Heatmap m = cat.photoMap();
    assertEquals(512, m.width());
    assertEquals(341, m.height());
    double inside = 0;
    double total = 0;
    int insidePixels = 0;
    float peak = -1;
    boolean peakInside = false;
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        float v = m.get(x, y);
        boolean in = x >= 45 && x < 370 && y >= 30;
        total += v;
        if (in) {
          inside += v;
          insidePixels++;
        }
        if (v > peak) {
          peak = v;
          peakInside = in;
        }
      }
    }
    double share = inside / total;
    double density = (inside / insidePixels) / ((total - inside) / (m.width() * m.height()
        - insidePixels));
    assertTrue(share > 0.6, "mass inside the cat box: " + share);
    assertTrue(peakInside, "peak outside the cat box");
    assertTrue(density > 2, "inside/outside mean heat: " + density);
  }

  /** The map is ReLU(sum_k mean(dA_k) A_k) / max at 7x7, resized onto the photo. */
  @Test
  void mapsFollowTheGradCamFormula() {
    String layer = cat.layers().get(0);
    FloatTensor raw = new GradCam().rawMaps(explainer.model().forwardBackward(
        explainer.preprocessing().prepare(explainer.imageLoader().load(CAT),
            explainer.model().signature().layout(), 224, 224).tensor(),
        List.of(layer), Target.index(286)), layer);
    assertArrayEquals(raw.row(0).toArray(), cat.rawMap(layer).toArray(), 1e-6f);
    Heatmap layerMap = Heatmap.of(MapOps.reluOverMax(raw));
    assertArrayEquals(layerMap.values(), cat.layerMap(layer).values(), 0f);
    float max = 0;
    for (float v : layerMap.values()) {
      max = Math.max(max, v);
    }
    assertEquals(1f, max, 0f);
    assertArrayEquals(Heatmaps.resize(layerMap, 224, 224).values(), cat.inputMap().values(), 0f);
  }

  /** Overlay: the photo's exact size, each pixel round(0.6 * photo + 0.4 * jet(map)). */
  @Test
  void overlayBlendsJetOntoThePhoto() {
    BufferedImage overlay = cat.overlay();
    BufferedImage photo = cat.photo();
    assertEquals(512, overlay.getWidth());
    assertEquals(341, overlay.getHeight());
    Heatmap m = cat.photoMap();
    int differing = 0;
    for (int y = 0; y < 341; y += 7) {
      for (int x = 0; x < 512; x += 5) {
        int p = photo.getRGB(x, y);
        int h = Colormap.JET.rgb(m.get(x, y));
        int o = overlay.getRGB(x, y);
        for (int shift = 16; shift >= 0; shift -= 8) {
          long expected = Math.round(0.6 * ((p >> shift) & 255) + 0.4 * ((h >> shift) & 255));
          assertEquals(expected, (o >> shift) & 255, "pixel " + x + "," + y);
        }
        differing += o != p ? 1 : 0;
      }
    }
    assertTrue(differing > 1000, "overlay differs from the photo at " + differing + " samples");
  }

  @Test
  void savedFilesReadBack(@TempDir Path dir) throws Exception {
    Manifest saved = cat.save(dir);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(Set.of("cat_gradcam_overlay.png", "cat_gradcam_heatmap.png",
          "cat_gradcam_map.npy", "cat_gradcam_raw.npy", "cat_gradcam_manifest.json"),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    BufferedImage png = ImageIO.read(dir.resolve("cat_gradcam_overlay.png").toFile());
    BufferedImage overlay = cat.overlay();
    assertEquals(512, png.getWidth());
    assertEquals(341, png.getHeight());
    assertEquals(overlay.getRGB(100, 100) & 0xFFFFFF, png.getRGB(100, 100) & 0xFFFFFF);
    assertEquals(overlay.getRGB(300, 200) & 0xFFFFFF, png.getRGB(300, 200) & 0xFFFFFF);

    byte[] npy = Files.readAllBytes(dir.resolve("cat_gradcam_map.npy"));
    String header = new String(npy, 10, npy[8] & 0xFF, java.nio.charset.StandardCharsets.US_ASCII);
    assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (224, 224)"),
        header);
    FloatTensor map = Npy.read(dir.resolve("cat_gradcam_map.npy"));
    assertArrayEquals(cat.inputMap().values(), map.toArray(), 0f);
    FloatTensor raw = Npy.read(dir.resolve("cat_gradcam_raw.npy"));
    assertArrayEquals(new long[] {7, 7}, raw.shape());
    assertArrayEquals(cat.rawMap(cat.layers().get(0)).toArray(), raw.toArray(), 0f);

    JsonNode json = new ObjectMapper().readTree(
        dir.resolve("cat_gradcam_manifest.json").toFile());
    assertEquals(Sha256.of(MODEL), json.at("/model/sha256").asText());
    assertEquals(64, json.at("/model/sha256").asText().length());
    assertEquals(MODEL.toString(), json.at("/model/path").asText());
    assertEquals(Preprocessing.INCEPTION, Preprocessing.parse(json.at("/preprocessing").asText()));
    assertEquals("gradcam", json.at("/method").asText());
    assertEquals("MobilenetV2/Conv_1/Relu6", json.at("/layers/0").asText());
    assertEquals("nchw 1280x7x7", json.at("/layerLayouts/MobilenetV2~1Conv_1~1Relu6").asText());
    assertEquals(286, json.at("/target/index").asInt());
    assertEquals("top", json.at("/target/requested").asText());
    assertEquals(5, json.at("/predictions").size());
    assertEquals(286, json.at("/predictions/0/index").asInt());
    assertEquals(512, json.at("/image/width").asInt());
    assertEquals("cat_gradcam_overlay.png", json.at("/files/overlay").asText());
    assertFalse(json.at("/cam4jVersion").asText().isEmpty());
    assertFalse(json.at("/onnxRuntimeVersion").asText().isEmpty());
    assertTrue(json.at("/timingsMs/inference").asDouble() > 0);
    assertEquals(saved, Manifest.fromJson(Files.readString(
        dir.resolve("cat_gradcam_manifest.json"))));
  }

  @Test
  void aFailedSaveLeavesNoPartialSet(@TempDir Path dir) throws Exception {
    // the 3rd file of the set (the map) cannot replace a non-empty folder of the same name:
    // overlay and heatmap are already in place by then and must be removed again
    Path blocker = Files.createDirectory(dir.resolve("cat_gradcam_map.npy"));
    Files.writeString(blocker.resolve("keep"), "not ours");
    assertThrows(ResourceUnavailableException.class, () -> cat.save(dir));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(blocker), left.toList());
    }
    Files.delete(blocker.resolve("keep"));
    Files.delete(blocker);
    Manifest saved = cat.save(dir);
    try (Stream<Path> written = Files.list(dir)) {
      assertEquals(saved.files().size(), written.count());
    }
  }

  @Test
  void namedClassAndAllLayers(@TempDir Path dir) throws Exception {
    Explanation tabby = explainer.explain(CAT, ExplainOptions.builder()
        .target(Target.parse("tabby")).allLayers(true).build());
    assertEquals(282, tabby.target().index());
    assertEquals(11, tabby.layers().size(), "10 residual blocks and the last conv block");
    assertEquals("MobilenetV2/Conv_1/Relu6", tabby.layers().get(10));
    BufferedImage strip = tabby.layerStrip(100);
    assertEquals(100 + Math.max(0, strip.getHeight() - 100), strip.getHeight());
    assertTrue(strip.getWidth() >= 12 * 150, "12 tiles of 150 px: " + strip.getWidth());
    Manifest saved = tabby.save(dir);
    assertTrue(Files.exists(dir.resolve("cat_gradcam_layers.png")));
    assertTrue(Files.exists(dir.resolve("cat_gradcam_layer10_MobilenetV2-Conv_1-Relu6_raw.npy")));
    assertEquals("cat_gradcam_layer03_" + tabby.layers().get(3).replace('/', '-')
        + "_overlay.png", saved.files().get("layer03_overlay"));
    // sorted by name, the per-layer overlays come in graph order (layer10 after layer09)
    List<String> overlays;
    try (Stream<Path> files = Files.list(dir)) {
      overlays = files.map(p -> p.getFileName().toString())
          .filter(n -> n.contains("_layer") && n.endsWith("_overlay.png")).sorted().toList();
    }
    assertEquals(11, overlays.size());
    for (int i = 0; i < 11; i++) {
      assertEquals(saved.files().get(String.format("layer%02d_overlay", i)), overlays.get(i));
    }
    BufferedImage layer3 = ImageIO.read(dir.resolve(overlays.get(3)).toFile());
    assertEquals(tabby.photo().getWidth(), layer3.getWidth());
    assertEquals("gradcampp", Explanation.fileName("gradcam++"), "method names safe in files");
  }

  @Test
  void pixelAttributionMethodsExplainTheInput() {
    Explanation saliency = explainer.explain(CAT, ExplainOptions.builder().method("saliency")
        .build());
    assertEquals(List.of("input"), saliency.layers());
    assertArrayEquals(new long[] {224, 224}, saliency.rawMap("input").shape());
    assertEquals(512, saliency.photoMap().width());
    assertEquals(286, saliency.target().index());
    float max = 0;
    for (float v : saliency.inputMap().values()) {
      assertTrue(v >= 0 && v <= 1);
      max = Math.max(max, v);
    }
    assertEquals(1f, max, 0f);
  }
}

package org.cam4j.server;

import static org.cam4j.server.Fixtures.cat;
import static org.cam4j.server.Fixtures.decode;
import static org.cam4j.server.Fixtures.decodeBase64;
import static org.cam4j.server.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.cam4j.render.Colormap;
import org.cam4j.server.Fixtures.Answer;
import org.cam4j.server.Fixtures.Multipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the page colours itself: the map as colormap indices (coloured with a server table it
 * is the server's heatmap picture), each layer's tile with allLayers, and several methods
 * compared in one request.
 */
class MapPayloadTest {
  private static Cam4jServer server;
  private static String base;

  @BeforeAll
  static void start() {
    server = Cam4jServer.start(ServerConfig.builder().port(0).build(), Fixtures.registry());
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Answer explain(Multipart form) {
    return Fixtures.settled(base, post(base, "/api/explain", form));
  }

  private static byte[] indices(JsonNode map) {
    byte[] data = Base64.getDecoder().decode(map.path("data").asText());
    assertEquals(map.path("width").asInt() * map.path("height").asInt(), data.length);
    return data;
  }

  /** Pixels of {@code picture} that are not {@code colormap}'s entry for the map's index. */
  private static int offTable(JsonNode map, BufferedImage picture, Colormap colormap) {
    byte[] data = indices(map);
    int width = map.path("width").asInt();
    int wrong = 0;
    for (int y = 0; y < picture.getHeight(); y++) {
      for (int x = 0; x < width; x++) {
        if ((picture.getRGB(x, y) & 0xFFFFFF) != colormap.entry(data[y * width + x] & 0xFF)) {
          wrong++;
        }
      }
    }
    return wrong;
  }

  @Test
  void theMapColouredWithTheServerTableIsTheHeatmapPicture() {
    for (Colormap c : List.of(Colormap.JET, Colormap.INFERNO)) {
      Answer a = explain(new Multipart().image(cat()).field("colormap", c.name().toLowerCase()));
      assertEquals(200, a.status(), a.toString());
      JsonNode map = a.json().path("map");
      BufferedImage heat = decodeBase64(a.json().path("images").path("heatmap").asText());
      assertEquals(heat.getWidth(), map.path("width").asInt());
      assertEquals(heat.getHeight(), map.path("height").asInt());
      assertEquals(0, offTable(map, heat, c), c + ": pixels off the table");
      byte[] data = indices(map);
      int max = 0;
      for (byte b : data) {
        max = Math.max(max, b & 0xFF);
      }
      assertEquals(255, max, "a normalised map reaches 1 somewhere");
      assertTrue(a.json().path("rawMax").asDouble() > 0, a.toString());
    }
  }

  @Test
  void allLayersSendsEachLayersTile() {
    Answer a = explain(new Multipart().image(cat()).field("allLayers", "true"));
    assertEquals(200, a.status(), a.toString());
    List<String> layers = new ArrayList<>();
    a.json().path("layers").forEach(n -> layers.add(n.asText()));
    JsonNode tiles = a.json().path("layerMaps");
    assertEquals(layers.size(), tiles.size());
    BufferedImage photo = decode(cat());
    int tileWidth = (int) Math.round(photo.getWidth() * 160.0 / photo.getHeight());
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < tiles.size(); i++) {
      JsonNode t = tiles.get(i);
      assertEquals(layers.get(i), t.path("layer").asText(), "graph order");
      assertEquals(160, t.path("map").path("height").asInt());
      assertEquals(tileWidth, t.path("map").path("width").asInt());
      assertTrue(t.path("mapWidth").asInt() >= 7, t.toString().substring(0, 80));
      seen.add(Arrays.toString(indices(t.path("map"))));
    }
    assertEquals(seen.size(), seen.stream().distinct().count(), "each layer has its own map");
  }

  @Test
  void severalMethodsAreComparedInOneRequest() {
    Answer a = explain(new Multipart().image(cat()).field("methods", "layercam, gradcam"));
    assertEquals(200, a.status(), a.toString());
    JsonNode list = a.json().path("comparison");
    assertEquals(2, list.size());
    assertEquals("layercam", list.get(0).path("method").asText());
    assertEquals("gradcam", list.get(1).path("method").asText());
    for (JsonNode e : list) {
      assertEquals("Egyptian cat", e.path("target").path("label").asText());
    }
    assertFalse(list.get(0).path("map").path("data").asText()
        .equals(list.get(1).path("map").path("data").asText()), "the methods' maps differ");

    Answer single = explain(new Multipart().image(cat()).field("method", "gradcam"));
    assertEquals(single.json().path("map").path("data").asText(),
        list.get(1).path("map").path("data").asText(), "a compared map is the method's own");

    Answer unknown = post(base, "/api/explain", new Multipart().image(cat())
        .field("methods", "gradcam,nosuchcam"));
    assertEquals(400, unknown.status(), unknown.toString());
    assertTrue(unknown.error().contains("nosuchcam"), unknown.error());
  }

  @Test
  void aComparisonsLayerIsForItsLayerMethods() {
    JsonNode blocks = Fixtures.get(base, "/api/models/" + Fixtures.MODEL_ID + "/layers").json()
        .path("blockOutputs");
    String layer = blocks.path(blocks.size() - 4).asText();
    Answer mixed = explain(new Multipart().image(cat()).field("methods", "saliency,gradcam")
        .field("layer", layer));
    assertEquals(200, mixed.status(), mixed.toString());
    JsonNode list = mixed.json().path("comparison");
    assertEquals(2, list.size());
    assertEquals(layer, list.get(1).path("layers").get(0).asText(), "gradcam at the layer asked");
    assertFalse(layer.equals(list.get(0).path("layers").get(0).asText()),
        "saliency explains the input, not the layer: " + list.get(0).path("layers"));

    Answer inputOnly = post(base, "/api/explain", new Multipart().image(cat())
        .field("methods", "saliency,guided-backprop").field("layer", layer));
    assertEquals(400, inputOnly.status(), inputOnly.toString());
    assertTrue(inputOnly.error().contains("explain the input pixels"), inputOnly.error());
    assertTrue(inputOnly.suggestions().contains("gradcam"), inputOnly.toString());
  }

  @Test
  void anUnknownClassNamesTheLabelsFileNotItsFolder() {
    Answer a = post(base, "/api/explain", new Multipart().image(cat())
        .field("class", "no such creature"));
    assertEquals(400, a.status(), a.toString());
    assertTrue(a.error().contains("imagenet_labels_1001.txt"), a.error());
    assertFalse(a.error().contains(Fixtures.shared("labels").toString()), a.error());
  }
}

package org.cam4j.server;

import static org.cam4j.server.Fixtures.cat;
import static org.cam4j.server.Fixtures.get;
import static org.cam4j.server.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.List;
import org.cam4j.explain.Explainer;
import org.cam4j.server.Fixtures.Answer;
import org.cam4j.server.Fixtures.Multipart;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer layout override over HTTP, as the CLI's --layer-layout, --grid and --prefix-tokens:
 * the fields layerLayout, grid and prefixTokens, against a real server serving the shared ViT,
 * whose default layer holds tokens [1, 1+14x14, 192].
 */
class LayoutApiTest {
  private static final String LAYER = "onnx::Transpose_382";
  private static Cam4jServer server;
  private static String base;

  @BeforeAll
  static void start() {
    ServedModels models = new ServedModels();
    models.add("vit", Explainer.builder(Fixtures.shared("models/random/vit_tiny_random.onnx"))
        .build());
    server = Cam4jServer.start(ServerConfig.builder().port(0).build(), models);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Answer explain(Multipart form) {
    return Fixtures.settled(base, post(base, "/api/explain", form));
  }

  private static Multipart vitForm() {
    return new Multipart().image(cat()).field("model", "vit").field("class", "588");
  }

  @Test
  void theLayerListShowsTheTokenLayout() {
    Answer a = get(base, "/api/models/vit/layers");
    assertEquals(200, a.status(), a.toString());
    assertEquals(LAYER, a.json().path("default").asText());
    a.json().path("layers").forEach(l -> {
      if (l.path("default").asBoolean()) {
        assertEquals("tokens 1+14x14", l.path("layout").asText());
      }
    });
  }

  /**
   * Each form of the override reads the 197 tokens as the inferred layout does (1+14x14), so
   * the raw map is the inferred one's, bit for bit (the same run), and the manifest says so.
   */
  @Test
  void theOverrideIsAppliedAndRecorded() {
    Answer inferred = explain(vitForm());
    assertEquals(200, inferred.status(), inferred.toString());
    assertEquals("tokens 1+14x14",
        inferred.json().path("manifest").path("layerLayouts").path(LAYER).asText());
    FloatTensor expected = raw(inferred.json());
    assertArrayEquals(new long[] {14, 14}, expected.shape());
    List<Multipart> forms = List.of(
        vitForm().field("layerLayout", "tokens").field("grid", "14x14").field("prefixTokens", "1"),
        vitForm().field("grid", "14x14"),
        vitForm().field("layerLayout", "TOKENS").field("prefixTokens", "1"));
    for (Multipart form : forms) {
      Answer a = explain(form);
      assertEquals(200, a.status(), a.toString());
      assertEquals("tokens 1+14x14",
          a.json().path("manifest").path("layerLayouts").path(LAYER).asText());
      assertArrayEquals(expected.toArray(), raw(a.json()).toArray(), 0f);
    }
    // as a query parameter too: no prefix count leaves 197 tokens a square, so this is refused,
    // which the inferred layout never is
    Answer query = Fixtures.settled(base, post(base, "/api/explain?prefixTokens=0", vitForm()));
    assertError(query, 400);
  }

  @Test
  void badLayoutFieldsAre400() {
    Answer unknown = explain(vitForm().field("layerLayout", "chw"));
    assertError(unknown, 400);
    assertEquals(List.of("nchw", "nhwc", "tokens"), unknown.suggestions());
    for (String grid : List.of("14", "14x", "axb", "0x14", "14x14x3")) {
      assertError(explain(vitForm().field("grid", grid)), 400);
    }
    for (String prefix : List.of("-1", "one", "1.5", "99999")) {
      assertError(explain(vitForm().field("prefixTokens", prefix)), 400);
    }
    // a grid belongs to tokens only
    assertError(explain(vitForm().field("layerLayout", "nchw").field("grid", "14x14")), 400);
    // the fields fit the layer's shape [1, 197, 192] or are refused before any work
    Answer notFour = explain(vitForm().field("layerLayout", "nchw"));
    assertError(notFour, 400);
    assertTrue(notFour.error().contains(LAYER), notFour.error());
    assertError(explain(vitForm().field("grid", "15x15")), 400);
    assertError(explain(vitForm().field("grid", "14x14").field("prefixTokens", "2")), 400);
    // pixel methods take no layer, so no layout either
    assertError(explain(vitForm().field("method", "saliency").field("layerLayout", "tokens")),
        400);
  }

  private static FloatTensor raw(JsonNode explanation) {
    return Npy.parse(Base64.getDecoder().decode(explanation.path("raw").path(LAYER).asText()),
        "the raw map");
  }

  private static void assertError(Answer a, int status) {
    assertEquals(status, a.status(), a.toString());
    assertTrue(a.error() != null && !a.error().isBlank(), a.toString());
    assertTrue(a.json().path("suggestions").isArray(), a.toString());
  }
}

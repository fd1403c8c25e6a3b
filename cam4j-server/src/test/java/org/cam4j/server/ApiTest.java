package org.cam4j.server;

import static org.cam4j.server.Fixtures.MODEL_ID;
import static org.cam4j.server.Fixtures.cat;
import static org.cam4j.server.Fixtures.decode;
import static org.cam4j.server.Fixtures.decodeBase64;
import static org.cam4j.server.Fixtures.get;
import static org.cam4j.server.Fixtures.meanDifference;
import static org.cam4j.server.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.cam4j.method.Methods;
import org.cam4j.server.Fixtures.Answer;
import org.cam4j.server.Fixtures.Multipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every endpoint and every error, against a real server on a free loopback port. */
class ApiTest {
  private static Cam4jServer server;
  private static String base;
  private static BufferedImage catPhoto;

  @BeforeAll
  static void start() {
    server = Cam4jServer.start(ServerConfig.builder().port(0).build(), Fixtures.registry());
    base = "http://127.0.0.1:" + server.port();
    catPhoto = decode(cat());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * The explanation, whichever way the server delivers it: at once (200) or, when its job-wait
   * timer fires first on a slow machine, as a job (202) that {@link Fixtures#settled} polls.
   */
  private static Answer explain(Multipart form) {
    return Fixtures.settled(base, post(base, "/api/explain", form));
  }

  private static Multipart catForm() {
    return new Multipart().image(cat());
  }

  private static void assertError(Answer a, int status) {
    assertEquals(status, a.status(), a.toString());
    assertNotNull(a.json(), "error bodies are JSON: " + a);
    assertFalse(a.error().isBlank(), a.toString());
    assertTrue(a.json().path("suggestions").isArray(), a.toString());
  }

  @Test
  void bindsToLoopbackByDefault() {
    assertEquals("127.0.0.1", ServerConfig.defaults().host());
    assertEquals(8080, ServerConfig.defaults().port());
    assertEquals(20L * 1024 * 1024, ServerConfig.defaults().maxUploadBytes());
    assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
  }

  @Test
  void health() {
    Answer a = get(base, "/api/health");
    assertEquals(200, a.status(), a.toString());
    assertEquals("ok", a.json().path("status").asText());
    assertEquals(MODEL_ID, a.json().path("models").path(0).asText());
    assertEquals(20L * 1024 * 1024, a.json().path("limits").path("maxUploadBytes").asLong());
    assertTrue(a.json().path("workers").asInt() >= 1);
  }

  @Test
  void modelsListMethodsAndColormaps() {
    Answer a = get(base, "/api/models");
    assertEquals(200, a.status(), a.toString());
    JsonNode m = a.json().path("models").path(0);
    assertEquals(MODEL_ID, m.path("id").asText());
    assertEquals(1001, m.path("classes").asInt());
    assertEquals("mobilenet_v2_1.0_224_dequant.onnx", m.path("file").asText());
    assertEquals("[1,3,224,224]", m.path("input").toString());
    List<String> methods = new ArrayList<>();
    a.json().path("methods").forEach(n -> methods.add(n.asText()));
    assertEquals(Methods.names(), methods);
    assertTrue(a.json().path("colormaps").toString().contains("viridis"));
  }

  @Test
  void layersMarkTheDefault() {
    Answer a = get(base, "/api/models/" + MODEL_ID + "/layers");
    assertEquals(200, a.status(), a.toString());
    String def = a.json().path("default").asText();
    List<String> marked = new ArrayList<>();
    a.json().path("layers").forEach(l -> {
      // a CNN's maps are NCHW: the layout repeats the shape's C, h, w
      JsonNode s = l.path("shape");
      assertEquals("nchw " + s.path(1).asLong() + "x" + s.path(2).asLong() + "x"
          + s.path(3).asLong(), l.path("layout").asText());
      if (l.path("default").asBoolean()) {
        marked.add(l.path("name").asText());
      }
    });
    assertEquals(List.of(def), marked);
    JsonNode blocks = a.json().path("blockOutputs");
    assertTrue(blocks.size() > 5, blocks.toString());
    assertEquals(def, blocks.path(blocks.size() - 1).asText());
  }

  @Test
  void labelsForClassSearch() {
    Answer a = get(base, "/api/models/" + MODEL_ID + "/labels");
    assertEquals(200, a.status(), a.toString());
    assertEquals(1001, a.json().path("labels").size());
    assertEquals("Egyptian cat", a.json().path("labels").path(286).path("name").asText());
  }

  @Test
  void unknownModelIs404WithSuggestions() {
    Answer a = get(base, "/api/models/mobilenet_v2/layers");
    assertError(a, 404);
    assertEquals(List.of(MODEL_ID), a.suggestions());
    assertError(get(base, "/api/models/nope/labels"), 404);
    Answer form = explain(catForm().field("model", "mobilenet-v2"));
    assertError(form, 404);
    assertEquals(List.of(MODEL_ID), form.suggestions());
  }

  @Test
  void aModelIsNeverNamedByPath() {
    String path = Fixtures.shared("models/mobilenet_v2_1.0_224_dequant.onnx").toString();
    assertError(post(base, "/api/classify", catForm().field("model", path)), 404);
    assertError(post(base, "/api/classify", catForm().field("model", "../models/x.onnx")), 404);
  }

  @Test
  void classifyCat() {
    Answer a = post(base, "/api/classify", catForm());
    assertEquals(200, a.status(), a.toString());
    JsonNode top = a.json().path("predictions").path(0);
    assertEquals(286, top.path("index").asInt());
    assertEquals("Egyptian cat", top.path("label").asText());
    assertEquals(0.818, top.path("probability").asDouble(), 0.01);
    assertEquals(5, a.json().path("predictions").size());
    assertEquals(3, post(base, "/api/classify", catForm().field("top", "3")).json()
        .path("predictions").size());
  }

  @Test
  void explainCat() throws Exception {
    Answer a = explain(catForm());
    assertEquals(200, a.status(), a.toString());
    JsonNode j = a.json();
    assertEquals(286, j.path("target").path("index").asInt());
    assertEquals("Egyptian cat", j.path("target").path("label").asText());
    assertEquals("Egyptian cat", j.path("predictions").path(0).path("label").asText());
    assertEquals("gradcam", j.path("method").asText());
    BufferedImage overlay = decodeBase64(j.path("images").path("overlay").asText());
    assertEquals(512, overlay.getWidth());
    assertEquals(341, overlay.getHeight());
    assertTrue(meanDifference(overlay, catPhoto) > 10, "the overlay differs from the photo");
    BufferedImage heat = decodeBase64(j.path("images").path("heatmap").asText());
    assertEquals(512, heat.getWidth());
    assertFalse(j.path("images").has("layers"));
    // raw map: a float32 .npy of the feature map (7x7 at the default layer)
    String layer = j.path("layers").path(0).asText();
    byte[] npy = Base64.getDecoder().decode(j.path("raw").path(layer).asText());
    assertEquals("\u0093NUMPY", new String(npy, 0, 6, StandardCharsets.ISO_8859_1));
    String header = new String(npy, 10, npy.length - 10, StandardCharsets.ISO_8859_1);
    assertTrue(header.contains("'descr': '<f4'") && header.contains("(7, 7)"), header);
    int headerLen = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    assertEquals(10 + headerLen + 49 * 4, npy.length);
    JsonNode manifest = j.path("manifest");
    assertEquals("gradcam", manifest.path("method").asText());
    assertEquals(286, manifest.path("target").path("index").asInt());
    assertEquals("cat.png", manifest.path("image").path("source").asText());
  }

  @Test
  void everyMethodExplains() {
    // Deterministic: explain() accepts the synchronous 200 and the 202-then-poll path alike
    // and checks the same final answer, so a slow method (Score-CAM on a busy machine) that
    // outlasts the job-wait timer no longer fails the test.
    // attention-rollout needs a transformer; this model is a CNN (AttentionRolloutTest covers it)
    for (String method : Methods.names().stream().filter(m -> !m.equals("attention-rollout"))
        .toList()) {
      Answer a = explain(catForm().field("method", method));
      assertEquals(200, a.status(), method + ": " + a);
      assertEquals(method, a.json().path("method").asText());
      assertEquals(286, a.json().path("target").path("index").asInt(), method);
    }
  }

  @Test
  void layerChoiceChangesTheMap() {
    JsonNode layers = get(base, "/api/models/" + MODEL_ID + "/layers").json();
    JsonNode blocks = layers.path("blockOutputs");
    String early = blocks.path(blocks.size() - 4).asText();
    Answer def = explain(catForm());
    Answer other = explain(catForm().field("layer", early));
    assertEquals(200, other.status(), other.toString());
    assertEquals(early, other.json().path("layers").path(0).asText());
    double diff = meanDifference(decodeBase64(def.json().path("images").path("overlay").asText()),
        decodeBase64(other.json().path("images").path("overlay").asText()));
    assertTrue(diff > 1, "another layer, another map: " + diff);
  }

  @Test
  void classByNameOrIndex() {
    Answer byName = explain(catForm().field("class", "tabby"));
    assertEquals(200, byName.status(), byName.toString());
    assertEquals(282, byName.json().path("target").path("index").asInt());
    assertEquals("tabby", byName.json().path("target").path("label").asText());
    Answer byIndex = explain(catForm().field("class", "282"));
    assertEquals(282, byIndex.json().path("target").path("index").asInt());
    assertEquals(byName.json().path("images").path("overlay").asText(),
        byIndex.json().path("images").path("overlay").asText());
  }

  @Test
  void allLayersGivesTheStrip() {
    Answer a = explain(catForm().field("allLayers", "true"));
    assertEquals(200, a.status(), a.toString());
    List<String> blocks = new ArrayList<>();
    get(base, "/api/models/" + MODEL_ID + "/layers").json().path("blockOutputs")
        .forEach(n -> blocks.add(n.asText()));
    List<String> explained = new ArrayList<>();
    a.json().path("layers").forEach(n -> explained.add(n.asText()));
    assertEquals(blocks, explained);
    BufferedImage strip = decodeBase64(a.json().path("images").path("layers").asText());
    assertTrue(strip.getWidth() > strip.getHeight() * 3, strip.getWidth() + "x"
        + strip.getHeight());
    assertEquals(blocks.size(), a.json().path("raw").size());
  }

  @Test
  void alphaAndColormap() {
    Answer none = explain(catForm().field("alpha", "0"));
    assertEquals(0.0, meanDifference(decodeBase64(none.json().path("images").path("overlay")
        .asText()), catPhoto), 1e-9, "alpha 0 is the photo");
    Answer jet = explain(catForm());
    Answer viridis = explain(catForm().field("colormap", "viridis"));
    assertEquals("viridis", viridis.json().path("manifest").path("render").path("colormap")
        .asText());
    assertTrue(meanDifference(decodeBase64(jet.json().path("images").path("heatmap").asText()),
        decodeBase64(viridis.json().path("images").path("heatmap").asText())) > 10);
  }

  @Test
  void asyncExplainGivesAJobToPoll() throws Exception {
    Answer a = post(base, "/api/explain", catForm().field("async", "true"));
    assertEquals(202, a.status(), a.toString());
    String href = a.json().path("href").asText();
    assertEquals(href, a.header("Location"));
    Answer done = Fixtures.settled(base, a);
    assertEquals(200, done.status(), done.toString());
    assertEquals(286, done.json().path("target").path("index").asInt());
    assertError(get(base, "/api/jobs/0123456789abcdef01234567"), 404);
  }

  @Test
  void unknownLayerIs400WithSuggestions() {
    Answer a = explain(catForm().field("layer", "expanded_conv_99"));
    assertError(a, 400);
    assertEquals(5, a.suggestions().size(), a.toString());
    assertTrue(a.error().contains("unknown layer"), a.error());
  }

  @Test
  void unknownClassIs400WithSuggestions() {
    Answer a = explain(catForm().field("class", "tabbby"));
    assertError(a, 400);
    assertTrue(a.suggestions().contains("tabby"), a.toString());
    Answer ambiguous = explain(catForm().field("class", "cat"));
    assertError(ambiguous, 400);
    assertTrue(ambiguous.suggestions().size() > 1, ambiguous.toString());
    assertError(explain(catForm().field("class", "5000")), 400);
  }

  @Test
  void badFieldsAre400() {
    Answer method = explain(catForm().field("method", "gradcam+++"));
    assertError(method, 400);
    assertEquals(Methods.names(), method.suggestions());
    Answer colormap = explain(catForm().field("colormap", "rainbow"));
    assertError(colormap, 400);
    assertTrue(colormap.suggestions().contains("jet"));
    assertError(explain(catForm().field("alpha", "2")), 400);
    assertError(explain(catForm().field("alpha", "NaN")), 400);
    assertError(explain(catForm().field("top", "0")), 400);
    assertError(explain(catForm().field("allLayers", "maybe")), 400);
    assertError(explain(catForm().field("layer", "a,b,c,d,e,f,g,h,i")), 400);
  }

  @Test
  void notAnImageIs400() {
    Answer text = explain(new Multipart().file("image", "notes.png", "image/png",
        "hello, I am not a picture".getBytes(StandardCharsets.UTF_8)));
    assertError(text, 400);
    assertTrue(text.error().contains("not an image"), text.error());
    Answer empty = post(base, "/api/classify", new Multipart().file("image", "e.png",
        "image/png", new byte[0]));
    assertError(empty, 400);
  }

  @Test
  void corruptImageIs400() {
    byte[] truncated = Arrays.copyOf(cat(), 3000);
    Answer a = post(base, "/api/classify", new Multipart().image(truncated));
    assertError(a, 400);
    Answer b = explain(new Multipart().image(truncated));
    assertError(b, 400);
  }

  @Test
  void decompressionBombIsRefusedBeforeDecoding() {
    byte[] bomb = Bombs.png(20_000); // 400 megapixels in about 60 KB
    assertTrue(bomb.length < 200_000, "bomb size " + bomb.length);
    Runtime rt = Runtime.getRuntime();
    Answer a = explain(new Multipart().file("image", "bomb.png", "image/png", bomb));
    assertError(a, 400);
    assertTrue(a.error().contains("too large") && a.error().contains("megapixels"), a.error());
    // decoding it would take 400 M pixels (1.6 GB as RGB); the header check refuses it first
    // (no wall-time check here: the bench measures speed, tests never do)
    assertTrue(rt.totalMemory() - rt.freeMemory() < 1_500_000_000L);
  }

  @Test
  void missingImageOrNotMultipartIs400() {
    assertError(explain(new Multipart().field("method", "gradcam")), 400);
    Answer json = Fixtures.send(HttpRequest.newBuilder(URI.create(base + "/api/explain"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"image\": \"cat.png\"}")).build());
    assertError(json, 400);
    assertTrue(json.error().contains("multipart"), json.error());
  }

  @Test
  void oversizedUploadIs413() {
    byte[] big = new byte[20 * 1024 * 1024 + 1];
    System.arraycopy(cat(), 0, big, 0, cat().length);
    Multipart form = new Multipart().file("image", "big.png", "image/png", big);
    // with Expect: 100-continue the body is refused before it is sent
    Answer early = Fixtures.send(HttpRequest.newBuilder(URI.create(base + "/api/explain"))
        .header("Content-Type", form.contentType()).expectContinue(true)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
    assertError(early, 413);
    // a chunked body (no length declared) is cut off by the multipart limits
    Answer chunked = Fixtures.send(HttpRequest.newBuilder(URI.create(base + "/api/classify"))
        .header("Content-Type", form.contentType())
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(form.bytes()))).build());
    assertError(chunked, 413);
    // a photo just under the limit is taken (PNG ignores what follows its end)
    byte[] under = Arrays.copyOf(big, 20 * 1024 * 1024 - 100);
    Answer ok = post(base, "/api/classify", new Multipart().file("image", "u.png", "image/png",
        under));
    assertEquals(200, ok.status(), ok.toString());
    assertEquals(286, ok.json().path("predictions").path(0).path("index").asInt());
  }

  @Test
  void uploadNamesNeverBecomePaths() {
    String name = "cam4j-" + UUID.randomUUID() + ".png";
    Path target = Path.of(System.getProperty("java.io.tmpdir"), name);
    Answer a = explain(new Multipart().file("image", "../../../../../../tmp/" + name,
        "image/png", cat()));
    assertEquals(200, a.status(), a.toString());
    assertEquals(name, a.json().path("manifest").path("image").path("source").asText());
    assertFalse(Files.exists(target));
  }

  @Test
  void unknownEndpointIsJson404() {
    assertError(get(base, "/api/nothing"), 404);
    Answer wrongVerb = get(base, "/api/explain");
    assertEquals(405, wrongVerb.status(), wrongVerb.toString());
    assertEquals("POST", wrongVerb.header("Allow"));
    assertNotNull(wrongVerb.json());
  }

  @Test
  void openApiDocumentsEveryEndpoint() {
    Answer a = get(base, "/openapi.json");
    assertEquals(200, a.status());
    assertNotNull(a.json(), "served as application/json");
    JsonNode paths = a.json().path("paths");
    for (String p : List.of("/api/health", "/api/models", "/api/models/{id}/layers",
        "/api/models/{id}/labels", "/api/classify", "/api/explain", "/api/jobs/{id}")) {
      assertTrue(paths.has(p), "documents " + p);
    }
    JsonNode explain = paths.path("/api/explain").path("post");
    for (String status : List.of("400", "403", "405", "408", "413", "422", "503", "504")) {
      assertTrue(explain.path("responses").has(status), "explain documents " + status);
    }
    assertTrue(paths.path("/api/jobs/{id}").path("get").path("responses").has("422"));
    assertTrue(paths.path("/api/jobs/{id}").path("delete").path("responses").has("204"));
    // every path documents 405 for the methods it does not take
    paths.forEach(p -> p.forEach(op -> assertTrue(op.path("responses").has("405"), p
        .toString().substring(0, 60))));
    // the form fields are also documented as query parameters (the server takes both)
    List<String> query = new ArrayList<>();
    explain.path("parameters").forEach(q -> {
      if (q.path("in").asText().equals("query")) {
        query.add(q.path("name").asText());
      }
    });
    List<String> fields = new ArrayList<>();
    explain.path("requestBody").path("content").path("multipart/form-data").path("schema")
        .path("properties").fieldNames().forEachRemaining(fields::add);
    fields.remove("image");
    assertEquals(fields, query);
  }

  @Test
  void pageIsServedWithSecurityHeaders() throws Exception {
    Answer page = get(base, "/");
    assertEquals(200, page.status());
    String html = new String(page.response().body(), StandardCharsets.UTF_8);
    assertTrue(html.contains("<title>cam4j"), html.substring(0, 200));
    assertTrue(page.header("Content-Type").startsWith("text/html"));
    assertNotNull(page.header("Content-Security-Policy"));
    assertEquals("nosniff", page.header("X-Content-Type-Options"));
    assertEquals(200, get(base, "/app.js").status());
    assertEquals(200, get(base, "/app.css").status());
    // a path that climbs out of the page's folder (Jetty refuses it and drops the connection,
    // so it gets a client of its own)
    var client = java.net.http.HttpClient.newHttpClient();
    var escape = client.send(HttpRequest.newBuilder(URI.create(base + "/%2e%2e/pom.xml"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertTrue(escape.statusCode() == 400 || escape.statusCode() == 404, escape.toString());
    assertFalse(escape.body().contains("<project"));
  }

  @Test
  void classificationMatchesTheLibrary() {
    // the server answers what the library computes for the same photo
    try (var explainer = Fixtures.mobilenet()) {
      var expected = explainer.classify(explainer.imageLoader().load(cat(), "cat.png"), "cat",
          5);
      Answer a = post(base, "/api/classify", catForm());
      float[] want = new float[5];
      float[] got = new float[5];
      for (int i = 0; i < 5; i++) {
        want[i] = expected.predictions().get(i).probability();
        got[i] = (float) a.json().path("predictions").path(i).path("probability").asDouble();
      }
      assertArrayEquals(want, got, 1e-6f);
    }
  }
}

package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default model as a new user meets it: the packaged jar (what {@code ./cam4j}
 * runs) with no {@code --model}, downloads forbidden, an empty cache and a working folder that
 * holds nothing but the photo.
 */
class EmbeddedModelIT {
  private static final String SHA256 =
      "0e988c302ef9d4fedfb42c28f0a3cce629169a30aa02bcb6e91e9a894d48c8ff";

  @TempDir
  Path tmp;

  private ProcessBuilder cam4j(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-jar", Path.of("target", "cam4j-cli.jar").toAbsolutePath()
        .toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd).directory(tmp.toFile());
    builder.environment().putAll(Map.of("CAM4J_OFFLINE", "1",
        "CAM4J_CACHE", tmp.resolve("fresh-cache").toString()));
    return builder;
  }

  /** The model card gives cat.png 286 "Egyptian cat" p 0.818 (3 decimals, hence 1e-3). */
  @Test
  void explainWithoutModelUsesTheEmbeddedMobileNetV2Offline() throws Exception {
    Files.copy(CliProcessIT.shared("images/cat.png"), tmp.resolve("cat.png"));
    Process p = cam4j("explain", "cat.png").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), err);
    assertTrue(out.contains("Egyptian cat (286, 81.8%)"), out);

    Path results = tmp.resolve("cam4j-out");
    JsonNode manifest = new ObjectMapper().readTree(
        results.resolve("cat_gradcam_manifest.json").toFile());
    JsonNode top = manifest.at("/predictions/0");
    assertEquals(286, top.get("index").asInt());
    assertEquals("Egyptian cat", top.get("label").asText());
    assertEquals(0.818, top.get("probability").asDouble(), 1e-3);
    assertEquals(286, manifest.at("/target/index").asInt());
    assertEquals("mobilenetv2-embedded", manifest.at("/model/path").asText());
    assertEquals(SHA256, manifest.at("/model/sha256").asText());

    BufferedImage photo = ImageIO.read(tmp.resolve("cat.png").toFile());
    BufferedImage overlay = ImageIO.read(results.resolve("cat_gradcam_overlay.png").toFile());
    assertEquals(photo.getWidth(), overlay.getWidth());
    assertEquals(photo.getHeight(), overlay.getHeight());
    assertTrue(Files.isRegularFile(tmp.resolve("fresh-cache/embedded/"
        + "mobilenetv2-embedded-0e988c302ef9/mobilenetv2-embedded.onnx")), "copied to the cache");
  }

  @Test
  void serveWithoutModelServesTheEmbeddedModel() throws Exception {
    Process server = cam4j("serve", "--port", "0", "--workers", "1")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.UTF_8));
      String line = lines.readLine();
      assertNotNull(line, "serve printed nothing");
      Matcher m = Pattern.compile("serving mobilenetv2-embedded at (http://127\\.0\\.0\\.1:\\d+/)")
          .matcher(line);
      assertTrue(m.find(), line);
      String url = m.group(1);
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(url
          + "api/models")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, models.statusCode());
      JsonNode model = new ObjectMapper().readTree(models.body()).at("/models/0");
      assertEquals("mobilenetv2-embedded", model.get("id").asText(), models.body());
      assertEquals(1001, model.get("classes").asInt(), models.body());

      String boundary = "b0undary";
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\";"
          + " filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(Files.readAllBytes(CliProcessIT.shared("images/cat.png")));
      body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> classify = http.send(HttpRequest.newBuilder(URI.create(url
          + "api/classify")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, classify.statusCode(), classify.body());
      JsonNode top = new ObjectMapper().readTree(classify.body()).at("/predictions/0");
      assertEquals(286, top.get("index").asInt(), classify.body());
      assertEquals("Egyptian cat", top.get("label").asText());
      // the model card's 0.818, to its 3 decimals
      assertEquals(0.818, top.get("probability").asDouble(), 1e-3);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }
}

package org.cam4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.cam4j.explain.Explainer;
import org.cam4j.image.Preprocessing;

/** The test model, photos and a small HTTP client for the API tests. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL_ID = "mobilenet_v2_1.0_224_dequant";
  // no connect or request timeouts: a test must not fail because the machine is slow; the
  // server's own timeout (504) bounds every request that reaches a worker
  static final HttpClient HTTP = HttpClient.newBuilder()
      .build();

  private Fixtures() {
  }

  static Path shared(String relative) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("models"))) {
        return candidate.resolve(relative);
      }
      p = p.getParent();
    }
    throw new IllegalStateException("shared/ not found beside the project (tests need ../shared)");
  }

  /** MobileNetV2 with its preprocessing and the 1001 ImageNet labels. */
  static Explainer mobilenet() {
    return Explainer.builder(shared("models/mobilenet_v2_1.0_224_dequant.onnx"))
        .preprocessing(Preprocessing.parse("inception"))
        .labels(shared("labels/imagenet_labels_1001.txt")).build();
  }

  static ServedModels registry() {
    ServedModels r = new ServedModels();
    r.add(mobilenet());
    return r;
  }

  static byte[] cat() {
    return read(shared("images/cat.png"));
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage decode(byte[] png) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      if (image == null) {
        throw new IllegalStateException("not a picture");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage decodeBase64(String b64) {
    return decode(Base64.getDecoder().decode(b64));
  }

  /** Mean absolute difference per channel (0..255) of two same-sized pictures. */
  static double meanDifference(BufferedImage a, BufferedImage b) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      throw new AssertionError("sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs "
          + b.getWidth() + "x" + b.getHeight());
    }
    long sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          sum += Math.abs(((p >> s) & 255) - ((q >> s) & 255));
        }
      }
    }
    return sum / (3.0 * a.getWidth() * a.getHeight());
  }

  /** A multipart/form-data body. */
  static final class Multipart {
    private final String boundary = "cam4j-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Multipart field(String name, String value) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
          + "\"\r\n\r\n" + value + "\r\n");
      return this;
    }

    Multipart file(String name, String filename, String type, byte[] bytes) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
          + "\"; filename=\"" + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n");
      out.writeBytes(bytes);
      write("\r\n");
      return this;
    }

    Multipart image(byte[] bytes) {
      return file("image", "cat.png", "image/png", bytes);
    }

    byte[] bytes() {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      copy.writeBytes(out.toByteArray());
      copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return copy.toByteArray();
    }

    String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }

    private void write(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** An answer: status, headers and the body parsed as JSON (null when it is not JSON). */
  record Answer(int status, HttpResponse<byte[]> response, JsonNode json) {
    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    String error() {
      return json == null ? null : json.path("error").asText(null);
    }

    List<String> suggestions() {
      List<String> out = new ArrayList<>();
      json.path("suggestions").forEach(n -> out.add(n.asText()));
      return out;
    }

    @Override
    public String toString() {
      return status + " " + (json == null ? new String(response.body(), StandardCharsets.UTF_8)
          : json.toString().substring(0, Math.min(400, json.toString().length())));
    }
  }

  static Answer get(String base, String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  static Answer post(String base, String path, Multipart form) {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", form.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
  }

  /**
   * The final answer to an explain: {@code answer} itself, or, when the server handed out a job
   * (202; it does so when its job-wait timer fires first, which on a busy machine can happen to
   * any request), the job's answer once it is no longer running. The job always ends: the
   * server's timeout turns a job that runs too long into 504. So the outcome never depends on
   * which of the two paths the timer chose; the pause between polls only paces them.
   */
  static Answer settled(String base, Answer answer) {
    Answer a = answer;
    while (a.status() == 202) {
      String href = a.json().path("href").asText();
      pause();
      a = get(base, href);
    }
    return a;
  }

  /** Paces a polling loop that waits for a state (never a time limit). */
  static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Answer send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = null;
      String type = r.headers().firstValue("Content-Type").orElse("");
      if (type.startsWith("application/json")) {
        json = JSON.readTree(r.body());
      }
      return new Answer(r.statusCode(), r, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code cam4j serve} as a process: it listens on loopback, answers the API and stops cleanly. */
class ServeCommandIT {
  @Test
  void servesTheModelOnLoopbackAndRefusesABusyPort() throws Exception {
    Path model = CliProcessIT.shared("models/mobilenet_v2_1.0_224_dequant.onnx");
    Path labels = CliProcessIT.shared("labels/imagenet_labels_1001.txt");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "cam4j-cli.jar").toString(), "serve", "--port", "0",
        "--model", model.toString(), "--labels", labels.toString(), "--preprocess", "inception",
        "--workers", "1");
    Process server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.UTF_8));
      String line = out.readLine();
      assertNotNull(line, "serve printed nothing");
      Matcher m = Pattern.compile("at (http://127\\.0\\.0\\.1:(\\d+)/)").matcher(line);
      assertTrue(m.find(), line);
      String url = m.group(1);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url
          + "api/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertTrue(health.body().contains("mobilenet_v2_1.0_224_dequant"), health.body());

      String boundary = "b0undary";
      byte[] photo = Files.readAllBytes(CliProcessIT.shared("images/cat.png"));
      var body = new java.io.ByteArrayOutputStream();
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\";"
          + " filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(photo);
      body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> classify = http.send(HttpRequest.newBuilder(URI.create(url
          + "api/classify")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, classify.statusCode(), classify.body());
      assertTrue(classify.body().contains("\"index\":286,"), classify.body());

      CliProcessIT.Outcome busy = CliProcessIT.cam4j("serve", "--port", m.group(2), "--model",
          model.toString(), "--preprocess", "inception");
      assertEquals(3, busy.code(), busy.err());
      assertTrue(busy.err().contains("cannot listen on 127.0.0.1:" + m.group(2)), busy.err());
    } finally {
      server.destroy();
      // no time limit: stopping on SIGTERM is checked by this wait ending at all
      server.waitFor();
    }
  }
}

package org.cam4j.server;

import static org.cam4j.server.Fixtures.MODEL_ID;
import static org.cam4j.server.Fixtures.cat;
import static org.cam4j.server.Fixtures.get;
import static org.cam4j.server.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.cam4j.ResourceUnavailableException;
import org.cam4j.server.Fixtures.Answer;
import org.cam4j.server.Fixtures.Multipart;
import org.junit.jupiter.api.Test;

/**
 * The server under abuse (issue 15): slow uploads, work that outlives its request, hostile
 * hosts and origins, wrong methods, per-layer requests. Each test starts its own server on a
 * free loopback port. No outcome depends on wall time: states are awaited by polling
 * {@code /api/health} without a bound (each is reached for sure), work is held by latches, and
 * the one deadline (the short upload timeout) decides only when an outcome happens, not which.
 */
class HardeningTest {
  private static String base(Cam4jServer server) {
    return "http://127.0.0.1:" + server.port();
  }


  private static Answer health(Cam4jServer server) {
    return get(base(server), "/api/health");
  }

  private static void awaitHealth(Cam4jServer server, String field, int value) {
    while (health(server).json().path(field).asInt() != value) {
      Fixtures.pause();
    }
  }

  /** A POST whose multipart body is sent one byte at a time, on a raw connection. */
  private static final class Trickle implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final CompletableFuture<String> answer;

    Trickle(int port, int declaredLength) throws IOException {
      socket = new Socket("127.0.0.1", port);
      out = socket.getOutputStream();
      out.write(("POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
          + "Content-Type: multipart/form-data; boundary=slow\r\nContent-Length: "
          + declaredLength + "\r\n\r\n--slow\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      answer = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          return "";
        }
      });
    }

    /** Sends one more byte; false once the server has closed the connection. */
    boolean send() {
      try {
        out.write('x');
        out.flush();
        return true;
      } catch (IOException closed) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aTakenPortIsOneLineOfOursWithNoLogLinesBefore() throws Exception {
    PrintStream stderr = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServedModels models = Fixtures.registry()) {
      System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
      ResourceUnavailableException e = assertThrows(ResourceUnavailableException.class,
          () -> Cam4jServer.start(ServerConfig.builder().port(taken.getLocalPort()).build(),
              models));
      assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:"
          + taken.getLocalPort() + ": "), e.getMessage());
    } finally {
      System.setErr(stderr);
    }
    // Javalin's own "Failed to start Javalin" (slf4j-simple writes to System.err) is off
    assertEquals("", logged.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aSlowUploadHoldsNoPlaceAndIsCutOff() throws Exception {
    // one worker, no queue: before the fix the trickling upload held the only place
    try (Cam4jServer server = Cam4jServer.start(ServerConfig.builder().port(0).workers(1)
        .queueSize(0).uploadTimeout(Duration.ofDays(1)).build(), Fixtures.registry());
        Trickle slow = new Trickle(server.port(), 100_000)) {
      slow.send();
      awaitHealth(server, "uploading", 1);
      Answer other = post(base(server), "/api/classify", new Multipart().image(cat()));
      assertEquals(200, other.status(), other.toString());
      Answer h = health(server);
      assertEquals(1, h.json().path("uploading").asInt(), "the slow upload is still going");
      assertFalse(slow.answer.isDone(), "the slow upload has not been answered");
    }
    // with a short upload timeout, a client that never stops trickling is answered 408
    try (Cam4jServer server = Cam4jServer.start(ServerConfig.builder().port(0).workers(1)
        .queueSize(0).uploadTimeout(Duration.ofMillis(300)).build(), Fixtures.registry());
        Trickle slow = new Trickle(server.port(), 100_000)) {
      while (!slow.answer.isDone() && slow.send()) {
        Fixtures.pause(); // paces the bytes; the server decides when to stop
      }
      String answer = slow.answer.get();
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("upload took longer"), answer);
      awaitHealth(server, "uploading", 0);
      assertEquals(200, post(base(server), "/api/classify", new Multipart().image(cat()))
          .status());
    }
  }

  @Test
  void deletingAJobStopsItsWorkBetweenBatches() throws Exception {
    // the 3rd checkpoint is Score-CAM's first batch (1: the run starts, 2: the layer); it holds
    // the worker there until the test has deleted the job
    AtomicInteger checkpoints = new AtomicInteger();
    CountDownLatch inLoop = new CountDownLatch(1);
    CountDownLatch deleted = new CountDownLatch(1);
    Runnable probe = () -> {
      if (checkpoints.incrementAndGet() == 3) {
        inLoop.countDown();
        try {
          deleted.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (Cam4jServer server = Cam4jServer.start(ServerConfig.builder().port(0).workers(1)
        .queueSize(0).timeout(Duration.ofDays(1)).checkpointHook(probe).build(),
        Fixtures.registry())) {
      String base = base(server);
      Answer a = post(base, "/api/explain", new Multipart().image(cat())
          .field("method", "scorecam").field("async", "true"));
      assertEquals(202, a.status(), a.toString());
      String href = a.json().path("href").asText();
      inLoop.await();
      assertEquals(1, health(server).json().path("running").asInt());
      Answer gone = Fixtures.send(HttpRequest.newBuilder(URI.create(base + href)).DELETE()
          .build());
      assertEquals(204, gone.status(), gone.toString());
      deleted.countDown();
      awaitHealth(server, "running", 0);
      // Score-CAM at the default layer (1280 channels, batches of 32) passes 40 batch
      // checkpoints when it runs to the end; it stopped at the one it was held at
      assertEquals(3, checkpoints.get());
      assertEquals(404, get(base, href).status());
      // the only worker is free again
      Answer next = post(base, "/api/classify", new Multipart().image(cat()));
      assertEquals(200, next.status(), next.toString());
      assertEquals(0, health(server).json().path("jobs").asInt());
    }
  }

  @Test
  void aTimeoutStopsItsWorkBetweenBatches() throws Exception {
    // as above, the worker is held at Score-CAM's first batch, here until the client has its
    // 504; the timer decides only when that answer comes, the latch that the work outlives it
    AtomicInteger checkpoints = new AtomicInteger();
    CountDownLatch answered = new CountDownLatch(1);
    Runnable probe = () -> {
      if (checkpoints.incrementAndGet() == 3) {
        try {
          answered.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (Cam4jServer server = Cam4jServer.start(ServerConfig.builder().port(0).workers(1)
        .queueSize(0).timeout(Duration.ofMillis(500)).jobAfter(Duration.ofDays(1))
        .checkpointHook(probe).build(), Fixtures.registry())) {
      Answer a = post(base(server), "/api/explain", new Multipart().image(cat())
          .field("method", "scorecam"));
      assertEquals(504, a.status(), a.toString());
      answered.countDown();
      awaitHealth(server, "running", 0);
      assertEquals(3, checkpoints.get(), "stopped at the batch it was held at, of 40");
    }
  }

  /** A raw GET with the given Host and Origin headers (HttpClient will not set Host). */
  private static String rawGet(int port, String path, String host, String origin)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
          + (origin == null ? "" : "Origin: " + origin + "\r\n") + "Connection: close\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      s.getInputStream().transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  @Test
  void onlyTheServersOwnHostsAndOriginsAreAnswered() throws Exception {
    try (Cam4jServer server = Cam4jServer.start(ServerConfig.builder().port(0)
        .allowedHosts(List.of("cam.example")).allowedOrigins(List.of("https://app.example"))
        .build(), Fixtures.registry())) {
      int port = server.port();
      String self = "127.0.0.1:" + port;
      assertEquals(200, status(rawGet(port, "/api/health", self, null)));
      assertEquals(200, status(rawGet(port, "/api/health", "localhost:" + port, null)));
      assertEquals(200, status(rawGet(port, "/api/health", "[::1]:" + port, null)));
      assertEquals(200, status(rawGet(port, "/api/health", "cam.example", null)));
      // DNS rebinding: a page of rebound.example reaches this address under its own name
      String rebound = rawGet(port, "/api/models", "rebound.example:" + port, null);
      assertEquals(403, status(rebound), rebound);
      assertTrue(rebound.contains("--allowed-hosts"), rebound);
      // pages of other sites may not call the API; its own page and allowed origins may
      assertEquals(403, status(rawGet(port, "/api/health", self, "http://evil.example")));
      assertEquals(403, status(rawGet(port, "/api/health", self, "null")));
      assertEquals(200, status(rawGet(port, "/api/health", self, "http://" + self)));
      assertEquals(200, status(rawGet(port, "/api/health", self, "https://app.example")));
      // the browser's POST carries the Origin too
      Answer post = Fixtures.send(HttpRequest.newBuilder(URI.create(base(server)
          + "/api/classify")).header("Origin", "http://evil.example")
          .header("Content-Type", new Multipart().contentType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(new Multipart().image(cat()).bytes()))
          .build());
      assertEquals(403, post.status(), post.toString());
    }
  }

  @Test
  void answersNameNoServerPaths() throws Exception {
    try (Cam4jServer server = Cam4jServer.start(ServerConfig.builder().port(0).build(),
        Fixtures.registry())) {
      String base = base(server);
      String shared = Fixtures.shared("").toAbsolutePath().toString();
      Answer unknown = Fixtures.settled(base, post(base, "/api/explain",
          new Multipart().image(cat()).field("class", "zzqqxx")));
      assertEquals(400, unknown.status(), unknown.toString());
      assertFalse(unknown.json().toString().contains(shared), unknown.toString());
      assertTrue(unknown.error().contains("imagenet_labels_1001.txt"), unknown.error());
      Answer ok = Fixtures.settled(base, post(base, "/api/explain",
          new Multipart().image(cat())));
      assertEquals(200, ok.status(), ok.toString());
      assertEquals(MODEL_ID, ok.json().path("manifest").path("model").path("path").asText());
      assertFalse(ok.json().path("manifest").toString().contains(shared));
    }
  }

  @Test
  void wrongMethodsAre405WithAllow() throws Exception {
    try (Cam4jServer server = Cam4jServer.start(ServerConfig.builder().port(0).build(),
        Fixtures.registry())) {
      String base = base(server);
      Map<String, String> cases = Map.of("/api/explain", "POST", "/api/health", "GET",
          "/api/jobs/0123456789abcdef01234567", "GET, DELETE");
      for (Map.Entry<String, String> c : cases.entrySet()) {
        Answer a = Fixtures.send(HttpRequest.newBuilder(URI.create(base + c.getKey()))
            .method("PUT", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, a.status(), c.getKey() + ": " + a);
        assertEquals(c.getValue(), a.header("Allow"), c.getKey());
        assertTrue(a.error().contains("not allowed"), a.toString());
      }
      assertEquals(405, get(base, "/api/classify").status());
    }
  }

  @Test
  void methodAndLayerAreCheckedBeforeAJobIsMade() throws Exception {
    try (Cam4jServer server = Cam4jServer.start(ServerConfig.builder().port(0).build(),
        Fixtures.registry())) {
      String base = base(server);
      List<Multipart> bad = List.of(
          new Multipart().image(cat()).field("method", "saliency").field("layer", "auto2"),
          new Multipart().image(cat()).field("method", "smoothgrad")
              .field("layer", "expanded_conv_1/add:0"),
          new Multipart().image(cat()).field("method", "integrated-gradients")
              .field("allLayers", "true"),
          new Multipart().image(cat()).field("layer", "expanded_conv_99"));
      for (Multipart form : bad) {
        // async asks for a job at once: the request is refused before one is made
        Answer a = post(base, "/api/explain", form.field("async", "true"));
        assertEquals(400, a.status(), a.toString());
        assertFalse(a.suggestions().isEmpty(), a.toString());
      }
      assertEquals(0, health(server).json().path("jobs").asInt());
      // the input methods still explain without a layer
      Answer ok = Fixtures.settled(base, post(base, "/api/explain",
          new Multipart().image(cat()).field("method", "saliency")));
      assertEquals(200, ok.status(), ok.toString());
    }
  }

  @Test
  void distinctLayersGrowNoServerState() throws Exception {
    // the server keeps per request kind (method), never per layer: count what it keeps
    Set<String> kinds = ConcurrentHashMap.newKeySet();
    ServiceTimes averages = ServiceTimes.movingAverage(200);
    ServiceTimes counted = new ServiceTimes() {
      @Override
      public double expectedMillis(String kind) {
        kinds.add(kind);
        return averages.expectedMillis(kind);
      }

      @Override
      public void record(String kind, double millis) {
        kinds.add(kind);
        averages.record(kind, millis);
      }
    };
    try (Cam4jServer server = Cam4jServer.start(ServerConfig.builder().port(0).maxJobs(2)
        .serviceTimes(counted).build(), Fixtures.registry())) {
      String base = base(server);
      List<String> layers = new ArrayList<>();
      get(base, "/api/models/" + MODEL_ID + "/layers").json().path("layers")
          .forEach(l -> layers.add(l.path("name").asText()));
      assertTrue(layers.size() >= 12, layers.toString());
      for (String layer : layers.subList(layers.size() - 12, layers.size())) {
        Answer a = Fixtures.settled(base, post(base, "/api/explain", new Multipart()
            .image(cat()).field("layer", layer).field("async", "true")));
        assertEquals(200, a.status(), layer + ": " + a);
        assertEquals(layer, a.json().path("layers").path(0).asText());
      }
      Answer h = health(server);
      assertEquals(Set.of("gradcam"), kinds);
      assertTrue(h.json().path("jobs").asInt() <= 2, h.toString());
    }
  }
}

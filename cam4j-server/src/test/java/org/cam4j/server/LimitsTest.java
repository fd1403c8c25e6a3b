package org.cam4j.server;

import static org.cam4j.server.Fixtures.cat;
import static org.cam4j.server.Fixtures.get;
import static org.cam4j.server.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.cam4j.server.Fixtures.Answer;
import org.cam4j.server.Fixtures.Multipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounded pool: a full queue is 503 with Retry-After, a slow request is 504, a slow explain
 * becomes a job. One worker and one queue place; a hook holds the worker where a test needs it.
 */
class LimitsTest {
  private static final AtomicReference<Runnable> HOOK = new AtomicReference<>(() -> { });
  private static Cam4jServer server;
  private static String base;

  @BeforeAll
  static void start() {
    ServerConfig config = ServerConfig.builder().port(0).workers(1).queueSize(1)
        .timeout(Duration.ofSeconds(3)).jobAfter(Duration.ZERO)
        .taskHook(() -> HOOK.get().run()).build();
    server = Cam4jServer.start(config, Fixtures.registry());
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void noHook() {
    HOOK.set(() -> { });
  }

  private static CompletableFuture<Answer> classifyLater() {
    return CompletableFuture.supplyAsync(() -> post(base, "/api/classify",
        new Multipart().image(cat())));
  }

  private static void awaitLoad(int running, int waiting) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      Answer h = get(base, "/api/health");
      if (h.json().path("running").asInt() == running
          && h.json().path("waiting").asInt() == waiting) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the pool never reached " + running + " running, " + waiting
        + " waiting: " + get(base, "/api/health"));
  }

  @Test
  void fullQueueIs503WithRetryAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HOOK.set(() -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    CompletableFuture<Answer> first = classifyLater();
    awaitLoad(1, 0);
    CompletableFuture<Answer> second = classifyLater();
    awaitLoad(1, 1);
    List<Answer> refused = List.of(
        post(base, "/api/classify", new Multipart().image(cat())),
        post(base, "/api/explain", new Multipart().image(cat())));
    for (Answer a : refused) {
      assertEquals(503, a.status(), a.toString());
      assertNotNull(a.header("Retry-After"), "Retry-After header");
      assertTrue(Long.parseLong(a.header("Retry-After")) >= 1);
      assertTrue(a.error().contains("busy"), a.error());
    }
    // the cheap endpoints still answer while the workers are busy
    assertEquals(200, get(base, "/api/models").status());
    release.countDown();
    assertEquals(200, first.get(30, TimeUnit.SECONDS).status());
    assertEquals(200, second.get(30, TimeUnit.SECONDS).status());
    awaitLoad(0, 0);
    assertEquals(200, post(base, "/api/classify", new Multipart().image(cat())).status());
  }

  @Test
  void slowRequestIs504() throws Exception {
    HOOK.set(() -> sleep(4500));
    Answer a = post(base, "/api/classify", new Multipart().image(cat()));
    assertEquals(504, a.status(), a.toString());
    assertTrue(a.error().contains("timeout"), a.error());
    awaitLoad(0, 0);
  }

  @Test
  void slowExplainBecomesAJob() throws Exception {
    HOOK.set(() -> sleep(300));
    Answer a = post(base, "/api/explain", new Multipart().image(cat()));
    assertEquals(202, a.status(), a.toString());
    assertEquals("running", a.json().path("status").asText());
    String href = a.header("Location");
    Answer poll = get(base, href);
    assertEquals(202, poll.status(), "still running: " + poll);
    for (int i = 0; i < 300 && poll.status() == 202; i++) {
      Thread.sleep(50);
      poll = get(base, href);
    }
    assertEquals(200, poll.status(), poll.toString());
    assertEquals("Egyptian cat", poll.json().path("target").path("label").asText());
    // a finished job can be fetched again until it expires
    assertEquals(200, get(base, href).status());
  }

  @Test
  void jobThatTimesOutReports504() throws Exception {
    HOOK.set(() -> sleep(4500));
    Answer a = post(base, "/api/explain", new Multipart().image(cat()));
    assertEquals(202, a.status(), a.toString());
    Answer poll = get(base, a.header("Location"));
    for (int i = 0; i < 200 && poll.status() == 202; i++) {
      Thread.sleep(50);
      poll = get(base, a.header("Location"));
    }
    assertEquals(504, poll.status(), poll.toString());
    awaitLoad(0, 0);
  }

  @Test
  void badJobInputIsReportedOnTheJob() throws Exception {
    HOOK.set(() -> sleep(200));
    Answer a = post(base, "/api/explain", new Multipart().file("image", "x.png", "image/png",
        new byte[] {1, 2, 3}));
    assertEquals(202, a.status(), a.toString());
    Answer poll = get(base, a.header("Location"));
    for (int i = 0; i < 200 && poll.status() == 202; i++) {
      Thread.sleep(50);
      poll = get(base, a.header("Location"));
    }
    assertEquals(400, poll.status(), poll.toString());
    assertTrue(poll.error().contains("not an image"), poll.error());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

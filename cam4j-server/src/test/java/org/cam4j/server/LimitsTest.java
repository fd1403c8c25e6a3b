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
import java.util.concurrent.atomic.AtomicReference;
import org.cam4j.server.Fixtures.Answer;
import org.cam4j.server.Fixtures.Multipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounded pool: a full queue is 503 with Retry-After, a slow request is 504, a slow explain
 * becomes a job. One worker and one queue place; a gate holds the worker where a test needs it.
 *
 * <p>No outcome depends on wall time: work is held by a gate that opens only when the test has
 * seen what it waits for, so a job is always still running when it is polled, and work that
 * must time out cannot end before the timer fires. The patient server's timeout (a day) cannot
 * fire during a test; the impatient one's (1 s) always fires first because its work is gated.
 * Loops that wait for a state have no bound: each state is reached for sure.
 */
class LimitsTest {
  private static final AtomicReference<CountDownLatch> GATE = new AtomicReference<>();
  private static Cam4jServer patient;
  private static Cam4jServer impatient;

  @BeforeAll
  static void start() {
    patient = Cam4jServer.start(config(Duration.ofDays(1)), Fixtures.registry());
    impatient = Cam4jServer.start(config(Duration.ofSeconds(1)), Fixtures.registry());
  }

  private static ServerConfig config(Duration timeout) {
    return ServerConfig.builder().port(0).workers(1).queueSize(1).timeout(timeout)
        .jobAfter(Duration.ZERO).taskHook(LimitsTest::passGate).build();
  }

  private static void passGate() {
    CountDownLatch gate = GATE.get();
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes the gate: work that starts from now on waits until {@link #open}. */
  private static CountDownLatch closeGate() {
    CountDownLatch gate = new CountDownLatch(1);
    GATE.set(gate);
    return gate;
  }

  @AfterAll
  static void stop() {
    patient.close();
    impatient.close();
  }

  @AfterEach
  void open() {
    CountDownLatch gate = GATE.getAndSet(null);
    if (gate != null) {
      gate.countDown();
    }
  }

  private static String base(Cam4jServer server) {
    return "http://127.0.0.1:" + server.port();
  }

  private static CompletableFuture<Answer> classifyLater(String base) {
    return CompletableFuture.supplyAsync(() -> post(base, "/api/classify",
        new Multipart().image(cat())));
  }

  private static void awaitLoad(String base, int running, int waiting)
      throws InterruptedException {
    while (true) {
      Answer h = get(base, "/api/health");
      if (h.json().path("running").asInt() == running
          && h.json().path("waiting").asInt() == waiting) {
        return;
      }
      Fixtures.pause();
    }
  }

  @Test
  void fullQueueIs503WithRetryAfter() throws Exception {
    String base = base(patient);
    CountDownLatch gate = closeGate();
    CompletableFuture<Answer> first = classifyLater(base);
    awaitLoad(base, 1, 0);
    CompletableFuture<Answer> second = classifyLater(base);
    awaitLoad(base, 1, 1);
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
    gate.countDown();
    assertEquals(200, first.get().status());
    assertEquals(200, second.get().status());
    awaitLoad(base, 0, 0);
    assertEquals(200, post(base, "/api/classify", new Multipart().image(cat())).status());
  }

  @Test
  void slowRequestIs504() throws Exception {
    String base = base(impatient);
    CountDownLatch gate = closeGate();
    Answer a = post(base, "/api/classify", new Multipart().image(cat()));
    assertEquals(504, a.status(), a.toString());
    assertTrue(a.error().contains("timeout"), a.error());
    gate.countDown();
    awaitLoad(base, 0, 0);
  }

  @Test
  void slowExplainBecomesAJob() throws Exception {
    String base = base(patient);
    CountDownLatch gate = closeGate();
    Answer a = post(base, "/api/explain", new Multipart().image(cat()));
    assertEquals(202, a.status(), a.toString());
    assertEquals("running", a.json().path("status").asText());
    String href = a.header("Location");
    Answer poll = get(base, href);
    assertEquals(202, poll.status(), "still running: " + poll);
    gate.countDown();
    poll = Fixtures.settled(base, poll);
    assertEquals(200, poll.status(), poll.toString());
    assertEquals("Egyptian cat", poll.json().path("target").path("label").asText());
    // a finished job can be fetched again until it expires
    assertEquals(200, get(base, href).status());
  }

  @Test
  void jobThatTimesOutReports504() throws Exception {
    String base = base(impatient);
    CountDownLatch gate = closeGate();
    Answer a = post(base, "/api/explain", new Multipart().image(cat()));
    assertEquals(202, a.status(), a.toString());
    Answer poll = Fixtures.settled(base, a);
    assertEquals(504, poll.status(), poll.toString());
    gate.countDown();
    awaitLoad(base, 0, 0);
  }

  @Test
  void badJobInputIsReportedOnTheJob() throws Exception {
    String base = base(patient);
    CountDownLatch gate = closeGate();
    Answer a = post(base, "/api/explain", new Multipart().file("image", "x.png", "image/png",
        new byte[] {1, 2, 3}));
    assertEquals(202, a.status(), a.toString());
    gate.countDown();
    Answer poll = Fixtures.settled(base, a);
    assertEquals(400, poll.status(), poll.toString());
    assertTrue(poll.error().contains("not an image"), poll.error());
  }
}

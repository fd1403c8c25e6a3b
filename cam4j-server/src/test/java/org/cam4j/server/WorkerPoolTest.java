package org.cam4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.cam4j.CancelledException;
import org.cam4j.Cancellation;
import org.junit.jupiter.api.Test;

/**
 * The pool's admission: places, the memory budget, the timeout. No outcome depends on how fast
 * the machine is: work that must outlast a timer waits on a latch released only after the timer
 * has fired, and the other pools' timeout (a day) cannot fire during a test.
 */
class WorkerPoolTest {
  @Test
  void placesAreWorkersPlusQueue() throws Exception {
    try (WorkerPool pool = pool(ServerConfig.builder().workers(1).queueSize(2)
        .timeout(Duration.ofDays(1)).build())) {
      CountDownLatch hold = new CountDownLatch(1);
      var a = pool.submit(admit(pool, 1000), () -> {
        hold.await();
        return true;
      });
      var b = pool.submit(admit(pool, 1000), () -> true);
      WorkerPool.Ticket c = admit(pool, 1000);
      ApiException full = assertThrows(ApiException.class, () -> admit(pool, 1000));
      assertEquals(503, full.status());
      assertTrue(full.retryAfterSeconds() >= 1);
      c.release();
      c.release(); // twice is harmless
      admit(pool, 1000).release();
      hold.countDown();
      assertTrue(a.get());
      assertTrue(b.get());
    }
  }

  @Test
  void requestsThatDoNotFitTheMemoryBudgetAre503() {
    long budget = 3L * 1024 * 1024;
    try (WorkerPool pool = pool(ServerConfig.builder().workers(1).queueSize(50)
        .memoryBudget(budget).build())) {
      WorkerPool.Ticket first = admit(pool, 400_000); // charged 2 x 0.4 MB + 1 MiB
      ApiException second = assertThrows(ApiException.class, () -> admit(pool, 400_000));
      assertEquals(503, second.status());
      assertTrue(second.getMessage().contains("memory"), second.getMessage());
      // a body of unknown length is charged the upload cap, clipped to the budget
      first.release();
      WorkerPool.Ticket unknown = admit(pool, -1);
      assertThrows(ApiException.class, () -> admit(pool, 10));
      unknown.release();
      admit(pool, 400_000).release();
    }
  }

  @Test
  void workPastTheTimeoutFailsAndFreesItsPlace() throws Exception {
    try (WorkerPool pool = pool(ServerConfig.builder().workers(1).queueSize(0)
        .timeout(Duration.ofMillis(200)).build())) {
      // the work cannot end before the latch opens, and it opens only after the timeout fired
      CountDownLatch hold = new CountDownLatch(1);
      var slow = pool.submit(admit(pool, 10), () -> {
        hold.await();
        return 1;
      });
      ExecutionException e = assertThrows(ExecutionException.class, slow::get);
      assertTrue(e.getCause() instanceof TimeoutException);
      assertEquals(504, Errors.toApi(e).status());
      // the place is still taken while the work runs, and given back when it really ends
      assertThrows(ApiException.class, () -> admit(pool, 10));
      hold.countDown();
      while (!placeFree(pool)) {
        Thread.sleep(20);
      }
    }
  }

  @Test
  void cancellingAJobStopsTheModelRunInProgressAndFreesTheWorker() throws Exception {
    try (WorkerPool pool = pool(ServerConfig.builder().workers(1).queueSize(0)
        .timeout(Duration.ofDays(1)).build())) {
      // the work stands for a model run: it registers its stop as OrtRunner does, and ends only
      // once stopped
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch stopped = new CountDownLatch(1);
      var job = pool.submit(admit(pool, 10), () -> {
        try (Cancellation.Hook hook = Cancellation.onCancel(stopped::countDown)) {
          running.countDown();
          stopped.await();
        }
        Cancellation.checkpoint();
        return 1;
      });
      running.await();
      job.cancel(true); // as deleting the job does
      stopped.await();
      while (!placeFree(pool)) {
        Thread.onSpinWait(); // the worker gives its place back as soon as the work returns
      }
      assertEquals(0, pool.running());
    }
  }

  @Test
  void closingThePoolStopsTheModelRunInProgress() throws Exception {
    WorkerPool pool = pool(ServerConfig.builder().workers(1).queueSize(0)
        .timeout(Duration.ofDays(1)).build());
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    var job = pool.submit(admit(pool, 10), () -> {
      try (Cancellation.Hook hook = Cancellation.onCancel(stopped::countDown)) {
        running.countDown();
        while (stopped.getCount() > 0) {
          try {
            stopped.await();
          } catch (InterruptedException e) {
            // a native run ignores interrupts: only its stop ends it
          }
        }
      }
      Cancellation.checkpoint();
      return 1;
    });
    running.await();
    pool.close(); // returns only once the worker has stopped
    assertEquals(0, stopped.getCount());
    ExecutionException e = assertThrows(ExecutionException.class, job::get);
    assertTrue(e.getCause() instanceof CancelledException, e.getCause().toString());
  }

  /** Fixed task times: the admission arithmetic is then exact. */
  private static ServiceTimes fixed(java.util.Map<String, Double> millis) {
    return new ServiceTimes() {
      @Override
      public double expectedMillis(String kind) {
        return millis.get(kind);
      }

      @Override
      public void record(String kind, double ms) {
        // the estimates stay fixed
      }
    };
  }

  @Test
  void workExpectedToOutlastTheTimeoutIsRefused() {
    ServerConfig config = ServerConfig.builder().workers(1).queueSize(10)
        .timeout(Duration.ofSeconds(100))
        .serviceTimes(fixed(java.util.Map.of("scorecam", 60_000.0, "gradcam", 100.0))).build();
    try (WorkerPool pool = pool(config)) {
      // alone, a task is admitted whatever its estimate
      WorkerPool.Ticket first = pool.reserve(10);
      first.enter("scorecam");
      // 60 s ahead + 60 s of its own > 100 s: 503, retry once 20 s of work have drained
      WorkerPool.Ticket second = pool.reserve(10);
      ApiException late = assertThrows(ApiException.class, () -> second.enter("scorecam"));
      assertEquals(503, late.status());
      assertEquals(20, late.retryAfterSeconds());
      assertTrue(late.getMessage().contains("timeout"), late.getMessage());
      // a quick method still fits behind it: 60 s + 0.1 s
      second.enter("gradcam");
      first.release();
      // with only 0.1 s ahead, the slow method fits again
      WorkerPool.Ticket third = pool.reserve(10);
      third.enter("scorecam");
      third.release();
      second.release();
    }
  }

  private static WorkerPool pool(ServerConfig config) {
    return new WorkerPool(config, new MemoryBudget(config.memoryBudget()));
  }

  /** Reserves and enters, as a request does once its body is read. */
  static WorkerPool.Ticket admit(WorkerPool pool, long length) {
    WorkerPool.Ticket t = pool.reserve(length);
    try {
      t.enter("classify");
      return t;
    } catch (RuntimeException e) {
      t.release();
      throw e;
    }
  }

  private static boolean placeFree(WorkerPool pool) {
    try {
      admit(pool, 10).release();
      return true;
    } catch (ApiException busy) {
      return false;
    }
  }
}

package org.cam4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The pool's admission: places, the memory budget, the timeout. */
class WorkerPoolTest {
  @Test
  void placesAreWorkersPlusQueue() throws Exception {
    try (WorkerPool pool = new WorkerPool(ServerConfig.builder().workers(1).queueSize(2)
        .build())) {
      CountDownLatch hold = new CountDownLatch(1);
      var a = pool.submit(pool.admit(1000), () -> hold.await(10, TimeUnit.SECONDS));
      var b = pool.submit(pool.admit(1000), () -> true);
      WorkerPool.Ticket c = pool.admit(1000);
      ApiException full = assertThrows(ApiException.class, () -> pool.admit(1000));
      assertEquals(503, full.status());
      assertTrue(full.retryAfterSeconds() >= 1);
      c.release();
      c.release(); // twice is harmless
      pool.admit(1000).release();
      hold.countDown();
      assertTrue(a.get(10, TimeUnit.SECONDS));
      assertTrue(b.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void requestsThatDoNotFitTheMemoryBudgetAre503() {
    long budget = 3L * 1024 * 1024;
    try (WorkerPool pool = new WorkerPool(ServerConfig.builder().workers(1).queueSize(50)
        .memoryBudget(budget).build())) {
      WorkerPool.Ticket first = pool.admit(400_000); // charged 2 x 0.4 MB + 1 MiB
      ApiException second = assertThrows(ApiException.class, () -> pool.admit(400_000));
      assertEquals(503, second.status());
      assertTrue(second.getMessage().contains("memory"), second.getMessage());
      // a body of unknown length is charged the upload cap, clipped to the budget
      first.release();
      WorkerPool.Ticket unknown = pool.admit(-1);
      assertThrows(ApiException.class, () -> pool.admit(10));
      unknown.release();
      pool.admit(400_000).release();
    }
  }

  @Test
  void workPastTheTimeoutFailsAndFreesItsPlace() throws Exception {
    try (WorkerPool pool = new WorkerPool(ServerConfig.builder().workers(1).queueSize(0)
        .timeout(Duration.ofMillis(200)).build())) {
      var slow = pool.submit(pool.admit(10), () -> {
        Thread.sleep(600);
        return 1;
      });
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> slow.get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof TimeoutException);
      assertEquals(504, Errors.toApi(e).status());
      // the place is given back when the work really ends
      for (int i = 0; i < 100 && pool.running() > 0; i++) {
        Thread.sleep(20);
      }
      pool.admit(10).release();
    }
  }
}

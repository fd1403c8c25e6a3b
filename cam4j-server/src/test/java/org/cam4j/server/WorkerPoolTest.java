package org.cam4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The pool's admission: places, the memory budget, the timeout. No outcome depends on how fast
 * the machine is: work that must outlast a timer waits on a latch released only after the timer
 * has fired, and the other pools' timeout (a day) cannot fire during a test.
 */
class WorkerPoolTest {
  @Test
  void placesAreWorkersPlusQueue() throws Exception {
    try (WorkerPool pool = new WorkerPool(ServerConfig.builder().workers(1).queueSize(2)
        .timeout(Duration.ofDays(1)).build())) {
      CountDownLatch hold = new CountDownLatch(1);
      var a = pool.submit(pool.admit(1000), () -> {
        hold.await();
        return true;
      });
      var b = pool.submit(pool.admit(1000), () -> true);
      WorkerPool.Ticket c = pool.admit(1000);
      ApiException full = assertThrows(ApiException.class, () -> pool.admit(1000));
      assertEquals(503, full.status());
      assertTrue(full.retryAfterSeconds() >= 1);
      c.release();
      c.release(); // twice is harmless
      pool.admit(1000).release();
      hold.countDown();
      assertTrue(a.get());
      assertTrue(b.get());
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
      // the work cannot end before the latch opens, and it opens only after the timeout fired
      CountDownLatch hold = new CountDownLatch(1);
      var slow = pool.submit(pool.admit(10), () -> {
        hold.await();
        return 1;
      });
      ExecutionException e = assertThrows(ExecutionException.class, slow::get);
      assertTrue(e.getCause() instanceof TimeoutException);
      assertEquals(504, Errors.toApi(e).status());
      // the place is still taken while the work runs, and given back when it really ends
      assertThrows(ApiException.class, () -> pool.admit(10));
      hold.countDown();
      while (!placeFree(pool)) {
        Thread.sleep(20);
      }
    }
  }

  private static boolean placeFree(WorkerPool pool) {
    try {
      pool.admit(10).release();
      return true;
    } catch (ApiException busy) {
      return false;
    }
  }
}

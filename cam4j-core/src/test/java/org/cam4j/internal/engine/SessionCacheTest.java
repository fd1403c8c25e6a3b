package org.cam4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The lease cache with a fake resource: no ONNX Runtime, no timing. */
class SessionCacheTest {
  /** A resource that counts how often it is closed. */
  private static final class Fake implements AutoCloseable {
    final String key;
    final long bytes;
    final AtomicInteger closes = new AtomicInteger();

    Fake(String key, long bytes) {
      this.key = key;
      this.bytes = bytes;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private static SessionCache<String, Fake> cache(int entries, long bytes) {
    return new SessionCache<>(entries, bytes, f -> f.bytes);
  }

  private static Fake fake(String key) {
    return new Fake(key, 1);
  }

  @Test
  void aRetiredEntryClosesOnceAfterItsLastLease() {
    try (SessionCache<String, Fake> cache = cache(1, 100)) {
      var first = cache.acquire("a", SessionCacheTest::fake);
      var second = cache.acquire("a", SessionCacheTest::fake);
      Fake a = first.session();
      assertSame(a, second.session());
      cache.acquire("b", SessionCacheTest::fake).close();
      assertEquals(1, cache.size(), "a was evicted to make room for b");
      assertEquals(0, a.closes.get(), "two leases still use a");
      first.close();
      assertEquals(0, a.closes.get(), "one lease still uses a");
      second.close();
      assertEquals(1, a.closes.get());
      second.close();
      assertEquals(1, a.closes.get(), "releasing a lease twice closes nothing more");
      assertThrows(IllegalStateException.class, second::session);
    }
  }

  @Test
  void anIdleEvictedEntryClosesAtOnceAndTheLastBuiltStaysWhateverItsSize() {
    try (SessionCache<String, Fake> cache = cache(10, 100)) {
      Fake a;
      try (var lease = cache.acquire("a", k -> new Fake(k, 60))) {
        a = lease.session();
      }
      Fake b;
      try (var lease = cache.acquire("b", k -> new Fake(k, 60))) {
        b = lease.session();
      }
      assertEquals(1, a.closes.get(), "60 + 60 bytes exceed the budget of 100");
      assertEquals(60, cache.cachedBytes());
      Fake huge;
      try (var lease = cache.acquire("huge", k -> new Fake(k, 500))) {
        huge = lease.session();
      }
      assertEquals(1, b.closes.get());
      assertEquals(0, huge.closes.get(), "the entry built last stays");
      assertEquals(500, cache.cachedBytes());
      assertEquals(3, cache.created());
    }
  }

  @Test
  void closingTheCacheClosesLeasedEntriesOnlyWhenReleased() {
    SessionCache<String, Fake> cache = cache(4, 100);
    var leased = cache.acquire("a", SessionCacheTest::fake);
    Fake idle;
    try (var lease = cache.acquire("b", SessionCacheTest::fake)) {
      idle = lease.session();
    }
    cache.close();
    assertEquals(1, idle.closes.get());
    assertEquals(0, leased.session().closes.get(), "still leased");
    assertThrows(IllegalStateException.class, () -> cache.acquire("c", SessionCacheTest::fake));
    Fake a = leased.session();
    leased.close();
    assertEquals(1, a.closes.get());
  }

  @Test
  void aBuildForOneKeyDoesNotBlockAHitForAnotherAndIsSharedByWaiters() throws Exception {
    try (SessionCache<String, Fake> cache = cache(4, 100)) {
      cache.acquire("b", SessionCacheTest::fake).close();
      CountDownLatch building = new CountDownLatch(1);
      CountDownLatch finish = new CountDownLatch(1);
      AtomicInteger builds = new AtomicInteger();
      AtomicReference<Fake> built = new AtomicReference<>();
      AtomicReference<Fake> waited = new AtomicReference<>();
      Thread builder = new Thread(() -> {
        try (var lease = cache.acquire("a", k -> {
          builds.incrementAndGet();
          building.countDown();
          awaitUninterruptibly(finish);
          return fake(k);
        })) {
          built.set(lease.session());
        }
      });
      builder.start();
      building.await();
      Thread waiter = new Thread(() -> {
        try (var lease = cache.acquire("a", k -> {
          builds.incrementAndGet();
          return fake(k);
        })) {
          waited.set(lease.session());
        }
      });
      waiter.start();
      awaitWaiting(waiter);
      // the build of a is still blocked: a hit on b must come back now, on this thread
      try (var lease = cache.acquire("b", SessionCacheTest::fake)) {
        assertEquals("b", lease.session().key);
      }
      assertTrue(builder.isAlive(), "a is still being built");
      finish.countDown();
      builder.join();
      waiter.join();
      assertEquals(1, builds.get(), "the waiter used the one build");
      assertSame(built.get(), waited.get());
    }
  }

  @Test
  void aFailedBuildReachesEveryWaiterAndIsRetried() throws Exception {
    try (SessionCache<String, Fake> cache = cache(4, 100)) {
      IllegalStateException failure = new IllegalStateException("cannot build");
      CountDownLatch building = new CountDownLatch(1);
      CountDownLatch fail = new CountDownLatch(1);
      AtomicReference<Throwable> builderSaw = new AtomicReference<>();
      AtomicReference<Throwable> waiterSaw = new AtomicReference<>();
      Thread builder = new Thread(() -> builderSaw.set(assertThrows(RuntimeException.class,
          () -> cache.acquire("a", k -> {
            building.countDown();
            awaitUninterruptibly(fail);
            throw failure;
          }))));
      builder.start();
      building.await();
      Thread waiter = new Thread(() -> waiterSaw.set(assertThrows(RuntimeException.class,
          () -> cache.acquire("a", SessionCacheTest::fake))));
      waiter.start();
      awaitWaiting(waiter);
      fail.countDown();
      builder.join();
      waiter.join();
      assertSame(failure, builderSaw.get());
      assertSame(failure, waiterSaw.get());
      assertEquals(0, cache.size(), "a failed build is not cached");
      try (var lease = cache.acquire("a", SessionCacheTest::fake)) {
        assertEquals("a", lease.session().key);
      }
      assertEquals(1, cache.created());
    }
  }

  /** Until the thread blocks (in the cache: nothing else in it can block). */
  private static void awaitWaiting(Thread t) {
    while (t.getState() != Thread.State.WAITING) {
      if (t.getState() == Thread.State.TERMINATED) {
        throw new AssertionError(t.getName() + " ended without waiting for the build");
      }
      Thread.onSpinWait();
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}

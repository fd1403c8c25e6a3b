package org.cam4j.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of workers and a bounded queue. A request takes a {@link Ticket} before its
 * body is read; when all {@code workers + queue} tickets are out, or the request's share of the
 * memory budget ({@link ServerConfig#perRequestBytes}) does not fit, it is refused with 503 and
 * a Retry-After estimated from recent task times, so waiting work (and the memory it holds)
 * never grows past the configured bounds. A ticket is given back when its task ends, also when
 * the client stopped waiting for it.
 */
final class WorkerPool implements AutoCloseable {
  private final ThreadPoolExecutor executor;
  private final Semaphore tickets;
  private final Semaphore memoryKib;
  private final long budgetKib;
  private final long defaultLength;
  private final int workers;
  private final int capacity;
  private final long timeoutMillis;
  private final Runnable hook;
  private final AtomicInteger running = new AtomicInteger();
  private volatile double averageMillis = 200;

  WorkerPool(ServerConfig config) {
    this.workers = config.workers();
    this.capacity = config.workers() + config.queueSize();
    this.tickets = new Semaphore(capacity);
    this.budgetKib = Math.min(Integer.MAX_VALUE, config.memoryBudget() / 1024);
    this.memoryKib = new Semaphore((int) budgetKib);
    this.defaultLength = config.maxUploadBytes() + Form.FIELDS_ALLOWANCE;
    this.timeoutMillis = config.timeout().toMillis();
    this.hook = config.taskHook();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "cam4j-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    // the queue can hold every ticket, so the executor itself never rejects while tickets are
    // respected; AbortPolicy stays as the last guard
    this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(Math.max(1, capacity)), threads,
        new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * A place in the pool for a request whose body declares {@code length} bytes (-1 when it
   * declares none), or 503 when there is none.
   */
  Ticket admit(long length) {
    long body = length < 0 ? defaultLength : Math.min(length, defaultLength);
    int kib = (int) Math.min(budgetKib, (ServerConfig.perRequestBytes(body) + 1023) / 1024);
    if (!tickets.tryAcquire()) {
      throw busy();
    }
    if (!memoryKib.tryAcquire(kib)) {
      tickets.release();
      throw ApiException.busy("the server is busy: the requests in progress hold its memory"
          + " budget; retry later", retryAfterSeconds());
    }
    return new Ticket(kib);
  }

  private ApiException busy() {
    return ApiException.busy("the server is busy: " + workers + " requests are running and "
        + (capacity - workers) + " are waiting; retry later", retryAfterSeconds());
  }

  /**
   * Runs {@code work} on a worker; the ticket is given back when it ends. The future fails with
   * a {@link java.util.concurrent.TimeoutException} once the request's time is up (counted from
   * now, queueing included); work that has not started by then is skipped.
   */
  <T> CompletableFuture<T> submit(Ticket ticket, Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable task = () -> {
      long start = System.nanoTime();
      running.incrementAndGet();
      try {
        if (!result.isDone()) {
          hook.run();
          result.complete(work.call());
        }
      } catch (Throwable e) {
        result.completeExceptionally(e);
      } finally {
        running.decrementAndGet();
        record((System.nanoTime() - start) / 1e6);
        ticket.release();
      }
    };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      ticket.release();
      throw busy();
    }
    return result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void record(double millis) {
    averageMillis = 0.8 * averageMillis + 0.2 * millis;
  }

  /** Time for the work ahead to drain, by the recent average task time; at least 1 s. */
  long retryAfterSeconds() {
    double seconds = averageMillis * Math.max(1, capacity) / workers / 1000.0;
    return Math.max(1, Math.min(120, (long) Math.ceil(seconds)));
  }

  int running() {
    return running.get();
  }

  int waiting() {
    return executor.getQueue().size();
  }

  int capacity() {
    return capacity;
  }

  /**
   * Drops the queued tasks, interrupts the running ones and returns only once every worker has
   * stopped (a model run in progress is not interruptible: it is waited for), so that the
   * models can be closed after it.
   */
  @Override
  public void close() {
    executor.shutdownNow();
    boolean interrupted = false;
    while (!executor.isTerminated()) {
      try {
        executor.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** One admitted request's place; releasing twice is harmless. */
  final class Ticket {
    private final AtomicBoolean released = new AtomicBoolean();
    private final int kib;

    private Ticket(int kib) {
      this.kib = kib;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        memoryKib.release(kib);
        tickets.release();
      }
    }
  }
}

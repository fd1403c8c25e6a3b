package org.cam4j.server;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cam4j.Cancellation;

/**
 * A fixed number of workers and a bounded queue, admitted in two steps. Before its body is read
 * a request {@link #reserve reserves} its share of the memory budget
 * ({@link ServerConfig#perRequestBytes}); once the body is read and checked, it
 * {@link Ticket#enter enters}: it takes one of the {@code workers + queue} places, unless the
 * work already admitted, by the expected time of each task ({@link ServiceTimes}), would keep it
 * waiting past the timeout. Each refusal is 503 with a Retry-After from those estimates, so
 * waiting work (and the memory it holds) never grows past the configured bounds, and a slow
 * upload holds no place. A ticket is given back when its task ends.
 *
 * <p>Work runs under a {@link Cancellation} that is cancelled as soon as its result is settled
 * otherwise (timed out, or cancelled by its job's deletion), so the library stops the model run
 * in progress and the work at its next checkpoint, and the worker is free again.
 */
final class WorkerPool implements AutoCloseable {
  private final ThreadPoolExecutor executor;
  private final Semaphore places;
  private final MemoryBudget memory;
  private final ServiceTimes times;
  private final long defaultLength;
  private final int workers;
  private final int capacity;
  private final long timeoutMillis;
  private final Runnable hook;
  private final Runnable checkpointHook;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger uploading = new AtomicInteger();
  private final Set<Cancellation> runningWork = ConcurrentHashMap.newKeySet();
  private double aheadMillis;
  private int entered;

  WorkerPool(ServerConfig config, MemoryBudget memory) {
    this.workers = config.workers();
    this.capacity = config.workers() + config.queueSize();
    this.places = new Semaphore(capacity);
    this.memory = memory;
    this.times = config.serviceTimes();
    this.defaultLength = config.maxUploadBytes() + Form.FIELDS_ALLOWANCE;
    this.timeoutMillis = config.timeout().toMillis();
    this.hook = config.taskHook();
    this.checkpointHook = config.checkpointHook();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "cam4j-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    // the queue can hold every place, so the executor itself never rejects while places are
    // respected; AbortPolicy stays as the last guard
    this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(Math.max(1, capacity)), threads,
        new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Reserves memory for a request whose body declares {@code length} bytes (-1 when it declares
   * none), or 503 when the budget cannot hold it. The ticket takes no place yet.
   */
  Ticket reserve(long length) {
    long body = length < 0 ? defaultLength : Math.min(length, defaultLength);
    long bytes = Math.min(memory.budget(), ServerConfig.perRequestBytes(body));
    if (!memory.tryTake(bytes)) {
      throw ApiException.busy("the server is busy: the requests in progress and the finished"
          + " jobs hold its memory budget; retry later", retryAfterSeconds());
    }
    uploading.incrementAndGet();
    return new Ticket(bytes);
  }

  /**
   * Runs the entered ticket's work on a worker; the ticket is given back when it ends. The
   * future fails with a {@link java.util.concurrent.TimeoutException} once the request's time is
   * up (counted from now, queueing included); work that has not started by then is skipped, and
   * work that has is stopped: its model run in progress, or at its next checkpoint.
   */
  <T> CompletableFuture<T> submit(Ticket ticket, Callable<T> work) {
    if (ticket.kind == null) {
      throw new IllegalStateException("submit needs an entered ticket");
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    Cancellation token = Cancellation.when(() -> {
      checkpointHook.run();
      return result.isDone();
    });
    // a settled result (timed out, cancelled) also stops the model run in progress
    result.whenComplete((value, error) -> token.cancel());
    Runnable task = () -> {
      running.incrementAndGet();
      try {
        if (!result.isDone()) {
          hook.run();
          long start = System.nanoTime();
          runningWork.add(token);
          try {
            result.complete(token.call(work));
          } finally {
            runningWork.remove(token);
            times.record(ticket.kind, (System.nanoTime() - start) / 1e6);
          }
        }
      } catch (Throwable e) {
        result.completeExceptionally(e);
      } finally {
        running.decrementAndGet();
        ticket.release();
      }
    };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      ticket.release();
      throw full();
    }
    return result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private ApiException full() {
    return ApiException.busy("the server is busy: " + workers + " requests are running and "
        + (capacity - workers) + " are waiting; retry later", retryAfterSeconds());
  }

  /** Time for the admitted work to drain, by the expected task times; 1..120 s. */
  synchronized long retryAfterSeconds() {
    return seconds(aheadMillis / workers);
  }

  private static long seconds(double millis) {
    return Math.max(1, Math.min(120, (long) Math.ceil(millis / 1000.0)));
  }

  int running() {
    return running.get();
  }

  int waiting() {
    return executor.getQueue().size();
  }

  /** Requests whose body is being read (memory reserved, no place taken). */
  int uploading() {
    return uploading.get();
  }

  int capacity() {
    return capacity;
  }

  /**
   * Drops the queued tasks, cancels and interrupts the running ones (a model run in progress is
   * stopped) and returns only once every worker has stopped, so that the models can be closed
   * after it.
   */
  @Override
  public void close() {
    executor.shutdownNow();
    runningWork.forEach(Cancellation::cancel);
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

  /** One request's memory and, once entered, its place; releasing twice is harmless. */
  final class Ticket {
    private final long bytes;
    private String kind;
    private double expectedMillis;
    private boolean released;

    private Ticket(long bytes) {
      this.bytes = bytes;
    }

    /**
     * Takes a place for a task of {@code kind}, or 503 when all are taken or when the work
     * admitted before it is expected to keep it past the timeout (never when no work is ahead:
     * an estimate is only a guess, and a request alone may still finish).
     */
    void enter(String kind) {
      double expected = times.expectedMillis(kind);
      synchronized (WorkerPool.this) {
        if (this.kind != null || released) {
          throw new IllegalStateException("the ticket was entered or released already");
        }
        if (!places.tryAcquire()) {
          throw full();
        }
        double wait = aheadMillis / workers;
        if (entered > 0 && wait + expected > timeoutMillis) {
          places.release();
          throw ApiException.busy(String.format(java.util.Locale.ROOT, "the server is busy:"
              + " the work ahead is expected to take %.0f s and this %s %.0f s more, past its"
              + " %.0f s timeout; retry later", wait / 1000, kind, expected / 1000,
              timeoutMillis / 1000.0), seconds(wait + expected - timeoutMillis));
        }
        this.kind = kind;
        this.expectedMillis = expected;
        aheadMillis += expected;
        entered++;
        uploading.decrementAndGet();
      }
    }

    void release() {
      synchronized (WorkerPool.this) {
        if (released) {
          return;
        }
        released = true;
        if (kind != null) {
          entered--;
          // back to exactly 0 when idle, so rounding never accumulates
          aheadMillis = entered == 0 ? 0 : aheadMillis - expectedMillis;
          places.release();
        } else {
          uploading.decrementAndGet();
        }
      }
      memory.give(bytes);
    }
  }
}

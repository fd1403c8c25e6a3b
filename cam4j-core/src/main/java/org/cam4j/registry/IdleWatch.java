package org.cam4j.registry;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a stream that has delivered nothing for too long. The HTTP client's timeouts end at the
 * response headers; a body that stalls afterwards would otherwise block its reader forever.
 */
final class IdleWatch implements AutoCloseable {
  private final ScheduledExecutorService timer;
  private final long idleNanos;
  private volatile long lastActivity = System.nanoTime();
  private volatile boolean expired;

  private IdleWatch(Closeable stream, Duration idle) {
    this.idleNanos = idle.toNanos();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cam4j-download-idle-watch");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(10, idle.toMillis() / 4);
    timer.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastActivity > idleNanos) {
        expired = true;
        try {
          stream.close();
        } catch (IOException e) {
          // the reader sees the stream end or fail either way, and reports the stall
        }
        timer.shutdown();
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  static IdleWatch start(Closeable stream, Duration idle) {
    return new IdleWatch(stream, idle);
  }

  /** Data arrived. */
  void touch() {
    lastActivity = System.nanoTime();
  }

  /** True once the stream was closed for being idle. */
  boolean expired() {
    return expired;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

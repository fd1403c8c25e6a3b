package org.cam4j;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A way to stop long work early, cooperatively: the caller runs the work inside
 * {@link #call}, and the library's loops over batches and layers call {@link #checkpoint()},
 * which throws {@link CancelledException} once the token says so. A checkpoint on a thread
 * that runs no token does nothing, so code outside {@code call} is unaffected. The token is
 * asked at every checkpoint; it must be cheap and thread-safe.
 *
 * <p>A single model run has no checkpoint inside it: {@link #cancel()} (from any thread) also
 * stops the ONNX Runtime run in progress, which then ends in {@link CancelledException} too.
 *
 * <pre>{@code
 * CompletableFuture<Explanation> result = new CompletableFuture<>();
 * Cancellation.when(result::isDone).call(() -> explainer.explain(photo, name, options));
 * }</pre>
 */
public final class Cancellation {
  private static final ThreadLocal<Cancellation> CURRENT = new ThreadLocal<>();

  private final BooleanSupplier cancelled;
  private final Set<Runnable> stops = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelRequested;

  private Cancellation(BooleanSupplier cancelled) {
    this.cancelled = cancelled;
  }

  /**
   * A token that is cancelled whenever {@code cancelled} answers true.
   *
   * @param cancelled asked at each checkpoint
   * @return the token
   */
  public static Cancellation when(BooleanSupplier cancelled) {
    return new Cancellation(Objects.requireNonNull(cancelled, "cancelled"));
  }

  /**
   * Whether the work should stop.
   *
   * @return the token's answer now
   */
  public boolean isCancelled() {
    return cancelRequested || cancelled.getAsBoolean();
  }

  /**
   * Cancels the work now, from any thread: its next checkpoint throws, and a model run in
   * progress under this token is stopped (it throws {@link CancelledException}).
   */
  public void cancel() {
    cancelRequested = true;
    for (Runnable stop : stops) {
      stop.run();
    }
  }

  /** Whether a step with a stop is registered now (tests wait for a model run to be under way). */
  boolean hasStops() {
    return !stops.isEmpty();
  }

  /**
   * For the library's code that runs a step with no checkpoint inside (a native model run):
   * until the returned hook is closed, {@link #cancel()} of the token this thread runs under
   * calls {@code stop}, and so does this call at once when that token is already cancelled.
   * Without a token the hook does nothing.
   *
   * @param stop stops the step; called from the cancelling thread, possibly more than once,
   *     and never after the hook is closed
   * @return the hook to close once the step is over
   */
  public static Hook onCancel(Runnable stop) {
    Cancellation c = CURRENT.get();
    if (c == null) {
      return () -> { };
    }
    Registration registration = new Registration(c, stop);
    c.stops.add(registration);
    if (c.isCancelled()) {
      registration.run();
    }
    return registration;
  }

  /** What {@link #onCancel} returns: closing it ends the step's registration. */
  public interface Hook extends AutoCloseable {
    /** Ends the registration; the stop is not called after this returns. */
    @Override
    void close();
  }

  /** A stop registered with a token; closing it waits for a call of the stop in progress. */
  private static final class Registration implements Hook, Runnable {
    private final Cancellation token;
    private final Runnable stop;
    private boolean closed;

    Registration(Cancellation token, Runnable stop) {
      this.token = token;
      this.stop = stop;
    }

    @Override
    public synchronized void run() {
      if (!closed) {
        stop.run();
      }
    }

    @Override
    public synchronized void close() {
      closed = true;
      token.stops.remove(this);
    }
  }

  /**
   * Runs {@code work} on this thread with this token seen by its checkpoints (the token in
   * force before is restored afterwards).
   *
   * @param work the work
   * @param <T> its result's type
   * @return what the work returns
   * @throws Exception what the work throws, {@link CancelledException} when it was cancelled
   */
  public <T> T call(Callable<T> work) throws Exception {
    Cancellation outer = CURRENT.get();
    CURRENT.set(this);
    try {
      checkpoint();
      return work.call();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /**
   * Throws {@link CancelledException} when the token this thread runs under is cancelled;
   * called by the library between batches and layers.
   */
  public static void checkpoint() {
    Cancellation c = CURRENT.get();
    if (c != null && c.isCancelled()) {
      throw new CancelledException("the work was cancelled");
    }
  }
}

package org.cam4j;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * A way to stop long work early, cooperatively: the caller runs the work inside
 * {@link #call}, and the library's loops over batches and layers call {@link #checkpoint()},
 * which throws {@link CancelledException} once the token says so. A checkpoint on a thread
 * that runs no token does nothing, so code outside {@code call} is unaffected. The token is
 * asked at every checkpoint; it must be cheap and thread-safe.
 *
 * <pre>{@code
 * CompletableFuture<Explanation> result = new CompletableFuture<>();
 * Cancellation.when(result::isDone).call(() -> explainer.explain(photo, name, options));
 * }</pre>
 */
public final class Cancellation {
  private static final ThreadLocal<Cancellation> CURRENT = new ThreadLocal<>();

  private final BooleanSupplier cancelled;

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
    return cancelled.getAsBoolean();
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

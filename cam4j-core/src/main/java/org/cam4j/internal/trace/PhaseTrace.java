package org.cam4j.internal.trace;

import java.util.Locale;

/**
 * Wall time of the phases of a run (model parse, shape inference, session creation, ...) on
 * stderr, one line per phase, when the environment sets {@code CAM4J_TRACE=1}; silent and free
 * otherwise. For measuring start-up, not a log.
 */
public final class PhaseTrace {
  private static final boolean ON = "1".equals(System.getenv("CAM4J_TRACE"));

  private PhaseTrace() {
  }

  /** Whether phases are printed. */
  public static boolean on() {
    return ON;
  }

  /** The start of a phase, to hand to {@link #end}. */
  public static long start() {
    return ON ? System.nanoTime() : 0;
  }

  /** Prints the phase's wall time since {@code start} (when tracing is on). */
  public static void end(String phase, long start) {
    if (ON) {
      System.err.printf(Locale.ROOT, "cam4j-trace: %-34s %8.1f ms%n", phase,
          (System.nanoTime() - start) / 1e6);
    }
  }
}

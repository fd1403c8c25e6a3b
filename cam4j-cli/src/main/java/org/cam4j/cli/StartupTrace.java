package org.cam4j.cli;

import java.util.Locale;

/**
 * Start-up phases of the command line (JVM start to main, picocli setup, whole run) on stderr
 * when the environment sets {@code CAM4J_TRACE=1}, next to the engine's own phase lines.
 */
final class StartupTrace {
  private static final boolean ON = "1".equals(System.getenv("CAM4J_TRACE"));

  private StartupTrace() {
  }

  static long start() {
    return ON ? System.nanoTime() : 0;
  }

  static void end(String phase, long start) {
    if (ON) {
      print(phase, (System.nanoTime() - start) / 1e6);
    }
  }

  /**
   * Prints the wall time since the JVM started, as the JVM recorded it (the process start time
   * the OS gives is only as precise as its boot time, whole seconds).
   */
  static void sinceJvmStart(String phase) {
    if (ON) {
      print(phase, System.currentTimeMillis()
          - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    }
  }

  private static void print(String phase, double millis) {
    System.err.printf(Locale.ROOT, "cam4j-trace: %-34s %8.1f ms%n", phase, millis);
  }
}

package org.cam4j.cli;

import java.time.Duration;
import java.time.Instant;
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

  /** Prints the wall time since the JVM process started (as the OS recorded it). */
  static void sinceJvmStart(String phase) {
    if (ON) {
      ProcessHandle.current().info().startInstant().ifPresent(started ->
          print(phase, Duration.between(started, Instant.now()).toNanos() / 1e6));
    }
  }

  private static void print(String phase, double millis) {
    System.err.printf(Locale.ROOT, "cam4j-trace: %-34s %8.1f ms%n", phase, millis);
  }
}

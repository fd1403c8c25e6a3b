package org.cam4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory, from Linux's {@code /proc/self/status}. */
final class ProcStatus {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcStatus() {
  }

  /** Peak resident set size (VmHWM) in kB. */
  static long peakRssKb() {
    return fieldKb("VmHWM");
  }

  /** Current resident set size (VmRSS) in kB. */
  static long rssKb() {
    return fieldKb("VmRSS");
  }

  /** Heap in use after a full collection, in kB. */
  static long heapAfterGcKb() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.gc();
    return (rt.totalMemory() - rt.freeMemory()) / 1024;
  }

  private static long fieldKb(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name + ":")) {
          return Long.parseLong(line.substring(name.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("memory figures need " + STATUS + " (Linux)", e);
    }
    throw new IllegalStateException(STATUS + " has no " + name + " line");
  }
}

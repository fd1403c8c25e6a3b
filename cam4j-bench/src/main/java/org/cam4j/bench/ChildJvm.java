package org.cam4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a bench main class in a fresh JVM with this JVM's class path. Children report on stdout
 * as {@code key=value} pairs separated by spaces, one record per line.
 */
final class ChildJvm {
  private ChildJvm() {
  }

  /** The child's records, in order; fails when it exits non-zero. */
  static List<Map<String, String>> run(List<String> jvmFlags, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      List<Map<String, String>> records = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.contains("=")) {
            records.add(fields(line));
          }
        }
      }
      int code = p.waitFor();
      if (code != 0) {
        throw new IllegalStateException(main.getSimpleName() + " " + String.join(" ", args)
            + " exited with " + code);
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a child JVM", e);
    }
  }

  static Map<String, String> fields(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : line.trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return m;
  }
}

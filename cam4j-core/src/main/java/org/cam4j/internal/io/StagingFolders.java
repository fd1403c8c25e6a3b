package org.cam4j.internal.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The hidden staging folders {@link AtomicFiles} writes into, named after the process that owns
 * them: {@code .cam4j-staging-<pid>-<start>-<host>-<random>}, where {@code start} is the
 * process's start time in milliseconds and {@code host} a hash of the host name. A folder is
 * stale when it belongs to this host and no process with its pid and start time is alive (a
 * process killed while writing; a later process that reuses the pid has another start time).
 * Folders of other hosts, whose processes cannot be seen from here, are left alone, and so is
 * every folder of a process still running, however old.
 */
public final class StagingFolders {
  static final String PREFIX = ".cam4j-staging-";

  private static final String HOST = hostTag();
  private static final String OWNER = owner(ProcessHandle.current());

  private StagingFolders() {
  }

  /**
   * A new staging folder in {@code dir}, owned by this process.
   *
   * @param dir an existing folder
   * @return the new, empty staging folder
   * @throws IOException when it cannot be created
   */
  public static Path create(Path dir) throws IOException {
    return Files.createTempDirectory(dir, OWNER);
  }

  /**
   * The name prefix of the staging folders {@code process} owns on this host.
   *
   * @param process a process, alive when asked (its start time is part of the name)
   * @return {@code .cam4j-staging-<pid>-<start>-<host>-}
   */
  public static String owner(ProcessHandle process) {
    long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return PREFIX + process.pid() + "-" + start + "-" + HOST + "-";
  }

  /**
   * Removes the stale staging folders in {@code dir} (see the class comment).
   *
   * @return the folders removed, in name order; empty when {@code dir} is not a folder
   */
  public static List<Path> removeStale(Path dir) {
    List<Path> stale = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return stale;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path p : entries) {
        if (Files.isDirectory(p) && isStale(p.getFileName().toString())) {
          stale.add(p);
        }
      }
    } catch (IOException e) {
      return stale; // an unlistable folder fails plainly when it is written to
    }
    stale.sort(Comparator.naturalOrder());
    stale.removeIf(p -> !delete(p));
    return stale;
  }

  /** Whether a staging folder named {@code name} belongs to a dead process of this host. */
  static boolean isStale(String name) {
    String[] parts = name.substring(PREFIX.length()).split("-", 4);
    if (parts.length < 4 || !parts[2].equals(HOST)) {
      return false;
    }
    long pid;
    long start;
    try {
      pid = Long.parseLong(parts[0]);
      start = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return false; // not a name this class gives
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return process.isEmpty() || !process.get().isAlive()
        || !owner(process.get()).equals(PREFIX + pid + "-" + start + "-" + HOST + "-");
  }

  /**
   * Deletes a staging folder and what it holds.
   *
   * @param dir the folder
   * @return whether it is gone
   */
  public static boolean delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Eight hex digits of the host name's hash (names may hold any character). */
  private static String hostTag() {
    String host = System.getenv("HOSTNAME");
    try {
      Path kernel = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(kernel)) {
        host = Files.readString(kernel, StandardCharsets.UTF_8).trim();
      }
    } catch (IOException e) {
      // the variable (or nothing) then names the host
    }
    if (host == null) {
      host = System.getenv("COMPUTERNAME");
    }
    return String.format(Locale.ROOT, "%08x", host == null ? 0 : host.hashCode());
  }
}

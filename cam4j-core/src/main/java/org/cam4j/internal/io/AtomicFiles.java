package org.cam4j.internal.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cam4j.ResourceUnavailableException;

/** Writes files so a reader never sees a partial one: temp file in the same folder, then move. */
public final class AtomicFiles {
  private AtomicFiles() {
  }

  /**
   * Writes several files as one unit: every file is first staged beside its target, and only
   * when all are staged are they moved into place, so a failure while encoding or writing leaves
   * none of them behind.
   */
  public static void writeAll(Map<Path, byte[]> files) {
    Map<Path, Path> staged = new LinkedHashMap<>();
    try {
      for (Map.Entry<Path, byte[]> f : files.entrySet()) {
        staged.put(f.getKey(), stage(f.getKey(), f.getValue()));
      }
      for (Map.Entry<Path, Path> s : staged.entrySet()) {
        move(s.getValue(), s.getKey());
      }
    } catch (IOException e) {
      throw new ResourceUnavailableException("cannot write " + files.keySet() + ": "
          + e.getMessage(), e);
    } finally {
      staged.values().forEach(AtomicFiles::deleteQuietly);
    }
  }

  public static void write(Path target, byte[] bytes) {
    writeAll(Map.of(target, bytes));
  }

  private static Path stage(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
    try {
      Files.write(tmp, bytes);
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        // temp files are created 0600; the result should be an ordinary file
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      return tmp;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // the original failure (if any) is the one worth reporting
      tmp.toFile().deleteOnExit();
    }
  }
}

package org.cam4j.internal.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cam4j.ResourceUnavailableException;

/**
 * Writes files so a reader never sees a partial one, and a set of files so that a failure never
 * leaves part of the set behind.
 *
 * <p>What is guaranteed, precisely: every file is written complete into a hidden staging folder
 * ({@code .cam4j-staging-*}) beside its target and then renamed into place, so each file appears
 * complete or not at all. The renames start only once every file of the set is staged, so a
 * failure while writing (a full disk, an unwritable folder) leaves none of them. The set is
 * published by one rename per file (the outputs are flat files in a shared folder, which no
 * single rename can publish), so a reader may see some of the set before the last rename; if a
 * rename fails, the files of the set already renamed are removed again, so no partial set is
 * left behind (an older file one of them had replaced is not restored). A process killed midway
 * can leave the staging folder; {@link StagingFolders#removeStale} removes it later.
 */
public final class AtomicFiles {
  private AtomicFiles() {
  }

  /**
   * Writes several files of one folder as a set, as the class comment describes.
   *
   * @param files target path to contents, renamed into place in this order; all targets must
   *     lie in the same folder
   * @throws ResourceUnavailableException when a file cannot be written or moved into place
   */
  public static void writeAll(Map<Path, byte[]> files) {
    if (files.isEmpty()) {
      return;
    }
    Path dir = folderOf(files.keySet());
    List<Path> published = new ArrayList<>();
    Path staging = null;
    try {
      Files.createDirectories(dir);
      staging = StagingFolders.create(dir);
      Map<Path, Path> staged = new LinkedHashMap<>();
      for (Map.Entry<Path, byte[]> f : files.entrySet()) {
        Path tmp = staging.resolve(f.getKey().getFileName());
        Files.write(tmp, f.getValue());
        staged.put(f.getKey(), tmp);
      }
      for (Map.Entry<Path, Path> s : staged.entrySet()) {
        move(s.getValue(), s.getKey());
        published.add(s.getKey());
      }
    } catch (IOException e) {
      published.forEach(AtomicFiles::deleteQuietly);
      throw new ResourceUnavailableException("cannot write " + files.keySet() + ": "
          + reason(e), e);
    } finally {
      if (staging != null) {
        deleteTree(staging);
      }
    }
  }

  /**
   * Writes one file: complete or not at all.
   *
   * @param target where the file goes
   * @param bytes its contents
   * @throws ResourceUnavailableException when the file cannot be written or moved into place
   */
  public static void write(Path target, byte[] bytes) {
    writeAll(Map.of(target, bytes));
  }

  /** What went wrong, said plainly: the bare path most file exceptions carry says little. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException a) {
      return "permission denied (" + a.getFile() + ")";
    }
    if (e instanceof NoSuchFileException n) {
      return "no such file or folder (" + n.getFile() + ")";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + " (" + f.getFile() + ")";
    }
    return e.getMessage();
  }

  private static Path folderOf(Iterable<Path> targets) {
    Path dir = null;
    for (Path t : targets) {
      Path parent = t.toAbsolutePath().normalize().getParent();
      if (dir != null && !dir.equals(parent)) {
        throw new IllegalArgumentException("a set of files must share one folder, got " + dir
            + " and " + parent);
      }
      dir = parent;
    }
    return dir;
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
    } catch (IOException e) {
      // the original failure (if any) is the one worth reporting
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the original failure (if any) is the one worth reporting
      file.toFile().deleteOnExit();
    }
  }
}

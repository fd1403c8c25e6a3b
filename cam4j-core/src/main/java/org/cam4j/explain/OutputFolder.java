package org.cam4j.explain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.ResourceUnavailableException;
import org.cam4j.internal.io.AtomicFiles;
import org.cam4j.internal.io.StagingFolders;

/**
 * An output folder's checks before any work is done (so a wrong folder fails before a model
 * loads), and the removal of what killed runs left in it.
 */
public final class OutputFolder {
  private OutputFolder() {
  }

  /**
   * Fails unless files can be written into {@code dir}: it is a folder, or can be created as
   * one, and it (or the nearest folder above it that exists) is writable.
   *
   * @param dir the output folder
   * @throws InvalidInputException when {@code dir} or a folder above it is a file
   * @throws ResourceUnavailableException when the folder is not writable (permission denied)
   */
  public static void check(Path dir) {
    Path existing = dir.toAbsolutePath().normalize();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    if (!Files.isDirectory(existing)) {
      throw new InvalidInputException("cannot write into " + dir + ": " + existing
          + " is a file, not a folder");
    }
    if (!Files.isWritable(existing)) {
      throw new ResourceUnavailableException("cannot write into " + dir + ": permission denied"
          + " (folder " + existing + " is not writable)");
    }
  }

  /**
   * Fails unless {@code file} can be written: it is not a folder, and its folder passes
   * {@link #check}.
   *
   * @param file the output file
   * @throws InvalidInputException when {@code file} is a folder or a folder above it a file
   * @throws ResourceUnavailableException when its folder is not writable (permission denied)
   */
  public static void checkFile(Path file) {
    if (Files.isDirectory(file)) {
      throw new InvalidInputException("cannot write " + file + ": it is a folder, not a file");
    }
    Path parent = file.toAbsolutePath().normalize().getParent();
    if (parent != null) {
      check(parent);
    }
  }

  /**
   * Writes one file complete or not at all, staged as the outputs of {@link Explanation#save}
   * are (so what a killed run leaves is found by {@link #removeStaleStaging}).
   *
   * @param file where the file goes; missing folders are created
   * @param bytes its contents
   * @throws ResourceUnavailableException when it cannot be written (the reason said plainly)
   */
  public static void writeFile(Path file, byte[] bytes) {
    AtomicFiles.write(file, bytes);
  }

  /**
   * Removes the hidden staging folders ({@code .cam4j-staging-*}) that processes killed while
   * saving left in {@code dir}. A folder is removed only when it was made on this host by a
   * process that is no longer running (told by the process id and start time in its name, never
   * by its age), so the saves of a run still going on are untouched.
   *
   * @param dir the output folder; nothing happens when it does not exist
   * @return the folders removed
   */
  public static List<Path> removeStaleStaging(Path dir) {
    return StagingFolders.removeStale(dir);
  }
}

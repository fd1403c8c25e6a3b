package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cam4j.cli.CliProcessIT.Outcome;
import org.cam4j.internal.io.StagingFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of photos with what users' folders hold: names too long for output files, a pipe or
 * a device given as a photo, staging left by a run killed with -9. None of them stops the run.
 */
class PhotoFolderHardeningTest {
  @TempDir
  Path tmp;

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** The staging-folder name prefix of a process that has ended (asked while it ran). */
  private static String deadOwner() throws Exception {
    Process cat = new ProcessBuilder("cat").start(); // runs until its input ends
    String owner = StagingFolders.owner(cat.toHandle());
    cat.getOutputStream().close();
    assertEquals(0, cat.waitFor());
    return owner;
  }

  @Test
  void longNamesAreShortenedAndStaleStagingIsRemovedWhileTheFolderIsExplained()
      throws Exception {
    Path photos = Files.createDirectory(tmp.resolve("photos"));
    Path cat = CliProcessIT.shared("images/cat.png");
    String longName = "x".repeat(236) + ".png"; // 240 characters
    Files.copy(cat, photos.resolve(longName));
    Files.copy(cat, photos.resolve("x".repeat(200) + "y.png")); // the same 91-character prefix
    Files.copy(cat, photos.resolve("a.png"));
    Path out = Files.createDirectory(tmp.resolve("out"));
    Path killed = Files.createDirectory(out.resolve(deadOwner() + "42"));
    Files.writeString(killed.resolve("a_gradcam_overlay.png"), "half written");
    Path running = Files.createDirectory(out.resolve(
        StagingFolders.owner(ProcessHandle.current()) + "7"));

    Outcome r = InProcess.withModel("explain", "--out", out.toString(), photos.toString());

    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("cam4j: note: removed 1 staging folder(s) left in " + out
        + " by runs that were killed while saving: " + killed.getFileName()), r.err());
    assertFalse(Files.exists(killed));
    assertTrue(Files.isDirectory(running), "a live process's staging stays");
    assertTrue(r.err().contains("cam4j: note: " + longName + ": name too long for output"
        + " files; saved as " + "x".repeat(91) + "_"), r.err());
    List<String> written = names(out).stream().filter(n -> !n.startsWith(".")).toList();
    // three photos, five files each, none overwriting another
    assertEquals(15, written.size(), written.toString());
    for (String name : written) {
      assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 255, name);
    }
    assertEquals(2, written.stream().filter(n -> n.startsWith("x".repeat(91) + "_")
        && n.endsWith("_gradcam_overlay.png")).count(), written.toString());
    assertTrue(written.contains("a_gradcam_overlay.png"));
  }

  @Test
  void aPipeOrADeviceGivenAsAPhotoIsRefusedAndTheOthersAreClassified() throws Exception {
    Path fifo = tmp.resolve("pipe.png");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor());
    assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo));
    String cat = CliProcessIT.shared("images/cat.png").toString();

    // reading either would block forever (the pipe has no writer) or never end (/dev/zero)
    Outcome r = InProcess.withModel("classify", fifo.toString(), "/dev/zero", cat);

    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("cam4j: error: " + fifo + " is not a regular file (a pipe or"
        + " device), not an image file"), r.err());
    assertTrue(r.err().contains("cam4j: error: /dev/zero is not a regular file"), r.err());
    assertTrue(r.out().contains(cat + "\n  1. 286"), r.out()); // 286 Egyptian cat, as always

    Outcome metrics = InProcess.withModel("metrics", fifo.toString());
    assertEquals(3, metrics.code(), metrics.err());
    assertEquals("cam4j: error: image " + fifo + " is not a regular file (a folder, pipe or"
        + " device)\n", metrics.err());
  }
}

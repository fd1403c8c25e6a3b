package org.cam4j.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cam4j.ResourceUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A set of files is written whole or leaves nothing behind, not even its staging folder. */
class AtomicFilesTest {
  @TempDir
  Path dir;

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Map<Path, byte[]> fiveFiles() {
    Map<Path, byte[]> files = new LinkedHashMap<>();
    for (int i = 1; i <= 5; i++) {
      files.put(dir.resolve("f" + i + ".txt"), text("file " + i));
    }
    return files;
  }

  @Test
  void writesTheWholeSet() throws IOException {
    Files.writeString(dir.resolve("f2.txt"), "older");
    AtomicFiles.writeAll(fiveFiles());
    assertEquals(List.of("f1.txt", "f2.txt", "f3.txt", "f4.txt", "f5.txt"), names());
    for (int i = 1; i <= 5; i++) {
      assertArrayEquals(text("file " + i), Files.readAllBytes(dir.resolve("f" + i + ".txt")));
    }
  }

  @Test
  void aFailureOnTheThirdFileLeavesNoPartialSet() throws IOException {
    // a non-empty folder where the 3rd file goes: the first two are already renamed into place
    // when the 3rd rename fails, so this exercises the removal of a set published in part
    Path blocker = Files.createDirectory(dir.resolve("f3.txt"));
    Files.writeString(blocker.resolve("keep"), "not ours");
    ResourceUnavailableException e = assertThrows(ResourceUnavailableException.class,
        () -> AtomicFiles.writeAll(fiveFiles()));
    assertTrue(e.getMessage().startsWith("cannot write ["), e.getMessage());
    assertEquals(List.of("f3.txt"), names(), "only the blocking folder remains");
    assertEquals("not ours", Files.readString(blocker.resolve("keep")));
  }

  @Test
  void aFailureWhileStagingWritesNothing() throws IOException {
    Path file = Files.writeString(dir.resolve("report"), "a file where a folder should be");
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(file.resolve("a.txt"), text("a"));
    files.put(file.resolve("b.txt"), text("b"));
    assertThrows(ResourceUnavailableException.class, () -> AtomicFiles.writeAll(files));
    assertEquals(List.of("report"), names());
  }

  @Test
  void aSetMustShareOneFolder() {
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(dir.resolve("a.txt"), text("a"));
    files.put(dir.resolve("sub/b.txt"), text("b"));
    // a programming error, not the user's: IllegalArgumentException
    assertThrows(IllegalArgumentException.class, () -> AtomicFiles.writeAll(files));
  }

  @Test
  void fileErrorsAreSaidPlainly() {
    assertEquals("permission denied (/out/a.png)",
        AtomicFiles.reason(new java.nio.file.AccessDeniedException("/out/a.png")));
    assertEquals("no such file or folder (/out)",
        AtomicFiles.reason(new java.nio.file.NoSuchFileException("/out")));
    assertEquals("File name too long (/out/x.png)", AtomicFiles.reason(
        new java.nio.file.FileSystemException("/out/x.png", null, "File name too long")));
  }
}

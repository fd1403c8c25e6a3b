package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders expand to their photos; with --recursive, their subfolders' photos too. */
class ImageArgumentsTest {
  @TempDir
  Path dir;

  private Path touch(String relative) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {1});
    return p;
  }

  @Test
  void aFolderGivesItsOwnPhotosAndRecursiveItsSubfoldersToo() throws IOException {
    Path top = touch("b.JPG");
    touch("notes.txt");
    Path nested = touch("a/z.png");
    Path deeper = touch("a/deep/y.webp");
    Path sibling = touch("a-b/x.png");

    assertEquals(List.of(top), ImageArguments.expand(List.of(dir)));
    assertEquals(List.of(deeper, nested, sibling, top),
        ImageArguments.expand(List.of(dir), true), "name by name: a/ before a-b/ before b.JPG");
  }

  @Test
  void aFolderWithPhotosOnlyInSubfoldersPointsToRecursive() throws IOException {
    touch("sub/cat.png");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ImageArguments.expand(List.of(dir)));
    assertTrue(e.getMessage().contains("--recursive"), e.getMessage());
    assertEquals(1, ImageArguments.expand(List.of(dir), true).size());
  }
}

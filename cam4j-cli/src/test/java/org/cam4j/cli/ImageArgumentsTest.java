package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a folder argument stands for. */
class ImageArgumentsTest {
  @Test
  void subfoldersAreSearchedOnlyWhenRecursive(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("b/deeper"));
    for (String name : List.of("z.png", "notes.txt", "b/cat.JPG", "b/deeper/dog.webp")) {
      Files.writeString(dir.resolve(name), "");
    }
    assertEquals(List.of(dir.resolve("z.png")), ImageArguments.expand(List.of(dir), false));
    assertEquals(List.of(dir.resolve("b/cat.JPG"), dir.resolve("b/deeper/dog.webp"),
        dir.resolve("z.png")), ImageArguments.expand(List.of(dir), true));

    Path onlyBelow = dir.resolve("c");
    Files.createDirectories(onlyBelow.resolve("inner"));
    Files.writeString(onlyBelow.resolve("inner/x.gif"), "");
    InvalidInputException none = assertThrows(InvalidInputException.class,
        () -> ImageArguments.expand(List.of(onlyBelow), false));
    assertEquals("no images (bmp, gif, jpeg, jpg, png, webp) in folder " + onlyBelow,
        none.getMessage());
    assertEquals(List.of(onlyBelow.resolve("inner/x.gif")),
        ImageArguments.expand(List.of(onlyBelow), true));
  }
}

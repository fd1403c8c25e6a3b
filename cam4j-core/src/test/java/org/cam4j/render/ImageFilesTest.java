package org.cam4j.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cam4j.InvalidInputException;
import org.cam4j.image.ImageLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir
  Path dir;

  private static BufferedImage gradient() {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, (x * 4 << 16) | (y * 5 << 8) | 128);
      }
    }
    return image;
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void pngIsLosslessAndNothingElseIsLeft() throws IOException {
    BufferedImage image = gradient();
    Path png = dir.resolve("out/cam.png");
    ImageFiles.save(image, png);
    BufferedImage back = ImageLoader.defaults().load(png);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        assertEquals(image.getRGB(x, y), back.getRGB(x, y));
      }
    }
    try (Stream<Path> files = Files.list(png.getParent())) {
      assertEquals(List.of(png), files.toList());
    }
  }

  @Test
  void jpegUsesQuality92AndReplacesAnOldFile() throws IOException {
    Path jpg = dir.resolve("cam.JPG");
    Files.writeString(jpg, "old");
    ImageFiles.save(gradient(), jpg);
    byte[] bytes = Files.readAllBytes(jpg);
    assertEquals(0xFF, bytes[0] & 0xFF);
    assertEquals(0xD8, bytes[1] & 0xFF);
    BufferedImage back = ImageLoader.defaults().load(jpg);
    int worst = 0;
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        for (int shift = 0; shift <= 16; shift += 8) {
          worst = Math.max(worst, Math.abs(((gradient().getRGB(x, y) >> shift) & 0xFF)
              - ((back.getRGB(x, y) >> shift) & 0xFF)));
        }
      }
    }
    assertTrue(worst <= 8, "JPEG error " + worst);
    assertEquals(List.of("cam.JPG"), names());
  }

  @Test
  void unsupportedExtensionAndBlockedFolder() throws IOException {
    assertEquals("cannot save " + dir.resolve("cam.bmp") + ": use a .png, .jpg or .jpeg name",
        assertThrows(InvalidInputException.class,
            () -> ImageFiles.save(gradient(), dir.resolve("cam.bmp"))).getMessage());
    Path file = Files.writeString(dir.resolve("report"), "a file where a folder should be");
    Path target = file.resolve("sub/cam.png");
    assertEquals("cannot save " + target + ": " + file + " is a file, not a folder",
        assertThrows(ImageWriteException.class, () -> ImageFiles.save(gradient(), target))
            .getMessage());
    assertEquals(List.of("report"), names());
  }
}

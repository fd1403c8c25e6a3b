package org.cam4j.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class MontageTest {
  private static BufferedImage filled(int w, int h, int rgb) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  @Test
  void stripPlacesPicturesLeftToRight() {
    BufferedImage strip = Montage.defaults().strip(filled(30, 20, 0xFF0000),
        filled(30, 20, 0x00FF00), filled(30, 20, 0x0000FF));
    assertEquals(8 + 3 * (30 + 8), strip.getWidth());
    assertEquals(8 + 20 + 8, strip.getHeight());
    assertEquals(0xFFFFFF, strip.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0xFF0000, strip.getRGB(8, 8) & 0xFFFFFF);
    assertEquals(0x00FF00, strip.getRGB(46, 8) & 0xFFFFFF);
    assertEquals(0x0000FF, strip.getRGB(84 + 29, 8 + 19) & 0xFFFFFF);
    assertEquals(0xFFFFFF, strip.getRGB(84 + 30, 8) & 0xFFFFFF);
  }

  @Test
  void gridWithCaptionsAddsACaptionBand() {
    Montage montage = Montage.builder().gap(4).background(Color.WHITE).build();
    List<Tile> tiles = List.of(new Tile(filled(40, 30, 0x000000), "malamute 0.400"),
        Tile.of(filled(20, 10, 0x808080)), new Tile(filled(40, 30, 0x000000), "eskimo dog"));
    BufferedImage grid = montage.grid(tiles, 2);
    assertEquals(4 + 2 * (40 + 4), grid.getWidth());
    int rowHeight = (grid.getHeight() - 4) / 2 - 4;
    assertTrue(rowHeight > 30, "caption band missing: row height " + rowHeight);
    // the small tile is centred in its 40x30 cell
    assertEquals(0x808080, grid.getRGB(48 + 10, 4 + 10) & 0xFFFFFF);
    assertEquals(0xFFFFFF, grid.getRGB(48 + 9, 4 + 9) & 0xFFFFFF);
    // third tile starts the second row
    assertEquals(0x000000, grid.getRGB(4, 4 + rowHeight + 4) & 0xFFFFFF);
    int dark = 0;
    for (int y = 4 + 30; y < 4 + rowHeight; y++) {
      for (int x = 4; x < 44; x++) {
        if ((grid.getRGB(x, y) & 0xFF) < 128) {
          dark++;
        }
      }
    }
    assertTrue(dark > 10, "no caption text drawn under the first tile");
  }
}

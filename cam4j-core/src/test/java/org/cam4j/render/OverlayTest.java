package org.cam4j.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.cam4j.InvalidInputException;
import org.cam4j.SharedData;
import org.cam4j.image.ImageLoader;
import org.junit.jupiter.api.Test;

class OverlayTest {
  private static int channel(int rgb, int c) {
    return (rgb >> (16 - 8 * c)) & 0xFF;
  }

  /** A horizontal ramp 0..1 over the photo's width. */
  private static Heatmap ramp(int w, int h) {
    float[] v = new float[w * h];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % w) / (float) (w - 1);
    }
    return Heatmap.of(w, h, v);
  }

  @Test
  void alphaBlendFollowsTheFormulaAtThePhotosSize() {
    BufferedImage photo = ImageLoader.defaults().load(SharedData.path("images/cat.png"));
    Heatmap heat = ramp(photo.getWidth(), photo.getHeight());
    BufferedImage out = Overlay.defaults().blend(photo, heat);
    assertEquals(photo.getWidth(), out.getWidth());
    assertEquals(photo.getHeight(), out.getHeight());
    for (int[] xy : new int[][] {{0, 0}, {100, 50}, {255, 170}, {400, 300}, {511, 340}}) {
      int p = photo.getRGB(xy[0], xy[1]);
      int q = Colormap.JET.rgb(heat.get(xy[0], xy[1]));
      int o = out.getRGB(xy[0], xy[1]);
      for (int c = 0; c < 3; c++) {
        long expected = Math.round(0.6 * channel(p, c) + 0.4 * channel(q, c));
        assertEquals(expected, channel(o, c), "channel " + c + " at " + xy[0] + "," + xy[1]);
      }
    }
  }

  @Test
  void seedModeIsTheKerasTutorial() {
    // photo (10, 20, 30), (250, 250, 250), (0, 0, 0); heat 0, 1 and 0.5, whose colours are jet
    // entries 0 (0, 0, 128), 255 (128, 0, 0) and 127 = uint8(255 * 0.5) (122, 255, 125)
    BufferedImage photo = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
    photo.setRGB(0, 0, 0x0A141E);
    photo.setRGB(1, 0, 0xFAFAFA);
    assertEquals(0x7AFF7D, Colormap.JET.entry(127));
    Overlay seed = Overlay.builder().mode(Overlay.Mode.SEED).build();
    BufferedImage out = seed.blend(photo, Heatmap.of(3, 1, new float[] {0, 1, 0.5f}));
    // s = heat * 0.4 + photo; min 10, max 250 + 0.4 * 128 = 301.2
    double[] s = {10, 20, 30 + 0.4 * 128, 250 + 0.4 * 128, 250, 250, 0.4 * 122, 0.4 * 255,
        0.4 * 125};
    for (int i = 0; i < s.length; i++) {
      int expected = (int) Math.floor((s[i] - 10) / (301.2 - 10) * 255);
      assertEquals(expected, channel(out.getRGB(i / 3, 0), i % 3), "value " + i);
    }
    assertEquals(0, channel(out.getRGB(0, 0), 0));
    assertEquals(255, channel(out.getRGB(1, 0), 0));
  }

  @Test
  void seedOfAConstantImageIsBlack() {
    BufferedImage photo = new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB);
    BufferedImage out = Overlay.builder().mode(Overlay.Mode.SEED).colormap(Colormap.GRAY).build()
        .blend(photo, Heatmap.of(3, 3, new float[9]));
    assertEquals(0, out.getRGB(1, 1) & 0xFFFFFF);
  }

  @Test
  void heatmapMustHaveThePhotosSize() {
    BufferedImage photo = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    assertEquals("heatmap is 2x2 but the photo is 4x4; bring it to the photo with"
        + " Heatmaps.toPhoto", assertThrows(IllegalArgumentException.class,
            () -> Overlay.defaults().blend(photo, Heatmap.of(2, 2, new float[4]))).getMessage());
    assertThrows(InvalidInputException.class, () -> Overlay.builder().alpha(1.5));
  }
}

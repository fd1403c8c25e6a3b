package org.cam4j.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ColormapTest {
  @Test
  void jetEndsAsMatplotlib() {
    // matplotlib: jet(0) = (0, 0, 0.5), jet(1) = (0.5, 0, 0); 127.5 rounds to 128
    assertEquals(0x000080, Colormap.JET.rgb(0));
    assertEquals(0x800000, Colormap.JET.rgb(1));
    assertEquals(0x000080, Colormap.JET.rgb(-3));
    assertEquals(0x800000, Colormap.JET.rgb(7));
    assertEquals(0x000080, Colormap.JET.rgb(Double.NaN));
  }

  @Test
  void indexRuleIsMatplotlibs() {
    assertEquals(0, Colormap.index(0));
    assertEquals(0, Colormap.index(0.9 / 256));
    assertEquals(1, Colormap.index(1.0 / 256));
    assertEquals(128, Colormap.index(0.5));
    assertEquals(255, Colormap.index(255.5 / 256));
    assertEquals(255, Colormap.index(1));
    assertEquals(Colormap.GRAY.entry(128), Colormap.GRAY.rgb(0.5));
  }

  @Test
  void grayIsTheIdentity() {
    for (int i = 0; i < Colormap.SIZE; i++) {
      assertEquals(i * 0x010101, Colormap.GRAY.entry(i));
    }
  }

  /** matplotlib 3.11 {@code cmap(i)[:3] * 255} at entries 0, 37, 128, 200 and 255. */
  private static final int[] SAMPLED = {0, 37, 128, 200, 255};

  private static void assertNear(Colormap map, double[][] matplotlib, double tolerance) {
    for (int k = 0; k < SAMPLED.length; k++) {
      int rgb = map.entry(SAMPLED[k]);
      int[] ours = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
      for (int c = 0; c < 3; c++) {
        assertTrue(Math.abs(ours[c] - matplotlib[k][c]) <= tolerance, map + " entry "
            + SAMPLED[k] + " channel " + c + ": " + ours[c] + " vs " + matplotlib[k][c]);
      }
    }
  }

  @Test
  void jetMatchesMatplotlibToRounding() {
    assertNear(Colormap.JET, new double[][] {{0, 0, 127.5}, {0, 20.5, 255},
        {125, 255, 121.774}, {255, 118.704, 0}, {127.5, 0, 0}}, 0.5);
  }

  @Test
  void anchoredMapsAreWithinTheDocumentedError() {
    assertNear(Colormap.TURBO, new double[][] {{48.437, 18.299, 59.203},
        {70.584, 120.235, 240.246}, {164.123, 252.447, 59.558}, {244.293, 101.893, 22.519},
        {122.298, 4.037, 2.690}}, 2.61);
    assertNear(Colormap.VIRIDIS, new double[][] {{68.086, 1.243, 84.001},
        {69.903, 50.929, 127.222}, {32.530, 144.572, 140.392}, {112.235, 206.840, 86.947},
        {253.278, 231.070, 36.704}}, 1.98);
    assertNear(Colormap.INFERNO, new double[][] {{0.373, 0.119, 3.536},
        {41.486, 11.106, 84.986}, {187.599, 55.056, 84.212}, {251.418, 157.016, 6.526},
        {252.032, 254.583, 164.456}}, 2.12);
  }

  @Test
  void rendersOnePixelPerValue() {
    BufferedImage image = Colormap.JET.render(Heatmap.of(2, 1, new float[] {0, 1}));
    assertEquals(2, image.getWidth());
    assertEquals(1, image.getHeight());
    assertEquals(0x000080, image.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x800000, image.getRGB(1, 0) & 0xFFFFFF);
  }
}

package org.cam4j.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.cam4j.image.PreparedImage;
import org.cam4j.image.Preprocessing.ResizeMode;
import org.cam4j.image.Preprocessing;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;
import org.junit.jupiter.api.Test;

class HeatmapsTest {
  @Test
  void resizeIsHalfPixelBilinear() {
    // cv2.resize(np.float32([[0, 1]]), (4, 1), interpolation=INTER_LINEAR) = [0, .25, .75, 1]
    Heatmap up = Heatmaps.resize(Heatmap.of(2, 2, new float[] {0, 1, 0, 1}), 4, 4);
    assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, row(up, 0), 1e-7f);
    assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, row(up, 3), 1e-7f);
    Heatmap vertical = Heatmaps.resize(Heatmap.of(1, 2, new float[] {0, 1}), 1, 4);
    assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, vertical.values(), 1e-7f);
    // 7 cells to 224 pixels: pixel x reads (x + 0.5) / 32 - 0.5; cell 3's centre is at 111.5
    Heatmap seven = Heatmap.of(7, 1, new float[] {0, 0, 0, 1, 0, 0, 0});
    Heatmap big = Heatmaps.resize(seven, 224, 1);
    assertEquals(0, big.get(79, 0));
    assertEquals(1f / 64, big.get(80, 0), 1e-7f);
    assertEquals(1 - 1f / 64, big.get(111, 0), 1e-6f);
    assertEquals(big.get(111, 0), big.get(112, 0));
  }

  private static float[] row(Heatmap map, int y) {
    float[] out = new float[map.width()];
    for (int x = 0; x < out.length; x++) {
      out[x] = map.get(x, y);
    }
    return out;
  }

  @Test
  void squashedInputMapCoversTheWholePhoto() {
    PreparedImage prepared = Preprocessing.RAW.prepare(
        new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB), Layout.NCHW, 2, 2);
    Heatmap onPhoto = Heatmaps.toPhoto(Heatmap.of(2, 2, new float[] {0, 1, 0, 1}), prepared);
    assertEquals(8, onPhoto.width());
    assertEquals(4, onPhoto.height());
    // pixel x maps to (x + 0.5) / 4 - 0.5 on the 2-wide map
    assertArrayEquals(new float[] {0, 0, 0.125f, 0.375f, 0.625f, 0.875f, 1, 1}, row(onPhoto, 2),
        1e-7f);
  }

  @Test
  void centreCropMapLandsOnTheCropBoxAndZeroOutside() {
    // 40x20 photo, 8x8 input at crop fraction 0.8: the input covers photo x 12..28, y 2..18
    Preprocessing crop = Preprocessing.RAW.toBuilder().resizeMode(ResizeMode.CENTER_CROP)
        .cropFraction(0.8).build();
    PreparedImage prepared = crop.prepare(new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB),
        Layout.NCHW, 8, 8);
    float[] ones = new float[64];
    java.util.Arrays.fill(ones, 1);
    Heatmap onPhoto = Heatmaps.toPhoto(Heatmap.of(8, 8, ones), prepared);
    assertEquals(40, onPhoto.width());
    assertEquals(20, onPhoto.height());
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 40; x++) {
        boolean inside = x >= 12 && x < 28 && y >= 2 && y < 18;
        assertEquals(inside ? 1f : 0f, onPhoto.get(x, y), "at " + x + "," + y);
      }
    }
    // a horizontal ramp over the 8 input columns: photo pixel x reads input (x - 12 + .5) / 2 - .5
    float[] ramp = new float[64];
    for (int i = 0; i < 64; i++) {
      ramp[i] = (i % 8) / 7f;
    }
    Heatmap rampOnPhoto = Heatmaps.toPhoto(Heatmap.of(8, 8, ramp), prepared);
    assertEquals(0, rampOnPhoto.get(12, 10), 1e-7f);
    assertEquals(0.75f / 7, rampOnPhoto.get(14, 10), 1e-6f);
    assertEquals(1, rampOnPhoto.get(27, 10), 1e-7f);
    assertEquals(0, rampOnPhoto.get(28, 10));
  }

  @Test
  void heatmapFromTensorShapes() {
    float[] v = {1, 2, 3, 4, 5, 6};
    for (long[] shape : new long[][] {{2, 3}, {1, 2, 3}, {1, 1, 2, 3}}) {
      Heatmap map = Heatmap.of(FloatTensor.of(shape, v));
      assertEquals(3, map.width());
      assertEquals(2, map.height());
      assertEquals(6, map.get(2, 1));
    }
    assertThrows(IllegalArgumentException.class,
        () -> Heatmap.of(FloatTensor.of(new long[] {2, 1, 3}, v)));
    assertThrows(IllegalArgumentException.class, () -> Heatmap.of(4, 2, v));
  }
}

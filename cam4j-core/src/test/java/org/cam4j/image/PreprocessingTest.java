package org.cam4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.cam4j.image.Preprocessing.ChannelOrder;
import org.cam4j.image.Preprocessing.ResizeMode;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {
  private static final int R = 200;
  private static final int G = 100;
  private static final int B = 30;

  @TempDir
  Path dir;

  /** 2x2 photo: (R, G, B) at the top left, (0, 0, 0) elsewhere; prepared at its own size. */
  private static float[] firstPixel(Preprocessing p, Layout layout) {
    BufferedImage photo = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    photo.setRGB(0, 0, (R << 16) | (G << 8) | B);
    FloatTensor t = p.prepare(photo, layout, 2, 2).tensor();
    return layout == Layout.NCHW ? new float[] {t.get(0), t.get(4), t.get(8)}
        : new float[] {t.get(0), t.get(1), t.get(2)};
  }

  @Test
  void presetsApplyTheirFormulas() {
    assertArrayEquals(new float[] {(float) (B - 103.939), (float) (G - 116.779),
        (float) (R - 123.68)}, firstPixel(Preprocessing.KERAS_CAFFE, Layout.NCHW), 1e-5f);
    assertArrayEquals(new float[] {(R / 255f - 0.485f) / 0.229f, (G / 255f - 0.456f) / 0.224f,
        (B / 255f - 0.406f) / 0.225f}, firstPixel(Preprocessing.TORCH, Layout.NCHW), 1e-5f);
    assertArrayEquals(new float[] {R / 127.5f - 1, G / 127.5f - 1, B / 127.5f - 1},
        firstPixel(Preprocessing.TF, Layout.NCHW), 1e-6f);
    assertArrayEquals(new float[] {(R - 128) / 128f, (G - 128) / 128f, (B - 128) / 128f},
        firstPixel(Preprocessing.INCEPTION, Layout.NCHW), 0f);
    assertArrayEquals(new float[] {R, G, B}, firstPixel(Preprocessing.RAW, Layout.NCHW), 0f);
    assertArrayEquals(new float[] {R, G, B}, firstPixel(Preprocessing.RAW, Layout.NHWC), 0f);
    assertArrayEquals(new float[] {B - 103.939f, G - 116.779f, R - 123.68f},
        firstPixel(Preprocessing.KERAS_CAFFE, Layout.NHWC), 1e-5f);
  }

  @Test
  void shapesFollowTheLayout() {
    BufferedImage photo = new BufferedImage(10, 6, BufferedImage.TYPE_INT_RGB);
    PreparedImage nchw = Preprocessing.RAW.prepare(photo, Layout.NCHW, 5, 4);
    assertArrayEquals(new long[] {1, 3, 4, 5}, nchw.tensor().shape());
    PreparedImage nhwc = Preprocessing.RAW.prepare(photo, Layout.NHWC, 5, 4);
    assertArrayEquals(new long[] {1, 4, 5, 3}, nhwc.tensor().shape());
    assertEquals(5, nhwc.inputWidth());
    assertEquals(4, nhwc.inputHeight());
    assertEquals(10, nhwc.photoWidth());
    assertEquals(6, nhwc.photoHeight());
  }

  /** Red channel = 6 * x + y (fits 8 bits up to 42x22), to check resamples against the card. */
  private static BufferedImage ramp(int w, int h) {
    BufferedImage photo = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        photo.setRGB(x, y, (6 * x + y) << 16);
      }
    }
    return photo;
  }

  /** The card: src = max((dst + 0.5) * in / out - 0.5, 0), i1 = min(i0 + 1, in - 1). */
  private static double[] cardAxis(double start, double step, int in, int dst) {
    double src = Math.max(start + (dst + 0.5) * step - 0.5, 0);
    int i0 = (int) Math.floor(src);
    int i1 = Math.min(i0 + 1, in - 1);
    return new double[] {i0, i1, src - i0};
  }

  private static double cardRamp(double[] ax, double[] ay) {
    double top = (1 - ax[2]) * (6 * ax[0] + ay[0]) + ax[2] * (6 * ax[1] + ay[0]);
    double bottom = (1 - ax[2]) * (6 * ax[0] + ay[1]) + ax[2] * (6 * ax[1] + ay[1]);
    return (1 - ay[2]) * top + ay[2] * bottom;
  }

  @Test
  void squashBilinearIsTheCardFormula() {
    FloatTensor t = Preprocessing.RAW.prepare(ramp(13, 7), Layout.NCHW, 5, 4).tensor();
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        double expected = cardRamp(cardAxis(0, 13 / 5.0, 13, x), cardAxis(0, 7 / 4.0, 7, y));
        assertEquals(expected, t.get(y * 5 + x), 1e-4, "at " + x + "," + y);
      }
    }
    // upscaling clamps at both edges
    FloatTensor up = Preprocessing.RAW.prepare(ramp(2, 1), Layout.NCHW, 4, 1).tensor();
    assertArrayEquals(new float[] {0, 1.5f, 4.5f, 6}, Arrays.copyOf(up.toArray(), 4));
  }

  @Test
  void squashNearestPicksTheCentrePixel() {
    Preprocessing nearest = Preprocessing.RAW.toBuilder()
        .resizeMode(ResizeMode.SQUASH_NEAREST).build();
    FloatTensor t = nearest.prepare(ramp(10, 1), Layout.NCHW, 4, 1).tensor();
    // centres 1.25, 3.75, 6.25, 8.75 fall in pixels 1, 3, 6, 8
    assertArrayEquals(new float[] {6, 18, 36, 48}, Arrays.copyOf(t.toArray(), 4));
  }

  @Test
  void centerCropResizesTheShortSideThenCrops() {
    Preprocessing crop = Preprocessing.RAW.toBuilder().resizeMode(ResizeMode.CENTER_CROP).build();
    // 512x341 -> shorter side 341 to 256 (224 / 0.875): 384x256, crop at (80, 16)
    PreparedImage p = crop.prepare(new BufferedImage(512, 341, BufferedImage.TYPE_INT_RGB),
        Layout.NCHW, 224, 224);
    CropBox box = p.cropBox();
    assertEquals(80 * 512 / 384.0, box.x(), 1e-9);
    assertEquals(16 * 341 / 256.0, box.y(), 1e-9);
    assertEquals(224 * 512 / 384.0, box.width(), 1e-9);
    assertEquals(224 * 341 / 256.0, box.height(), 1e-9);

    // 40x20 ramp, 8x8 input: resized to 20x10 (8 / 0.8 = 10 on the short side), crop at (6, 1)
    Preprocessing small = crop.toBuilder().cropFraction(0.8).build();
    PreparedImage q = small.prepare(ramp(40, 20), Layout.NCHW, 8, 8);
    assertEquals(new CropBox(12, 2, 16, 16), q.cropBox());
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        double expected = cardRamp(cardAxis(12, 2, 40, x), cardAxis(2, 2, 20, y));
        assertEquals(expected, q.tensor().get(y * 8 + x), 1e-4, "at " + x + "," + y);
      }
    }
  }

  @Test
  void parsesPresetsAndSpecs() {
    assertEquals(Preprocessing.KERAS_CAFFE, Preprocessing.parse("keras-caffe"));
    assertEquals(Preprocessing.TORCH, Preprocessing.parse("torch"));
    assertEquals(Preprocessing.TF, Preprocessing.parse("TF"));
    assertEquals(Preprocessing.INCEPTION, Preprocessing.parse(" inception "));
    assertEquals(Preprocessing.RAW, Preprocessing.parse("raw"));

    Preprocessing spec = Preprocessing.parse(
        "mean=123.68,116.78,103.94;std=58.4,57.1,57.4;scale=1;order=rgb");
    assertArrayEquals(new double[] {123.68, 116.78, 103.94}, spec.mean());
    assertArrayEquals(new double[] {58.4, 57.1, 57.4}, spec.std());
    assertEquals(1, spec.scale());
    assertEquals(ChannelOrder.RGB, spec.channelOrder());
    assertEquals(ResizeMode.SQUASH_BILINEAR, spec.resizeMode());

    Preprocessing derived = Preprocessing.parse("torch; resize=center-crop; crop=0.9");
    assertEquals(Preprocessing.TORCH.toBuilder().resizeMode(ResizeMode.CENTER_CROP)
        .cropFraction(0.9).build(), derived);
    assertEquals(1 / 255.0, Preprocessing.parse("scale=1/255;mean=0.5;order=BGR").scale());
    assertArrayEquals(new double[] {0.5, 0.5, 0.5}, Preprocessing.parse("mean=0.5").mean());
    for (Preprocessing p : new Preprocessing[] {Preprocessing.KERAS_CAFFE, Preprocessing.TORCH,
        derived, spec}) {
      assertEquals(p, Preprocessing.parse(p.toString()), p.toString());
    }
  }

  @Test
  void parseErrorsSayWhatIsValid() {
    assertEquals("preprocessing 'caffe': unknown preprocessing 'caffe'; valid presets:"
        + " keras-caffe, torch, tf, inception, raw, or a spec like"
        + " mean=123.68,116.78,103.94;std=58.4,57.1,57.4;scale=1;order=rgb",
        assertThrows(PreprocessingException.class, () -> Preprocessing.parse("caffe"))
            .getMessage());
    assertEquals("preprocessing 'mean=1;colour=rgb': unknown key 'colour'; valid keys: mean,"
        + " std, scale, order, resize, crop",
        assertThrows(PreprocessingException.class,
            () -> Preprocessing.parse("mean=1;colour=rgb")).getMessage());
    assertEquals("preprocessing 'mean=1,2': mean needs 1 or 3 values, got 2",
        assertThrows(PreprocessingException.class, () -> Preprocessing.parse("mean=1,2"))
            .getMessage());
    assertEquals("preprocessing 'std=0': std must not be 0, got [0.0]",
        assertThrows(PreprocessingException.class, () -> Preprocessing.parse("std=0"))
            .getMessage());
    assertEquals("preprocessing 'scale=x': 'x' is not a number",
        assertThrows(PreprocessingException.class, () -> Preprocessing.parse("scale=x"))
            .getMessage());
    assertEquals("preprocessing 'order=rbg': order must be one of rgb, bgr; got 'rbg'",
        assertThrows(PreprocessingException.class, () -> Preprocessing.parse("order=rbg"))
            .getMessage());
    assertEquals("preprocessing 'resize=crop': resize must be one of squash-bilinear,"
        + " squash-nearest, center-crop; got 'crop'",
        assertThrows(PreprocessingException.class, () -> Preprocessing.parse("resize=crop"))
            .getMessage());
    assertTrue(assertThrows(PreprocessingException.class, () -> Preprocessing.parse("mean=1;tf"))
        .getMessage().contains("only the first item may be a preset name"));
    assertTrue(assertThrows(PreprocessingException.class, () -> Preprocessing.parse(" ; "))
        .getMessage().startsWith("preprocessing ' ; ' is empty"));
  }

  @Test
  void readsTheSidecarBesideTheModel() throws IOException {
    Path model = dir.resolve("resnet50.onnx");
    Files.writeString(model, "not read");
    assertEquals(Optional.empty(), Preprocessing.sidecarOf(model));
    Files.writeString(dir.resolve("resnet50.onnx.preprocess"), """
        # Keras ResNet50
        keras-caffe
        resize=center-crop   # torchvision-style crop
        """);
    assertEquals(Optional.of(Preprocessing.KERAS_CAFFE.toBuilder()
        .resizeMode(ResizeMode.CENTER_CROP).build()), Preprocessing.sidecarOf(model));
    Path bad = dir.resolve("bad.preprocess");
    Files.writeString(bad, "mean=1\nstd=oops\n");
    assertEquals(bad + ": 'oops' is not a number",
        assertThrows(PreprocessingException.class, () -> Preprocessing.read(bad)).getMessage());
  }
}

package org.cam4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cam4j.SharedData;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MobileNetV2 card's preprocessing (INCEPTION, whole-image bilinear, NCHW 224x224) reproduces
 * the reference inputs in shared/reference/real_mobilenet_v2. Measured: at most 2.4e-7 (2 float
 * ulps, 3e-5 grey levels) for both photos; the JPEG decodes to the same pixels as the reference's
 * decoder (both libjpeg's default integer IDCT with fancy upsampling). With the exact ratio
 * in/out instead of its float32 rounding the gap would be 1.3e-5.
 */
class ReferenceInputTest {
  private static final float TOLERANCE = 1e-6f;

  @ParameterizedTest
  @ValueSource(strings = {"cat.png", "dog.jpg"})
  void matchesReferenceInput(String photo) {
    PreparedImage prepared = Preprocessing.INCEPTION.prepare(
        ImageLoader.defaults().load(SharedData.path("images/" + photo)), Layout.NCHW, 224, 224);
    FloatTensor expected = Npy.read(SharedData.path("reference/real_mobilenet_v2/"
        + photo.replaceFirst("\\.\\w+$", ".npy")));
    FloatTensor ours = prepared.tensor();
    assertArrayEquals(expected.shape(), ours.shape());
    float max = 0;
    for (int i = 0; i < ours.size(); i++) {
      max = Math.max(max, Math.abs(ours.get(i) - expected.get(i)));
    }
    assertTrue(max <= TOLERANCE, photo + ": max difference " + max);
    assertEquals(new CropBox(0, 0, prepared.photoWidth(), prepared.photoHeight()),
        prepared.cropBox());
  }
}

package org.cam4j.method;

import org.cam4j.internal.maps.MapOps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cam4j.Targets;
import org.cam4j.TinyCnn;
import org.cam4j.engine.CamModel;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AugSmoothTest {
  private static final int S = TinyCnn.SIZE;

  /**
   * A mirror-symmetric image through a mirror-symmetric, positively homogeneous network: the
   * mirrored copies are the image itself and the factors only scale the raw map, so after each
   * copy's min-max scaling every copy gives the plain map. Float32 rounding of the scaled
   * copies: 1e-5.
   */
  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({"gradcam, a1", "gradcam, a2", "saliency, a1"})
  void symmetricImageAndNetworkGiveThePlainMap(String name, String layer) {
    TinyModel tiny = TinyCnn.mirrorSymmetric();
    FloatTensor x = mirrorSymmetric(TinyCnn.input(tiny, 2, 51));
    try (CamModel m = TinyCnn.load(tiny)) {
      CamMethod plain = Methods.byName(name);
      CamContext context = CamContext.of(m, x, List.of(layer), Targets.classes(0, 2));
      float[] expected = plain.rawMaps(context, layer).toArray();
      int area = expected.length / 2;
      for (int i = 0; i < 2; i++) {
        float[] one = new float[area];
        System.arraycopy(expected, i * area, one, 0, area);
        MapOps.relu(one);
        MapOps.scale(one);
        System.arraycopy(one, 0, expected, i * area, area);
      }
      FloatTensor smoothed = AugSmooth.of(plain).rawMaps(context, layer);
      float peak = 0;
      for (int j = 0; j < expected.length; j++) {
        assertEquals(expected[j], smoothed.get(j), 1e-5f, "element " + j);
        peak = Math.max(peak, expected[j]);
      }
      assertTrue(peak > 0.99f, "the plain map is empty");
    }
  }

  /**
   * Flip-only smoothing averages a map with the un-mirrored map of the mirrored image, so the
   * result for the mirrored image is the mirror of the result (float addition commutes: up to
   * the 1e-6 by which a batch row may differ from its run in another position), although the
   * network is not symmetric.
   */
  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({"gradcam, a1", "gradcam, a2", "layercam, a1", "saliency, a1"})
  void flipOnlyAveragingIsFlipInvariant(String name, String layer) {
    TinyModel tiny = TinyCnn.relu();
    FloatTensor x = TinyCnn.input(tiny, 1, 52);
    try (CamModel m = TinyCnn.load(tiny)) {
      AugSmooth flipOnly = AugSmooth.builder(Methods.byName(name)).factors(1f).build();
      FloatTensor map = flipOnly.rawMaps(CamContext.of(m, x, List.of(layer),
          Targets.classes(4)), layer);
      FloatTensor ofMirror = flipOnly.rawMaps(CamContext.of(m, mirrored(x), List.of(layer),
          Targets.classes(4)), layer);
      FloatTensor plain = Methods.byName(name).rawMaps(CamContext.of(m, x, List.of(layer),
          Targets.classes(4)), layer);
      int h = (int) map.dim(1);
      int w = (int) map.dim(2);
      float asymmetry = 0;
      for (int y = 0; y < h; y++) {
        for (int c = 0; c < w; c++) {
          float v = map.get(y * w + c);
          assertEquals(v, ofMirror.get(y * w + w - 1 - c), 1e-6f, "row " + y + " col " + c);
          asymmetry = Math.max(asymmetry, Math.abs(plain.get(y * w + c)
              - plain.get(y * w + w - 1 - c)));
        }
      }
      assertTrue(asymmetry > 1e-3f, "the plain map is already symmetric: a weak check");
    }
  }

  private static FloatTensor mirrored(FloatTensor x) {
    float[] out = new float[x.size()];
    for (int j = 0; j < out.length; j++) {
      int col = j % S;
      out[j] = x.get(j - col + S - 1 - col);
    }
    return FloatTensor.of(x.shape(), out);
  }

  private static FloatTensor mirrorSymmetric(FloatTensor x) {
    float[] out = x.toArray();
    for (int j = 0; j < out.length; j++) {
      int col = j % S;
      if (col >= S / 2) {
        out[j] = out[j - col + S - 1 - col];
      }
    }
    return FloatTensor.of(x.shape(), out);
  }
}

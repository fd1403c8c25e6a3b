package org.cam4j.method;

import static org.cam4j.method.FeatureLayoutTest.assertClose;
import static org.cam4j.method.FeatureLayoutTest.rawMaps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cam4j.SharedData;
import org.cam4j.UnsupportedModelException;
import org.cam4j.TinyCnn;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.Target;
import org.cam4j.method.FeatureLayoutTest.Head;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;

/**
 * Every registered method ({@link Methods#names()}) on a token layer and on a channels-last
 * layer. The twins of {@link FeatureLayoutTest} hold the same values as NCHW, NHWC and tokens,
 * so every map must equal the NCHW twin's; on the shared ViT every map must be finite, of the
 * token grid's size (the input's for methods that attribute to pixels), and not constant. CAM
 * alone refuses the ViT's token layer, which no pool follows.
 */
class EveryMethodEveryLayoutTest {
  /**
   * CAM needs a global average pool and a linear classifier right after the layer: the twins'
   * a2 has one (GlobalAveragePool, or ReduceMean over the NHWC grid axes), the ViT's token layer
   * feeds its last attention block instead.
   */
  private static final String NEEDS_POOL = "cam";

  /** Attention rollout reads a transformer's attention maps; the twins have none. */
  private static final String NEEDS_ATTENTION = "attention-rollout";

  /**
   * Same weights read through another layout: A and dA are equal up to float32 summation order,
   * and so are the head's scores of ablated and mosaic copies. Measured worst case over all
   * methods 1.2e-7 of the map's max (ablationcam, tokens; most are bit-identical); 1e-5 leaves
   * room for other summation orders.
   */
  @Test
  void channelsLastAndTokenLayersGiveEveryMethodTheMapsOfTheirNchwTwin() {
    try (CamModel nchw = TinyCnn.load(FeatureLayoutTest.twin(Head.NCHW));
        CamModel nhwc = TinyCnn.load(FeatureLayoutTest.twin(Head.NHWC));
        CamModel viaTokens = TinyCnn.load(FeatureLayoutTest.twin(Head.TOKENS))) {
      FloatTensor input = TinyCnn.input(FeatureLayoutTest.twin(Head.NCHW), 2, 7);
      for (String name : Methods.names()) {
        if (name.equals(NEEDS_ATTENTION)) {
          continue;
        }
        FloatTensor expected = rawMaps(nchw, input, name, "a2");
        long[] grid = atPixels(Methods.byName(name)) ? new long[] {2, 6, 6}
            : new long[] {2, 3, 3};
        assertArrayEquals(grid, expected.shape(), name);
        assertClose(name + " nhwc", expected, rawMaps(nhwc, input, name, "a2"));
        // the tokens "tok" [N, 9, 4] hold c2 before its Tanh
        if (name.equals(NEEDS_POOL)) {
          // a Tanh, not a pool, follows c2 and the tokens alike: both twins refuse CAM there
          assertThrows(UnsupportedModelException.class, () -> rawMaps(nchw, input, name, "c2"));
          assertThrows(UnsupportedModelException.class,
              () -> rawMaps(viaTokens, input, name, "tok"));
          continue;
        }
        assertClose(name + " tokens", rawMaps(nchw, input, name, "c2"),
            rawMaps(viaTokens, input, name, "tok"));
      }
    }
  }

  /**
   * The ViT's default layer, tokens [1, 1+14x14, 192]: every method gives a finite 14x14 map
   * (224x224 for pixel methods) that varies over the grid; CAM refuses the layer, a typed
   * error: the layer feeds the last attention block, not a pool and a linear classifier.
   */
  @Test
  void everyMethodExplainsTheVitAtItsTokenLayer() {
    FloatTensor x = Npy.read(SharedData.path("reference/input.npy"));
    try (CamModel vit = CamModel.load(SharedData.path("models/random/vit_tiny_random.onnx"))) {
      String layer = vit.layers().defaultLayer().name();
      assertEquals("tokens 1+14x14", vit.layers().defaultLayer().describeLayout());
      CamContext context = CamContext.of(vit, x, List.of(layer), Target.index(588));
      for (String name : Methods.names()) {
        CamMethod method = Methods.byName(name);
        if (name.equals(NEEDS_POOL)) {
          assertThrows(UnsupportedModelException.class, () -> method.rawMaps(context, layer));
          continue;
        }
        FloatTensor map = method.rawMaps(context, layer);
        long[] grid = atPixels(method) ? new long[] {1, 224, 224} : new long[] {1, 14, 14};
        assertArrayEquals(grid, map.shape(), name);
        assertEquals(-1, map.firstNonFinite(), name + " is finite");
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < map.size(); i++) {
          min = Math.min(min, map.get(i));
          max = Math.max(max, map.get(i));
        }
        assertTrue(max > min, name + " varies over the grid: " + min + ".." + max);
      }
    }
  }

  /**
   * Whether the method's map has the input's size: pixel attributions, and guided Grad-CAM (the
   * layer's map upsampled times guided backprop).
   */
  private static boolean atPixels(CamMethod method) {
    return !method.usesLayer() || method instanceof GuidedGradCam;
  }


}

package org.cam4j.method;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cam4j.InvalidInputException;
import org.cam4j.TinyCnn;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.Target;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.internal.autodiff.TinyModel;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/**
 * Channels-last and token layers give the maps of their NCHW twin: the same weights, with the
 * last feature map "a2" [N,4,3,3] held as NHWC [N,3,3,4] (ConvNeXt-style Transpose) or passed
 * through tokens [N,9,4] and viewed back as [N,3,3,4] by a Reshape (Swin-style). Tanh commutes
 * with the layout change and the heads average the same values, so A, dA and every map are
 * equal up to float32 summation order: 1e-5 of the map's max.
 */
class FeatureLayoutTest {
  private static final List<String> METHODS = List.of("gradcam", "gradcam++", "xgradcam",
      "hirescam", "layercam", "eigencam", "scorecam");

  enum Head { NCHW, NHWC, TOKENS }

  @Test
  void channelsLastAndTokenLayersGiveTheMapsOfTheirNchwTwin() {
    try (CamModel nchw = TinyCnn.load(twin(Head.NCHW));
        CamModel nhwc = TinyCnn.load(twin(Head.NHWC));
        CamModel viaTokens = TinyCnn.load(twin(Head.TOKENS))) {
      assertEquals("nhwc 3x3x4", nhwc.layers().defaultLayer().describeLayout());
      assertEquals("a2", nhwc.layers().defaultLayer().name());
      assertEquals("tokens 0+3x3", viaTokens.layers().resolve("tok").describeLayout());
      assertEquals("nhwc 3x3x4", viaTokens.layers().resolve("a2").describeLayout());
      FloatTensor input = TinyCnn.input(twin(Head.NCHW), 2, 7);
      for (String name : METHODS) {
        FloatTensor expected = rawMaps(nchw, input, name, "a2");
        assertArrayEquals(new long[] {2, 3, 3}, expected.shape());
        assertClose(name + " nhwc", expected, rawMaps(nhwc, input, name, "a2"));
        assertClose(name + " via tokens", expected, rawMaps(viaTokens, input, name, "a2"));
        // the tokens before the Tanh hold the maps of c2
        assertClose(name + " tokens", rawMaps(nchw, input, name, "c2"),
            rawMaps(viaTokens, input, name, "tok"));
      }
    }
  }

  /**
   * A tensor the graph gives no layout is refused, not read as NCHW (which made 3x4 maps of
   * wrong values from a [1,3,3,4] NHWC layer: the bug of old, now read right above).
   */
  @Test
  void aLayerOfUnknownLayoutIsRefusedNotGuessed() {
    try (CamModel viaTokens = TinyCnn.load(twin(Head.TOKENS))) {
      LayerCatalog catalog = viaTokens.layers();
      // "cf" [1,4,9]: the NCHW map flattened, neither tokens nor a map
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> catalog.layout("cf"));
      assertTrue(e.getMessage().contains("layer layout"), e.getMessage());
    }
    // 9 tokens are 0+3x3 or 5+2x2: ambiguous without the prefix count or the grid
    FeatureLayout open = FeatureLayout.tokens(-1, 0, 0);
    assertThrows(InvalidInputException.class, () -> open.resolve(new long[] {1, 9, 4}));
    assertEquals("tokens 0+3x3", FeatureLayout.parse("tokens", null, 0).describe(
        new long[] {1, 9, 4}));
    assertEquals("tokens 5+2x2", FeatureLayout.parse("tokens", "2x2", null).describe(
        new long[] {1, 9, 4}));
    // a grid alone would read 197 ViT tokens as 148 prefix tokens + 7x7: refused, not guessed;
    // the same split given in full is the user's word and stands
    InvalidInputException tooMany = assertThrows(InvalidInputException.class,
        () -> FeatureLayout.parse("tokens", "7x7", null).resolve(new long[] {1, 197, 192}));
    assertTrue(tooMany.getMessage().contains("148 prefix tokens"), tooMany.getMessage());
    assertEquals("tokens 148+7x7", FeatureLayout.parse("tokens", "7x7", 148).describe(
        new long[] {1, 197, 192}));
  }

  @Test
  void anOverrideReadsTheLayerAsGiven() {
    try (CamModel nchw = TinyCnn.load(twin(Head.NCHW));
        CamModel viaTokens = TinyCnn.load(twin(Head.TOKENS))) {
      FloatTensor input = TinyCnn.input(twin(Head.NCHW), 1, 3);
      FloatTensor expected = rawMaps(nchw, input, "gradcam", "c2");
      CamContext given = CamContext.of(viaTokens, input, List.of("tok"),
          List.of(Target.index(1)), Map.of("tok", FeatureLayout.parse("tokens", "3x3", 0)));
      assertClose("override", expected, Methods.byName("gradcam").rawMaps(given, "tok"));
      CamContext wrong = CamContext.of(viaTokens, input, List.of("tok"), List.of(Target.top()),
          Map.of("tok", FeatureLayout.nhwc()));
      assertThrows(InvalidInputException.class,
          () -> Methods.byName("gradcam").rawMaps(wrong, "tok"));
    }
  }

  static FloatTensor rawMaps(CamModel model, FloatTensor input, String method,
      String layer) {
    CamContext context = CamContext.of(model, input, List.of(layer), Target.index(1));
    return Methods.byName(method).rawMaps(context, layer);
  }

  /** Equal within 1e-5 of the largest expected magnitude (float rounding of reordered sums). */
  static void assertClose(String what, FloatTensor expected, FloatTensor actual) {
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    double max = 0;
    for (int i = 0; i < expected.size(); i++) {
      max = Math.max(max, Math.abs(expected.get(i)));
    }
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), 1e-5 * max, what + " at " + i);
    }
  }

  /** x [N,2,6,6] -> Conv 3x3 -> Tanh -> Conv 2x2/2 "c2" [N,4,3,3] -> the head's layout. */
  static TinyModel twin(Head head) {
    TinyModel m = TinyModel.opset(13).input("x", 1, 2, 6, 6);
    m.weights("w1", new long[] {3, 2, 3, 3}, m.uniform(54, -1, 1))
        .weights("b1", new long[] {3}, m.uniform(3, -0.3, 0.3))
        .weights("w2", new long[] {4, 3, 2, 2}, m.uniform(48, -1, 1))
        .weights("b2", new long[] {4}, m.uniform(4, -0.3, 0.3))
        .weights("fc", new long[] {4, 5}, m.uniform(20, -1, 1))
        .node("Conv", in("x", "w1", "b1"), "c1", attr("pads", new long[] {1, 1, 1, 1}))
        .node("Tanh", in("c1"), "a1")
        .node("Conv", in("a1", "w2", "b2"), "c2", attr("strides", new long[] {2, 2}));
    switch (head) {
      case NCHW -> m.node("Tanh", in("c2"), "a2").node("GlobalAveragePool", in("a2"), "g")
          .node("Flatten", in("g"), "f");
      case NHWC -> m.node("Transpose", in("c2"), "t", attr("perm", new long[] {0, 2, 3, 1}))
          .node("Tanh", in("t"), "a2");
      case TOKENS -> m.ints("flat", 0, 4, 9).ints("grid", 0, 3, 3, 4)
          .node("Reshape", in("c2", "flat"), "cf")
          .node("Transpose", in("cf"), "tok", attr("perm", new long[] {0, 2, 1}))
          .node("Reshape", in("tok", "grid"), "t")
          .node("Tanh", in("t"), "a2");
    }
    if (head != Head.NCHW) {
      m.node("ReduceMean", in("a2"), "f", attr("axes", new long[] {1, 2}),
          attr("keepdims", 0L));
    }
    return m.node("MatMul", in("f", "fc"), "y");
  }
}

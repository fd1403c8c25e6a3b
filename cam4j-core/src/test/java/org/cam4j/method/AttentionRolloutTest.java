package org.cam4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cam4j.SharedData;
import org.cam4j.UnsupportedModelException;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.ExplainOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Explanation;
import org.cam4j.explain.Target;
import org.cam4j.internal.engine.ModelAccess;
import org.cam4j.internal.graph.AttentionMaps;
import org.cam4j.method.AttentionRollout.HeadFusion;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attention rollout on the shared random ViT-Tiny (4 blocks, 3 heads, 197 tokens) against a
 * plain-loop reference over the Softmax outputs fetched with {@link CamModel#forward}. Both work
 * in double from the same float attention maps, so they differ only by summation order (~1e-15);
 * 1e-6 absolute is far below the map's values (~1/197).
 */
class AttentionRolloutTest {
  private static final String VIT = "models/random/vit_tiny_random.onnx";
  private static final String LAYER = "onnx::Transpose_382";
  private static final int TOKENS = 197;
  private static CamModel vit;
  private static FloatTensor input;
  /** Per image, per block, the heads' attention [3, T, T]. */
  private static final List<List<float[]>> attention = new ArrayList<>();

  @BeforeAll
  static void load() {
    vit = CamModel.load(SharedData.path(VIT));
    Random random = new Random(11);
    float[] x = new float[2 * 3 * 224 * 224];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    input = FloatTensor.of(new long[] {2, 3, 224, 224}, x);
    // the model has batch 1 and torchvision exports attention as [B·H, T, T]: one run per image
    List<String> names = AttentionMaps.softmaxOutputs(ModelAccess.graph(vit));
    for (int i = 0; i < 2; i++) {
      float[] image = input.row(i).toArray();
      var run = vit.forward(FloatTensor.of(new long[] {1, 3, 224, 224}, image), names);
      List<float[]> blocks = new ArrayList<>();
      for (String s : names) {
        FloatTensor a = run.tensor(s);
        assertArrayEquals(new long[] {3, TOKENS, TOKENS}, a.shape());
        blocks.add(a.toArray());
      }
      assertEquals(4, blocks.size());
      attention.add(blocks);
    }
  }

  @AfterAll
  static void close() {
    vit.close();
  }

  private static FloatTensor maps(AttentionRollout method) {
    CamContext c = CamContext.of(vit, input, List.of(LAYER), Target.top());
    return method.rawMaps(c, LAYER);
  }

  /** The rollout's full class-token row [T] for image i, by the definition with plain loops. */
  private static double[] reference(int image, double ratio, HeadFusion fusion) {
    int t = TOKENS;
    int heads = 3;
    double[][] r = null;
    for (float[] a : attention.get(image)) {
      double[][] f = new double[t][t];
      for (int p = 0; p < t; p++) {
        for (int q = 0; q < t; q++) {
          double acc = fusion == HeadFusion.MEAN ? 0
              : fusion == HeadFusion.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
          for (int h = 0; h < heads; h++) {
            double v = a[(h * t + p) * t + q];
            acc = fusion == HeadFusion.MEAN ? acc + v / heads
                : fusion == HeadFusion.MAX ? Math.max(acc, v) : Math.min(acc, v);
          }
          f[p][q] = acc;
        }
      }
      // the floor(ratio·T²) smallest entries, never flat index 0
      List<int[]> cells = new ArrayList<>();
      for (int p = 0; p < t; p++) {
        for (int q = 0; q < t; q++) {
          cells.add(new int[] {p, q});
        }
      }
      double[][] fused = f;
      cells.sort((u, w) -> Double.compare(fused[u[0]][u[1]], fused[w[0]][w[1]]));
      int drop = (int) (t * t * ratio);
      double[][] kept = new double[t][];
      for (int p = 0; p < t; p++) {
        kept[p] = f[p].clone();
      }
      for (int j = 0; j < drop; j++) {
        int[] c = cells.get(j);
        if (c[0] != 0 || c[1] != 0) {
          kept[c[0]][c[1]] = 0;
        }
      }
      double[][] b = new double[t][t];
      for (int p = 0; p < t; p++) {
        double sum = 0;
        for (int q = 0; q < t; q++) {
          b[p][q] = (kept[p][q] + (p == q ? 1 : 0)) / 2;
          sum += b[p][q];
        }
        for (int q = 0; q < t; q++) {
          b[p][q] /= sum;
        }
      }
      if (r == null) {
        r = b;
      } else {
        double[][] c = new double[t][t];
        for (int p = 0; p < t; p++) {
          for (int q = 0; q < t; q++) {
            for (int m = 0; m < t; m++) {
              c[p][q] += b[p][m] * r[m][q];
            }
          }
        }
        r = c;
      }
    }
    return r[0];
  }

  private static void assertMatchesReference(FloatTensor maps, double ratio, HeadFusion fusion) {
    assertArrayEquals(new long[] {2, 14, 14}, maps.shape());
    for (int i = 0; i < 2; i++) {
      double[] row = reference(i, ratio, fusion);
      for (int j = 0; j < 196; j++) {
        assertEquals(row[1 + j], maps.get(i * 196 + j), 1e-6, "image " + i + " token " + j);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(HeadFusion.class)
  void eachHeadFusionMatchesTheReference(HeadFusion fusion) {
    assertMatchesReference(maps(AttentionRollout.builder().headFusion(fusion).build()), 0.9,
        fusion);
  }

  /**
   * Without and with discarding, each matches the reference; the class-token row of a product of
   * row-stochastic matrices sums to 1 (the map holds all of it but R[0,0]); discarding 90% of the
   * entries changes the map.
   */
  @Test
  void discardingChangesTheMapAndRowsStayStochastic() {
    FloatTensor none = maps(AttentionRollout.builder().discardRatio(0).build());
    FloatTensor most = maps(AttentionRollout.builder().build());
    assertMatchesReference(none, 0, HeadFusion.MEAN);
    assertMatchesReference(most, 0.9, HeadFusion.MEAN);
    for (double ratio : new double[] {0, 0.9}) {
      FloatTensor m = ratio == 0 ? none : most;
      double[] row = reference(0, ratio, HeadFusion.MEAN);
      double mapSum = 0;
      for (int j = 0; j < 196; j++) {
        assertTrue(m.get(j) > 0);
        mapSum += m.get(j);
      }
      // float storage of 196 values of ~5e-3: sum error below 1e-6
      assertEquals(1.0, row[0] + mapSum, 1e-6);
      assertTrue(mapSum < 1);
    }
    double diff = 0;
    for (int j = 0; j < none.size(); j++) {
      diff = Math.max(diff, Math.abs(none.get(j) - most.get(j)));
    }
    assertTrue(diff > 1e-4, "max difference " + diff);
  }

  @Test
  void aModelWithoutAttentionIsRefused() {
    try (CamModel resnet = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"))) {
      String layer = resnet.layers().defaultLayer().name();
      FloatTensor x = FloatTensor.of(new long[] {1, 3, 224, 224}, new float[3 * 224 * 224]);
      CamContext c = CamContext.of(resnet, x, List.of(layer), Target.top());
      UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
          () -> Methods.byName("attention-rollout").rawMaps(c, layer));
      assertTrue(e.getMessage().contains("needs a transformer's attention maps"), e.getMessage());
    }
  }

  /**
   * Through the explainer on a photo: the 14x14 grid map, and a map and an overlay of the
   * photo's size.
   */
  @Test
  void aPhotoIsExplainedThroughTheExplainer() {
    try (Explainer explainer = Explainer.builder(SharedData.path(VIT)).build()) {
      BufferedImage photo = explainer.imageLoader().load(SharedData.path("images/dog.jpg"));
      Explanation e = explainer.explain(photo,
          ExplainOptions.builder().method("attention-rollout").build());
      FloatTensor raw = e.rawMap(LAYER);
      assertEquals(14 * 14, raw.size());
      double sum = 0;
      for (int j = 0; j < raw.size(); j++) {
        assertTrue(raw.get(j) > 0);
        sum += raw.get(j);
      }
      assertTrue(sum < 1 && sum > 0.01, "sum " + sum);
      assertEquals(photo.getWidth(), e.photoMap().width());
      assertEquals(photo.getHeight(), e.photoMap().height());
      assertEquals("attention-rollout", e.method());
      BufferedImage overlay = e.overlay();
      assertEquals(photo.getWidth(), overlay.getWidth());
      assertEquals(photo.getHeight(), overlay.getHeight());
    }
  }
}

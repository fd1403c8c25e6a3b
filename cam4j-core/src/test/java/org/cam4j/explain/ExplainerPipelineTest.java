package org.cam4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.SharedData;
import org.cam4j.image.Preprocessing;
import org.cam4j.method.AugSmooth;
import org.cam4j.method.CamContext;
import org.cam4j.method.CamMethod;
import org.cam4j.method.IntegratedGradients;
import org.cam4j.method.LayerCam;
import org.cam4j.method.MethodOptions;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one pipeline on the real MobileNetV2: several methods share one run, configured method
 * objects go through the options, decoded photos need no source, and tensors and photos are
 * explained alike.
 */
class ExplainerPipelineTest {
  private static final Path MODEL = SharedData.path("models/mobilenet_v2_1.0_224_dequant.onnx");
  private static final Path CAT = SharedData.path("images/cat.png");
  private static Explainer explainer;
  private static BufferedImage photo;

  @BeforeAll
  static void load() {
    explainer = Explainer.builder(MODEL).preprocessing(Preprocessing.INCEPTION)
        .labels(SharedData.path("labels/imagenet_labels_1001.txt")).build();
    photo = explainer.imageLoader().load(CAT);
  }

  @AfterAll
  static void close() {
    explainer.close();
  }

  @Test
  void threeMethodsShareOneRunAndEqualSeparateCalls() {
    List<String> names = List.of("gradcam", "gradcam++", "layercam");
    ExplainOptions all = ExplainOptions.builder().methodNames(names).build();
    long before = explainer.model().runs();
    List<Explanation> shared = explainer.explainAll(photo, "cat", all);
    assertEquals(1, explainer.model().runs() - before, "one forward+backward run for all three");
    assertEquals(names, shared.stream().map(Explanation::method).toList());
    for (int i = 0; i < names.size(); i++) {
      Explanation alone = explainer.explain(photo, ExplainOptions.builder()
          .method(names.get(i)).build());
      String layer = alone.layers().get(0);
      assertArrayEquals(alone.rawMap(layer).toArray(), shared.get(i).rawMap(layer).toArray(),
          names.get(i));
      assertArrayEquals(alone.photoMap().values(), shared.get(i).photoMap().values());
    }
    assertThrows(InvalidInputException.class, () -> explainer.explain(photo, all),
        "explain answers one method; explainAll several");
  }

  @Test
  void aConfiguredMethodGivesTheSameMapAsByName() {
    ExplainOptions byName = ExplainOptions.builder().method("layercam")
        .methodOptions(new MethodOptions(0, true, false)).build();
    ExplainOptions configured = ExplainOptions.builder().method(AugSmooth.of(new LayerCam()))
        .build();
    Explanation a = explainer.explain(photo, byName);
    Explanation b = explainer.explain(photo, configured);
    String layer = a.layers().get(0);
    assertArrayEquals(a.rawMap(layer).toArray(), b.rawMap(layer).toArray());
  }

  /** The configured instance itself runs: its maps equal the method called directly. */
  @Test
  void aConfiguredIntegratedGradientsIsUsedAsGiven() {
    CamMethod ig = IntegratedGradients.builder().steps(4).batchSize(5).build();
    Explanation e = explainer.explain(photo, ExplainOptions.builder().method(ig)
        .target(Target.index(286)).build());
    FloatTensor input = explainer.preprocessing().prepare(photo,
        explainer.model().signature().layout(), 224, 224).tensor();
    String layer = explainer.model().layers().defaultLayer().name();
    FloatTensor direct = ig.rawMaps(CamContext.of(explainer.model(), input, List.of(layer),
        Target.index(286)), layer);
    assertEquals("integrated-gradients", e.method());
    assertArrayEquals(direct.row(0).toArray(), e.rawMap(e.layers().get(0)).toArray());
  }

  @Test
  void aDecodedPhotoNeedsNoSource() {
    Explanation fromImage = explainer.explain(photo);
    Explanation fromFile = explainer.explain(CAT);
    assertEquals("image", fromImage.manifest().image().source());
    assertEquals(fromFile.target().index(), fromImage.target().index());
    assertArrayEquals(fromFile.photoMap().values(), fromImage.photoMap().values());
    assertEquals("relu_max", fromImage.manifest().normalization());
  }

  /**
   * A tensor explained with the photo's options and the tutorial's normalisation gives the
   * photo's raw maps and its map at input size; min-max gives a map whose every image spans
   * exactly [0, 1].
   */
  @Test
  void aTensorIsExplainedAsThePhotoItWasMadeFrom() {
    FloatTensor one = explainer.preprocessing().prepare(photo,
        explainer.model().signature().layout(), 224, 224).tensor();
    FloatTensor two = FloatTensor.stack(List.of(one.row(0), one.row(0)));
    ExplainOptions options = ExplainOptions.builder().target(Target.parse("tabby")).build();
    TensorExplanation t = explainer.explainTensor(two, options).get(0);
    Explanation p = explainer.explain(photo, options);
    assertArrayEquals(new int[] {282, 282}, t.explainedClasses());
    assertEquals(p.layers(), t.layers());
    // a batch of two and a batch of one may sum in a different order in ONNX Runtime: 1e-4 of
    // the map's largest value
    assertClose(p.rawMap(p.layers().get(0)).toArray(), t.rawMaps().get(0).row(1).toArray());
    assertClose(p.inputMap().values(), t.map().row(0).toArray());

    FloatTensor minMax = explainer.explainTensor(two, ExplainOptions.builder()
        .normalization(Normalization.MIN_MAX).build()).get(0).map();
    for (int i = 0; i < 2; i++) {
      float[] v = minMax.row(i).toArray();
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float x : v) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      assertEquals(0f, min, 0f);
      // (m - min) / (1e-7 + max - min) of a map whose max - min is about 1 after the first
      // min-max: 1 - 1e-7 rounds to within one float ulp of 1
      assertEquals(1f, max, 1e-6f);
    }
  }

  @Test
  void allLayersOnATensorGivesEveryBlockOutput() {
    FloatTensor one = explainer.preprocessing().prepare(photo,
        explainer.model().signature().layout(), 224, 224).tensor();
    TensorExplanation t = explainer.explainTensor(one, ExplainOptions.builder().allLayers(true)
        .normalization(Normalization.MIN_MAX).build()).get(0);
    List<String> blocks = explainer.model().layers().blockOutputs().stream()
        .map(l -> l.name()).toList();
    assertEquals(blocks, t.layers());
    assertEquals(blocks.size(), t.rawMaps().size());
    TensorExplanation last = explainer.explainTensor(one, ExplainOptions.builder()
        .layer(blocks.get(blocks.size() - 1)).normalization(Normalization.MIN_MAX).build())
        .get(0);
    assertArrayEquals(last.map().toArray(), t.map().toArray(),
        "the map is the default layer's, as for photos");
  }

  private static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    float scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4f * scale, "element " + i);
    }
  }
}

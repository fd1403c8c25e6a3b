package org.cam4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cam4j.SharedData;
import org.cam4j.explain.ExplainOptions;
import java.awt.image.BufferedImage;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Explanation;
import org.cam4j.explain.Normalization;
import org.cam4j.explain.Target;
import org.cam4j.explain.TensorExplanation;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.internal.maps.MapOps;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pytorch-grad-cam parity on the shared ViT (token layer, class token dropped) and ConvNeXt
 * references, through {@link Explainer#explainTensor} with the reference input, layer and class:
 * the layer's layout is inferred from the graph, its maps read as [N,C,h,w]. Every method's raw
 * map and normalised 224x224 map (min-max, as the peer scales) within 1e-4 of the reference's max ({@link
 * ReferenceParityTest#check}, tight: these are last-stage layers with no ReLU kink between them
 * and the logits, and A and dA match PyTorch to ~1e-5 relative, TransformerReferenceTest).
 * EigenCAM is compared with the peer's arbitrary SVD sign matched.
 */
class TransformerParityTest {
  private static final List<String> METHODS = List.of("gradcam", "gradcam++", "xgradcam",
      "hirescam", "layercam", "eigencam", "scorecam");

  static Stream<Arguments> sets() {
    return Stream.of(
        Arguments.of("vit_tiny", "onnx::Transpose_382", 588),
        Arguments.of("convnext_tiny", "onnx::GlobalAveragePool_268", 310));
  }

  /**
   * The reference layers are the defaults: ViT's last block's first LayerNorm, and ConvNeXt's
   * last stage output before global pooling.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void theReferenceLayerIsTheDefault(String model, String layer, int cls) {
    try (CamModel m = CamModel.load(SharedData.path("models/random/" + model + "_random.onnx"))) {
      LayerCatalog.Layer def = m.layers().defaultLayer();
      assertEquals(layer, def.name());
      assertEquals(model.equals("vit_tiny") ? "tokens 1+14x14" : "nchw 256x7x7",
          def.describeLayout());
    }
  }

  /**
   * A photo through the ViT's default token layer: the 14x14 raw map is the tensor pipeline's
   * for the same preprocessed input (1e-5 of its max: the same run), and the photo map has the
   * photo's full size.
   */
  @Test
  void aPhotoIsExplainedAtTheTokenLayer() {
    try (Explainer explainer = Explainer.builder(
        SharedData.path("models/random/vit_tiny_random.onnx")).build()) {
      BufferedImage photo = explainer.imageLoader().load(SharedData.path("images/cat.png"));
      ExplainOptions options = ExplainOptions.builder().target(Target.index(588)).build();
      Explanation e = explainer.explain(photo, options);
      assertEquals(List.of("onnx::Transpose_382"), e.layers());
      FloatTensor raw = e.rawMap("onnx::Transpose_382");
      assertEquals(14 * 14, raw.size());
      FloatTensor input = explainer.preprocessing().prepare(photo,
          explainer.model().signature().layout(), 224, 224).tensor();
      FloatTensor expected = explainer.explainTensor(input, options).get(0).rawMaps().get(0);
      double max = 0;
      for (int i = 0; i < expected.size(); i++) {
        max = Math.max(max, Math.abs(expected.get(i)));
      }
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i), raw.get(i), 1e-5 * max);
      }
      assertEquals(photo.getWidth(), e.photoMap().width());
      assertEquals(photo.getHeight(), e.photoMap().height());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void explainTensorMatchesPyTorch(String model, String layer, int cls) {
    Path dir = SharedData.path("reference/" + model + "/"
        + layer.replaceAll("[^0-9A-Za-z_]", "_"));
    FloatTensor input = Npy.read(SharedData.path("reference/input.npy"));
    ExplainOptions options = ExplainOptions.builder().methodNames(METHODS).layer(layer)
        .target(Target.index(cls)).normalization(Normalization.MIN_MAX).build();
    StringBuilder report = new StringBuilder(model);
    try (Explainer explainer = Explainer.builder(
        SharedData.path("models/random/" + model + "_random.onnx")).build()) {
      for (TensorExplanation t : explainer.explainTensor(input, options)) {
        assertEquals(cls, t.explainedClasses()[0]);
        String name = t.method();
        FloatTensor refRaw = Npy.read(dir.resolve(name + "_raw.npy"));
        FloatTensor raw = t.rawMaps().get(0);
        FloatTensor map = t.map();
        if (name.equals("eigencam") && ReferenceParityTest.withSignOf(refRaw, raw) != raw) {
          // the peer's SVD sign is the other one: its map is that of -raw, not ours
          report.append("\n  eigencam: peer sign flipped");
          raw = ReferenceParityTest.withSignOf(refRaw, raw);
          map = MapOps.normalised(raw, 224, 224);
        }
        report.append("\n ");
        ReferenceParityTest.check(name + "_raw", raw, refRaw, true, report);
        ReferenceParityTest.check(name, map, Npy.read(dir.resolve(name + ".npy")), true, report);
      }
    }
    System.out.println(report);
  }
}

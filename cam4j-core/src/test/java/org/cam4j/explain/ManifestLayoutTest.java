package org.cam4j.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.cam4j.SharedData;
import org.cam4j.graph.FeatureLayout;
import org.junit.jupiter.api.Test;

/**
 * The manifest says how each explained layer holds its feature maps, as the layers listing says
 * it: the layout inferred from the graph, or the override given, resolved against the layer's
 * shape; the model's input for methods that attribute to pixels.
 */
class ManifestLayoutTest {
  private static final String VIT_LAYER = "onnx::Transpose_382";

  @Test
  void theManifestRecordsEachLayersLayout() {
    try (Explainer explainer = Explainer.builder(
        SharedData.path("models/random/vit_tiny_random.onnx")).build()) {
      BufferedImage photo = explainer.imageLoader().load(SharedData.path("images/cat.png"));
      List<Explanation> inferred = explainer.explainAll(photo, "cat.png", ExplainOptions.builder()
          .methodNames(List.of("gradcam", "saliency")).target(Target.index(588)).build());
      Manifest gradcam = inferred.get(0).manifest();
      assertEquals(Map.of(VIT_LAYER, "tokens 1+14x14"), gradcam.layerLayouts());
      assertEquals(Map.of("input", "nchw 3x224x224"), inferred.get(1).manifest().layerLayouts());
      assertEquals(gradcam, Manifest.fromJson(gradcam.toJson()));

      // the grid alone given: the prefix count is found from the 197 tokens
      Explanation given = explainer.explain(photo, ExplainOptions.builder()
          .target(Target.index(588)).layerLayout(FeatureLayout.parse("tokens", "14x14", null))
          .build());
      assertEquals(Map.of(VIT_LAYER, "tokens 1+14x14"), given.manifest().layerLayouts());
    }
  }

  /** A manifest written before layouts were recorded reads back with none. */
  @Test
  void anOlderManifestReadsBackWithoutLayouts() {
    Manifest m = Manifest.fromJson("{\"method\":\"gradcam\",\"layers\":[\"a\"],"
        + "\"predictions\":[],\"timingsMs\":{},\"files\":{}}");
    assertEquals(Map.of(), m.layerLayouts());
    assertEquals(List.of("a"), m.layers());
  }
}

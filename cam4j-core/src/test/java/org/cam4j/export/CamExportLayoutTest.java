package org.cam4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cam4j.InvalidInputException;
import org.cam4j.SharedData;
import org.cam4j.engine.CamModel;
import org.cam4j.explain.Classification;
import org.cam4j.explain.ExplainOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Normalization;
import org.cam4j.explain.Target;
import org.cam4j.explain.TensorExplanation;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.onnx.StringStringEntryProto;
import org.cam4j.labels.Prediction;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CamExport} of layers that are not NCHW, on the shared random ViT-Tiny (its default layer
 * holds tokens [1, 1+14·14, 192]) and ConvNeXt-Tiny (a channels-last [1,7,7,C] tensor inside its
 * last block; its default layer is NCHW). The exported model, run by plain ONNX Runtime
 * ({@link PlainRuntime}) on the reference input, returns the class and the maps that
 * {@link Explainer#explainTensor} gives for the same layer and top-1 class with
 * {@link Normalization#MIN_MAX} (the {@code --tensor} contract), and where shared/reference has
 * the method, pytorch-grad-cam's maps.
 *
 * <p>Tolerance 1e-4 of the map's largest magnitude ({@code cam} lies in [0, 1]): the export sums
 * the same float32 terms in ONNX Runtime's order where the library sums channel means in double
 * and reshapes in Java; the reference comes from PyTorch, whose A and dA agree with ONNX
 * Runtime's to ~1e-5 relative (TransformerReferenceTest), the bound TransformerParityTest uses.
 */
class CamExportLayoutTest {
  private static final double TOLERANCE = 1e-4;
  private static final Path VIT = SharedData.path("models/random/vit_tiny_random.onnx");
  private static final Path CONVNEXT = SharedData.path("models/random/convnext_tiny_random.onnx");
  /** ViT's default layer (shared/reference/README.md: the reference layer, class 588). */
  private static final String VIT_LAYER = "onnx::Transpose_382";
  private static final Path VIT_REFERENCE =
      SharedData.path("reference/vit_tiny/onnx__Transpose_382");
  private static final Path CONVNEXT_REFERENCE =
      SharedData.path("reference/convnext_tiny/onnx__GlobalAveragePool_268");
  private static final FloatTensor INPUT = Npy.read(SharedData.path("reference/input.npy"));

  private static Explainer vit;
  /** The library's result per method at ViT's default layer, top-1 class. */
  private static Map<String, TensorExplanation> vitExpected;
  private static Path vitGradCam;
  private static ExportedModel vitGradCamExport;

  @TempDir
  static Path exports;

  @BeforeAll
  static void explainViT() throws Exception {
    vit = Explainer.builder(VIT).build();
    vitExpected = explain(vit, VIT_LAYER, CamExport.methods());
    vitGradCam = exports.resolve("vit_gradcam.onnx");
    vitGradCamExport = CamExport.builder(VIT).build().write(vitGradCam);
  }

  @AfterAll
  static void close() {
    vit.close();
  }

  private static Map<String, TensorExplanation> explain(Explainer explainer, String layer,
      List<String> methods) {
    ExplainOptions options = ExplainOptions.builder().methodNames(methods).layer(layer)
        .target(Target.top()).normalization(Normalization.MIN_MAX).build();
    return explainer.explainTensor(INPUT, options).stream()
        .collect(Collectors.toMap(TensorExplanation::method, Function.identity()));
  }

  static List<String> methods() {
    return CamExport.methods();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void vitTokenLayerEqualsExplainTensor(String method) throws Exception {
    ExportedModel exported = method.equals("gradcam") ? vitGradCamExport
        : CamExport.builder(VIT).method(method).build().export();
    assertEquals(VIT_LAYER, exported.layer(), "the default layer");
    assertEquals(FeatureLayout.tokens(1, 14, 14), exported.layout(), "inferred from the graph");
    Map<String, Object> out = PlainRuntime.run(exported.bytes(),
        vit.model().signature().inputName(), INPUT, null);
    TensorExplanation expected = vitExpected.get(method);
    assertArrayEquals(new long[] {expected.explainedClasses()[0]}, (long[]) out.get("class"));
    assertEquals(14 * 14, ((float[]) out.get("cam_raw")).length);
    assertClose(expected.rawMaps().get(0).toArray(), (float[]) out.get("cam_raw"),
        "vit " + method + " cam_raw vs library");
    assertClose(expected.map().toArray(), (float[]) out.get("cam"), "vit " + method
        + " cam vs library");
    Path raw = VIT_REFERENCE.resolve(method + "_raw.npy");
    if (Files.exists(raw)) {
      assertEquals(588L, ((long[]) out.get("class"))[0], "the reference's class");
      assertClose(Npy.read(raw).toArray(), (float[]) out.get("cam_raw"),
          "vit " + method + " cam_raw vs pytorch-grad-cam");
      assertClose(Npy.read(VIT_REFERENCE.resolve(method + ".npy")).toArray(),
          (float[]) out.get("cam"), "vit " + method + " cam vs pytorch-grad-cam");
    }
  }

  /**
   * ConvNeXt's last channels-last tensor (inside its last block, between the permutes around
   * LayerNorm and the MLP) and its NCHW default layer, which has a pytorch-grad-cam reference.
   */
  @Test
  void convNextChannelsLastAndDefaultLayersEqualExplainTensor() throws Exception {
    String nhwc;
    String defaultLayer;
    try (CamModel model = CamModel.load(CONVNEXT)) {
      List<LayerCatalog.Layer> channelsLast = model.layers().candidates().stream()
          .filter(l -> l.layout().kind() == FeatureLayout.Kind.NHWC).toList();
      assertFalse(channelsLast.isEmpty(), "ConvNeXt has channels-last tensors");
      nhwc = channelsLast.get(channelsLast.size() - 1).name();
      defaultLayer = model.layers().defaultLayer().name();
    }
    List<String> methods = List.of("gradcam", "layercam");
    try (Explainer convnext = Explainer.builder(CONVNEXT).build()) {
      String input = convnext.model().signature().inputName();
      Map<String, TensorExplanation> atNhwc = explain(convnext, nhwc, methods);
      for (String method : methods) {
        ExportedModel exported = CamExport.builder(CONVNEXT).layer(nhwc).method(method).build()
            .export();
        assertEquals(FeatureLayout.nhwc(), exported.layout());
        Map<String, Object> out = PlainRuntime.run(exported.bytes(), input, INPUT, null);
        TensorExplanation expected = atNhwc.get(method);
        assertArrayEquals(new long[] {expected.explainedClasses()[0]},
            (long[]) out.get("class"));
        assertEquals(7 * 7, ((float[]) out.get("cam_raw")).length, "the 7x7 grid");
        assertClose(expected.rawMaps().get(0).toArray(), (float[]) out.get("cam_raw"),
            "convnext nhwc " + method + " cam_raw vs library");
        assertClose(expected.map().toArray(), (float[]) out.get("cam"),
            "convnext nhwc " + method + " cam vs library");
      }
      ExportedModel exported = CamExport.builder(CONVNEXT).build().export();
      assertEquals(defaultLayer, exported.layer());
      assertEquals(FeatureLayout.nchw(), exported.layout());
      Map<String, Object> out = PlainRuntime.run(exported.bytes(), input, INPUT, null);
      TensorExplanation expected = explain(convnext, defaultLayer, List.of("gradcam"))
          .get("gradcam");
      assertArrayEquals(new long[] {310}, (long[]) out.get("class"), "the reference's class");
      assertClose(expected.rawMaps().get(0).toArray(), (float[]) out.get("cam_raw"),
          "convnext default gradcam cam_raw vs library");
      assertClose(expected.map().toArray(), (float[]) out.get("cam"),
          "convnext default gradcam cam vs library");
      assertClose(Npy.read(CONVNEXT_REFERENCE.resolve("gradcam_raw.npy")).toArray(),
          (float[]) out.get("cam_raw"), "convnext default gradcam cam_raw vs pytorch-grad-cam");
      assertClose(Npy.read(CONVNEXT_REFERENCE.resolve("gradcam.npy")).toArray(),
          (float[]) out.get("cam"), "convnext default gradcam cam vs pytorch-grad-cam");
    }
  }

  /**
   * A layout given as the inferred one writes the same bytes; one that leaves its numbers open
   * finds them from the shape; one that does not fit the layer is refused as it is when
   * explaining.
   */
  @Test
  void layoutOverridesAreReadLikeTheLibrarys() throws Exception {
    byte[] inferred = Files.readAllBytes(vitGradCam);
    assertArrayEquals(inferred, CamExport.builder(VIT)
        .layerLayout(FeatureLayout.tokens(1, 14, 14)).build().export().bytes());
    ExportedModel open = CamExport.builder(VIT).layerLayout(FeatureLayout.tokens(-1, 0, 0))
        .build().export();
    assertEquals(FeatureLayout.tokens(1, 14, 14), open.layout());
    assertArrayEquals(inferred, open.bytes());
    InvalidInputException noSquare = assertThrows(InvalidInputException.class,
        () -> CamExport.builder(VIT).layerLayout(FeatureLayout.tokens(2, 0, 0)).build()
            .export());
    assertTrue(noSquare.getMessage().contains("197 tokens are no 2+square grid"),
        noSquare.getMessage());
    InvalidInputException notSpatial = assertThrows(InvalidInputException.class,
        () -> CamExport.builder(VIT).layerLayout(FeatureLayout.nhwc()).build().export());
    assertTrue(notSpatial.getMessage().contains("must be 4-D"), notSpatial.getMessage());
  }

  /** The export's metadata says how the layer was read and the grid of {@code cam_raw}. */
  @Test
  void metadataNamesTheLayout() throws Exception {
    Map<String, String> meta = ModelGraph.load(vitGradCam).proto().getMetadataPropsList()
        .stream().collect(Collectors.toMap(StringStringEntryProto::getKey,
            StringStringEntryProto::getValue));
    assertEquals("tokens 1+14x14 (read as NCHW: 1 prefix token(s) dropped, the rest reshaped to"
        + " the grid and transposed)", meta.get("cam4j.layer.layout"));
    assertTrue(meta.get("cam4j.output.cam_raw").startsWith("float32 [1,14,14]: "),
        meta.get("cam4j.output.cam_raw"));
  }

  /**
   * cam4j reads the exported ViT as it reads the source: the same candidate layers and default
   * (the nodes the export adds are no candidates, and the backward graph's Softmax is no
   * attention), and the same top-5 on a photo.
   */
  @Test
  void layersAndClassifyReadTheExportLikeItsSource() {
    try (CamModel source = CamModel.load(VIT); CamModel exported = CamModel.load(vitGradCam)) {
      assertEquals(names(source.layers()), names(exported.layers()));
      assertEquals(source.layers().defaultLayer().name(),
          exported.layers().defaultLayer().name());
      assertEquals(source.layers().defaultLayer().describeLayout(),
          exported.layers().defaultLayer().describeLayout());
    }
    Path cat = SharedData.path("images/cat.png");
    try (Explainer exported = Explainer.builder(vitGradCam).build()) {
      Classification fromSource = vit.classify(cat, 5);
      Classification fromExport = exported.classify(cat, 5);
      assertEquals(fromSource.predictions().stream().map(Prediction::index).toList(),
          fromExport.predictions().stream().map(Prediction::index).toList());
      for (int i = 0; i < 5; i++) {
        // the same nodes, but ONNX Runtime fuses fewer of them where the backward graph reads
        // their intermediates: float32 rounding moves (1 ulp measured)
        float logit = fromSource.predictions().get(i).logit();
        assertEquals(logit, fromExport.predictions().get(i).logit(),
            1e-5f * Math.max(1f, Math.abs(logit)), "the source's own output");
      }
    }
  }

  /** Methods without a closed form are refused for a token layer too, each with its reason. */
  @Test
  void refusesMethodsWithoutClosedFormWithTheirReason() {
    Map<String, String> reasons = Map.of(
        "eigencam", "its map is the first principal component",
        "scorecam", "it runs the model again on masked or ablated inputs",
        "ablationcam", "it runs the model again on masked or ablated inputs",
        "integrated-gradients", "it attributes to the input pixels",
        "attention-rollout", "it multiplies the attention maps of every block",
        "no-such-method", "only maps that are closed forms");
    reasons.forEach((method, reason) -> {
      ExportException e = assertThrows(ExportException.class,
          () -> CamExport.builder(VIT).method(method).build());
      assertEquals(ExportException.Reason.METHOD, e.reason());
      assertTrue(e.getMessage().contains(" cannot be exported: " + reason), e.getMessage());
    });
  }

  private static List<String> names(LayerCatalog layers) {
    return layers.candidates().stream().map(LayerCatalog.Layer::name).toList();
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    MapAssertions.assertClose(expected, actual, TOLERANCE, 1e-30, what);
  }
}

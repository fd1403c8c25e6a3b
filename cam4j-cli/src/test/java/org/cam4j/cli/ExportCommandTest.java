package org.cam4j.cli;

import static org.cam4j.cli.CliProcessIT.shared;
import static org.cam4j.cli.InProcess.cam4j;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cam4j.cli.CliProcessIT.Outcome;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.image.Preprocessing;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.StringStringEntryProto;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cam4j export}: the exported file, run by plain ONNX Runtime (the ORT Java API only, see
 * {@link PlainOrt}), returns the class and the maps that {@code cam4j explain --tensor} writes for
 * the same input, layer and class, keeps the model's own outputs bit for bit, and still works
 * with {@code cam4j layers} and {@code classify}.
 *
 * <p>Tolerances: {@code cam} within 1e-4 absolute (it lies in [0, 1]; the export sums in float32
 * in ONNX Runtime's order where the library sums channel means in double, ~1e-6 apart);
 * {@code cam_raw} within 1e-4 of its largest magnitude, for the same reason.
 */
class ExportCommandTest {
  private static final String RESNET = shared("models/random/resnet18_random.onnx").toString();
  /** Reference layer and top-1 class of shared/reference/resnet18 (meta.json). */
  private static final String RESNET_LAYER = "/layer4/layer4.1/relu_1/Relu_output_0";
  private static final long RESNET_CLASS = 467;
  private static final Path RESNET_REFERENCE =
      shared("reference/resnet18/_layer4_layer4_1_relu_1_Relu_output_0");
  private static final Path INPUT = shared("reference/input.npy");
  private static final String MOBILENET =
      shared("models/mobilenet_v2_1.0_224_dequant.onnx").toString();
  /** Layer and classes of shared/reference/real_mobilenet_v2 (its README). */
  private static final String MOBILENET_LAYER = "MobilenetV2/Conv_1/Relu6";
  private static final long[] SHAPE = {1, 3, 224, 224};
  private static final double MAP_TOLERANCE = 1e-4;
  private static final List<String> METHODS = List.of("gradcam", "gradcam++", "xgradcam",
      "hirescam", "gradcam-elementwise", "layercam");

  @TempDir
  static Path exports;
  private static Path mobilenetExport;

  @TempDir
  Path tmp;

  private static Path export(Path dir, String model, String... options) {
    Path out = dir.resolve("export_" + dir.toFile().list().length + ".onnx");
    List<String> args = new ArrayList<>(List.of("export", "--model", model, "--out",
        out.toString()));
    args.addAll(List.of(options));
    Outcome r = cam4j(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return out;
  }

  /** What {@code explain --tensor} writes for these options: a folder of M.npy, M_raw.npy. */
  private Path explain(String model, Path input, String... options) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "explain");
    List<String> args = new ArrayList<>(List.of("explain", "--model", model, "--tensor",
        input.toString(), "--out", dir.toString()));
    args.addAll(List.of(options));
    Outcome r = cam4j(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return dir;
  }

  private static synchronized Path mobilenetExport() {
    if (mobilenetExport == null) {
      mobilenetExport = export(exports, MOBILENET, "--layer", MOBILENET_LAYER);
    }
    return mobilenetExport;
  }

  private static float[] npy(Path file) {
    return Npy.read(file).toArray();
  }

  private static void assertMapsEqual(Path expectedCam, Path expectedRaw, PlainOrt.Outputs out,
      String what) {
    assertClose(npy(expectedCam), out.f("cam"), MAP_TOLERANCE, what + " cam");
    float[] raw = npy(expectedRaw);
    double scale = 0;
    for (float v : raw) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertClose(raw, out.f("cam_raw"), MAP_TOLERANCE * scale, what + " cam_raw");
  }

  static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + ": size");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(worst <= tolerance, what + ": max difference " + worst + " > " + tolerance);
  }

  @Test
  void resnet18EveryMethodEqualsExplainTensor() throws Exception {
    Path library = explain(RESNET, INPUT, "--layer", RESNET_LAYER, "--class", "top", "--method",
        String.join(",", METHODS));
    float[] x = npy(INPUT);
    for (String method : METHODS) {
      Path file = export(tmp, RESNET, "--layer", RESNET_LAYER, "--method", method);
      try (PlainOrt ort = new PlainOrt(file)) {
        assertEquals(Set.of("input"), ort.inputNames(), "no input besides the image is required");
        PlainOrt.Outputs out = ort.run("input", x, SHAPE, null);
        assertArrayEquals(new long[] {RESNET_CLASS}, out.l("class"), method);
        assertMapsEqual(library.resolve(method + ".npy"), library.resolve(method + "_raw.npy"),
            out, method);
        if (method.equals("gradcam")) {
          // The same map as pytorch-grad-cam's (the peer's return value for this layer).
          assertClose(npy(RESNET_REFERENCE.resolve("gradcam.npy")), out.f("cam"), MAP_TOLERANCE,
              "gradcam vs pytorch-grad-cam");
        }
      }
    }
  }

  @Test
  void realMobileNetMapAndOwnOutputs() throws Exception {
    Path cat = shared("reference/real_mobilenet_v2/cat.npy");
    Path library = explain(MOBILENET, cat, "--layer", MOBILENET_LAYER, "--class", "top");
    float[] x = npy(cat);
    PlainOrt.Outputs exported;
    try (PlainOrt ort = new PlainOrt(mobilenetExport())) {
      assertEquals(Set.of("input"), ort.inputNames());
      assertEquals(Set.of("logits", "probabilities", "class", "cam_raw", "cam"),
          ort.outputNames());
      exported = ort.run("input", x, SHAPE, null);
    }
    assertArrayEquals(new long[] {286}, exported.l("class"), "Egyptian cat");
    assertMapsEqual(library.resolve("gradcam.npy"), library.resolve("gradcam_raw.npy"), exported,
        "mobilenet cat");
    assertClose(npy(shared("reference/real_mobilenet_v2/cat/last/gradcam.npy")),
        exported.f("cam"), MAP_TOLERANCE, "gradcam vs pytorch-grad-cam");
    try (PlainOrt ort = new PlainOrt(Path.of(MOBILENET))) {
      PlainOrt.Outputs source = ort.run("input", x, SHAPE, null);
      assertArrayEquals(source.f("logits"), exported.f("logits"), "logits bit for bit");
      assertArrayEquals(source.f("probabilities"), exported.f("probabilities"),
          "probabilities bit for bit");
    }
  }

  @Test
  void classIndexPicksTheClassAndMinusOneTheTopClass() throws Exception {
    Path dog = shared("reference/real_mobilenet_v2/dog.npy");
    Path bike = explain(MOBILENET, dog, "--layer", MOBILENET_LAYER, "--class", "672");
    Path top = explain(MOBILENET, dog, "--layer", MOBILENET_LAYER, "--class", "top");
    float[] x = npy(dog);
    // ONNX Runtime's Java API feeds declared inputs only, so this export declares class_index.
    Path file = export(tmp, MOBILENET, "--layer", MOBILENET_LAYER, "--require-class-index");
    try (PlainOrt ort = new PlainOrt(file)) {
      assertEquals(Set.of("input", "class_index"), ort.inputNames());
      PlainOrt.Outputs asked = ort.run("input", x, SHAPE, new long[] {672});
      assertArrayEquals(new long[] {672}, asked.l("class"));
      assertMapsEqual(bike.resolve("gradcam.npy"), bike.resolve("gradcam_raw.npy"), asked,
          "class 672");
      PlainOrt.Outputs unset = ort.run("input", x, SHAPE, new long[] {-1});
      assertArrayEquals(new long[] {250}, unset.l("class"), "malamute, the top-1");
      assertMapsEqual(top.resolve("gradcam.npy"), top.resolve("gradcam_raw.npy"), unset,
          "class -1");
      assertTrue(maxDifference(asked.f("cam"), unset.f("cam")) > 0.1,
          "the two classes' maps differ");
    }
  }

  @Test
  void softmaxScoreEqualsExplainSoftmax() throws Exception {
    Path library = explain(RESNET, INPUT, "--layer", RESNET_LAYER, "--class", "top", "--score",
        "softmax");
    Path file = export(tmp, RESNET, "--layer", RESNET_LAYER, "--score", "softmax");
    try (PlainOrt ort = new PlainOrt(file)) {
      assertMapsEqual(library.resolve("gradcam.npy"), library.resolve("gradcam_raw.npy"),
          ort.run("input", npy(INPUT), SHAPE, null), "softmax");
    }
  }

  /** A Keras-style NHWC input: resnet18 behind a Transpose from [1,224,224,3]. */
  @Test
  void nhwcModelExportsAtItsInputSize() throws Exception {
    ModelProto source = ModelProto.parseFrom(Files.readAllBytes(Path.of(RESNET)));
    GraphProto.Builder g = source.getGraph().toBuilder().clearInput().clearNode()
        .addInput(Onnx.floatValueInfo("image", new long[] {1, 224, 224, 3}))
        .addNode(Onnx.node("Transpose", "to_nchw", List.of("image"), List.of("input"),
            Onnx.attr("perm", new long[] {0, 3, 1, 2})));
    for (NodeProto n : source.getGraph().getNodeList()) {
      g.addNode(n);
    }
    Path model = tmp.resolve("resnet18_nhwc.onnx");
    Files.write(model, source.toBuilder().setGraph(g).build().toByteArray());
    FloatTensor nchw = Npy.read(INPUT);
    float[] nhwc = new float[nchw.size()];
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < 224 * 224; p++) {
        nhwc[p * 3 + c] = nchw.get(c * 224 * 224 + p);
      }
    }
    Path input = tmp.resolve("input_nhwc.npy");
    Files.write(input, Npy.toBytes(FloatTensor.of(new long[] {1, 224, 224, 3}, nhwc)));
    Path library = explain(model.toString(), input, "--layer", RESNET_LAYER, "--class", "top");
    Path file = export(tmp, model.toString(), "--layer", RESNET_LAYER);
    try (PlainOrt ort = new PlainOrt(file)) {
      PlainOrt.Outputs out = ort.run("image", nhwc, new long[] {1, 224, 224, 3}, null);
      assertEquals(224 * 224, out.f("cam").length);
      assertEquals("nhwc", metadata(file).get("cam4j.image.layout"));
      assertEquals("1,224,224,3", metadata(file).get("cam4j.image.shape"));
      assertArrayEquals(new long[] {RESNET_CLASS}, out.l("class"));
      assertMapsEqual(library.resolve("gradcam.npy"), library.resolve("gradcam_raw.npy"), out,
          "nhwc");
    }
  }

  @Test
  void layersAndClassifyReadTheExportLikeItsSource() {
    String exported = mobilenetExport().toString();
    Outcome sourceLayers = cam4j("layers", "--model", MOBILENET);
    Outcome exportLayers = cam4j("layers", "--model", exported);
    assertEquals(0, exportLayers.code(), exportLayers.err());
    assertTrue(exportLayers.out().startsWith("score: graph output 'logits', 1001 classes"),
        exportLayers.out());
    assertEquals(sourceLayers.out(), exportLayers.out());
    String cat = shared("images/cat.png").toString();
    String labels = shared("labels/imagenet_labels_1001.txt").toString();
    Outcome sourceTop = cam4j("classify", "--model", MOBILENET, "--labels", labels,
        "--preprocess", "inception", "--json", cat);
    Outcome exportTop = cam4j("classify", "--model", exported, "--labels", labels,
        "--preprocess", "inception", "--json", cat);
    assertEquals(0, exportTop.code(), exportTop.err());
    assertTrue(exportTop.out().contains("Egyptian cat"), exportTop.out());
    assertEquals(sourceTop.out(), exportTop.out());
  }

  /**
   * A token layer: ViT-Tiny's default (tokens 1+14x14), here given by the layout options as
   * explain takes them; {@code layers} reads the export as its source.
   */
  @Test
  void vitTokenLayerEqualsExplainTensor() throws Exception {
    String vit = shared("models/random/vit_tiny_random.onnx").toString();
    Path library = explain(vit, INPUT, "--class", "top", "--method", "layercam");
    Path file = export(tmp, vit, "--method", "layercam", "--layer-layout", "tokens", "--grid",
        "14x14", "--prefix-tokens", "1");
    try (PlainOrt ort = new PlainOrt(file)) {
      PlainOrt.Outputs out = ort.run("input", npy(INPUT), SHAPE, null);
      assertArrayEquals(new long[] {588}, out.l("class"), "the reference's class");
      assertEquals(14 * 14, out.f("cam_raw").length);
      assertMapsEqual(library.resolve("layercam.npy"), library.resolve("layercam_raw.npy"), out,
          "vit layercam");
    }
    Outcome sourceLayers = cam4j("layers", "--model", vit);
    Outcome exportLayers = cam4j("layers", "--model", file.toString());
    assertEquals(0, exportLayers.code(), exportLayers.err());
    assertEquals(sourceLayers.out(), exportLayers.out());
    Outcome wrong = cam4j("export", "--model", vit, "--layer-layout", "nhwc", "--out",
        tmp.resolve("z.onnx").toString());
    assertEquals(3, wrong.code(), wrong.err());
    assertTrue(wrong.err().contains("must be 4-D"), wrong.err());
  }

  private static Map<String, String> metadata(Path model) throws Exception {
    Map<String, String> m = new HashMap<>();
    for (StringStringEntryProto e : ModelProto.parseFrom(Files.readAllBytes(model))
        .getMetadataPropsList()) {
      m.put(e.getKey(), e.getValue());
    }
    return m;
  }

  @Test
  void metadataSaysHowToFeedAPhotoAndHtmlWritesThePage() throws Exception {
    Path out = tmp.resolve("m_cam.onnx");
    Outcome r = cam4j("export", "--model", MOBILENET, "--layer", MOBILENET_LAYER, "--labels",
        shared("labels/imagenet_labels_1001.txt").toString(), "--preprocess", "inception",
        "--html", "--ort-url", "ort/ort.wasm.min.js", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    Map<String, String> meta = metadata(out);
    assertEquals("input", meta.get("cam4j.image.input"));
    assertEquals("nchw", meta.get("cam4j.image.layout"));
    assertEquals("1,3,224,224", meta.get("cam4j.image.shape"));
    assertEquals(Preprocessing.INCEPTION, Preprocessing.parse(meta.get("cam4j.preprocessing")));
    List<String> labels = List.of(meta.get("cam4j.labels").split("\n"));
    assertEquals(1001, labels.size());
    assertEquals("Egyptian cat", labels.get(286));
    String html = Files.readString(tmp.resolve("m_cam.html"));
    assertTrue(html.contains("<script id=\"ort\" src=\"ort/ort.wasm.min.js\">"), html);
    assertTrue(html.contains("{\"model\":\"./m_cam.onnx\"}"), html);
    assertFalse(html.contains("cdn.jsdelivr.net"), "only the --ort-url is loaded");

    // a model by path without sidecar or options: with --html torch is recorded (and said)
    Path spaced = tmp.resolve("r cam.onnx");
    Outcome plain = cam4j("export", "--model", RESNET, "--html", "--out", spaced.toString());
    assertEquals(0, plain.code(), plain.err());
    assertTrue(plain.err().contains("the page preprocesses photos as torch"), plain.err());
    assertEquals(Preprocessing.TORCH, Preprocessing.parse(metadata(spaced)
        .get("cam4j.preprocessing")));
    assertFalse(metadata(spaced).containsKey("cam4j.labels"));
    String page = Files.readString(tmp.resolve("r cam.html"));
    assertTrue(page.contains("{\"model\":\"./r%20cam.onnx\"}"), page);
    assertTrue(page.contains("src=\"https://cdn.jsdelivr.net/npm/onnxruntime-web@1.30.0/dist/"
        + "ort.wasm.min.js\""), "the pinned default");
    Path bare = export(tmp, RESNET);
    assertFalse(metadata(bare).containsKey("cam4j.preprocessing"), "without --html: not known");
  }

  @Test
  void refusesMethodsWithoutClosedForm() {
    Outcome eigen = cam4j("export", "--model", RESNET, "--method", "eigencam", "--out",
        tmp.resolve("x.onnx").toString());
    assertEquals(3, eigen.code());
    assertTrue(eigen.err().startsWith("cam4j: error: eigencam cannot be exported: its map is the"
        + " first principal component"), eigen.err());
    assertTrue(Files.notExists(tmp.resolve("x.onnx")));
    Outcome layer = cam4j("export", "--model", RESNET, "--layer", "layer9", "--out",
        tmp.resolve("y.onnx").toString());
    assertEquals(3, layer.code(), layer.err());
  }

  private static double maxDifference(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}

package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cam4j.internal.maps.MapOps;
import org.cam4j.method.Methods;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar as a separate process, as a user (or an external check) does. */
class CliProcessIT {
  @TempDir
  Path tmp;

  record Outcome(int code, String out, String err) {
  }

  static Path shared(String relative) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("models"))) {
        return candidate.resolve(relative);
      }
      p = p.getParent();
    }
    throw new IllegalStateException("shared/ not found beside the project");
  }

  static Outcome cam4j(String... args) throws IOException, InterruptedException {
    return cam4jWithEnv(java.util.Map.of(), args);
  }

  static Outcome cam4jWithEnv(java.util.Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-jar", Path.of("target", "cam4j-cli.jar").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd);
    builder.environment().putAll(env);
    Process p = builder.start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    // both streams are closed, so the process is ending: wait for it without a time limit (a
    // test must not fail because the machine is slow)
    return new Outcome(p.waitFor(), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void explainTensorWritesNormalisedAndRawMapsMatchingTheReference() throws Exception {
    Path out = tmp.resolve("out");
    String ref = "reference/resnet18/_layer4_layer4_1_relu_1_Relu_output_0/";
    Outcome r = cam4j("explain", "--model", shared("models/random/resnet18_random.onnx")
        .toString(), "--tensor", shared("reference/input.npy").toString(), "--layer", "layer4",
        "--class", "467", "--method", "gradcam,layercam", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    for (String m : List.of("gradcam", "layercam")) {
      FloatTensor map = Npy.read(out.resolve(m + ".npy"));
      FloatTensor raw = Npy.read(out.resolve(m + "_raw.npy"));
      assertArrayEquals(new long[] {1, 224, 224}, map.shape());
      assertArrayEquals(new long[] {1, 7, 7}, raw.shape());
      // last-layer parity with pytorch-grad-cam: 1e-4 (float32 summation order, see core tests)
      assertTrue(maxAbsDiff(map, Npy.read(shared(ref + m + ".npy"))) < 1e-4, m);
    }
    try (var files = Files.list(out)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")));
    }
  }

  @Test
  void maxChannelsScoresFewerChannelsAndNamesTheResult() throws Exception {
    Path out = tmp.resolve("limited");
    Outcome r = cam4j("explain", "--model", shared("models/random/resnet18_random.onnx")
        .toString(), "--tensor", shared("reference/input.npy").toString(), "--layer", "layer4",
        "--class", "467", "--method", "scorecam", "--max-channels", "8", "--out",
        out.toString());
    assertEquals(0, r.code(), r.err());
    // the method name marks the result as not pytorch-grad-cam parity
    FloatTensor raw = Npy.read(out.resolve("scorecam(max-channels=8)_raw.npy"));
    assertArrayEquals(new long[] {1, 7, 7}, raw.shape());
    assertArrayEquals(new long[] {1, 224, 224},
        Npy.read(out.resolve("scorecam(max-channels=8).npy")).shape());
  }

  /**
   * The external-check contract for every method: DIR/M.npy [1,224,224] in [0,1] and
   * DIR/M_raw.npy; where shared/reference has the method, the map matches it within 1e-4 (the
   * last-layer bound of the core parity tests).
   */
  @Test
  void everyMethodWritesTheContractFiles() throws Exception {
    Path out = tmp.resolve("all");
    String ref = "reference/resnet18/_layer4_layer4_1_relu_1_Relu_output_0/";
    // attention-rollout needs a transformer, not resnet18 (AttentionRolloutTest covers it)
    List<String> methods = org.cam4j.method.Methods.names().stream()
        .filter(m -> !m.equals("attention-rollout")).toList();
    assertEquals(17, methods.size());
    Outcome r = cam4j("explain", "--model", shared("models/random/resnet18_random.onnx")
        .toString(), "--tensor", shared("reference/input.npy").toString(), "--layer",
        "/layer4/layer4.1/relu_1/Relu_output_0", "--class", "467", "--method",
        String.join(",", methods), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    int compared = 0;
    for (String m : methods) {
      FloatTensor map = Npy.read(out.resolve(m + ".npy"));
      assertArrayEquals(new long[] {1, 224, 224}, map.shape(), m);
      float max = 0;
      for (float v : map.toArray()) {
        assertTrue(v >= 0 && v <= 1, m + " value " + v);
        max = Math.max(max, v);
      }
      assertEquals(1f, max, 1e-6f, m + " is min-max normalised");
      assertTrue(Files.exists(out.resolve(m + "_raw.npy")), m);
      Path reference = shared(ref + m + ".npy");
      if (Files.exists(reference)) {
        FloatTensor expected = Npy.read(reference);
        if (m.equals("eigencam") && maxAbsDiff(map, expected) >= 1e-4) {
          // the principal component's sign is arbitrary (reference README): the peer's may be
          // the other one, so the map it normalised is that of the negated raw map
          FloatTensor raw = Npy.read(out.resolve(m + "_raw.npy"));
          float[] negated = raw.toArray();
          for (int i = 0; i < negated.length; i++) {
            negated[i] = -negated[i];
          }
          map = MapOps.normalised(FloatTensor.of(raw.shape(), negated), 224,
              224);
        }
        assertTrue(maxAbsDiff(map, expected) < 1e-4, m);
        compared++;
      }
    }
    assertEquals(8, compared, "reference methods compared");
  }

  /**
   * ViT through the CLI contract: the token layer [1, 197, 192] read as 1+14x14 (class token
   * dropped), Grad-CAM within 1e-4 of pytorch-grad-cam's normalised and raw maps (the core
   * parity bound; raw relative to the reference's max).
   */
  @Test
  void vitTokenLayerMatchesThePeerThroughTheContract() throws Exception {
    Path out = tmp.resolve("vit");
    String ref = "reference/vit_tiny/onnx__Transpose_382/";
    Outcome r = cam4j("explain", "--model", shared("models/random/vit_tiny_random.onnx")
        .toString(), "--tensor", shared("reference/input.npy").toString(), "--layer",
        "onnx::Transpose_382", "--class", "588", "--method", "gradcam", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(maxAbsDiff(Npy.read(out.resolve("gradcam.npy")),
        Npy.read(shared(ref + "gradcam.npy"))) < 1e-4);
    FloatTensor refRaw = Npy.read(shared(ref + "gradcam_raw.npy"));
    FloatTensor raw = Npy.read(out.resolve("gradcam_raw.npy"));
    assertArrayEquals(new long[] {1, 14, 14}, raw.shape());
    float scale = 0;
    for (float v : refRaw.toArray()) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertTrue(maxAbsDiff(raw, refRaw) < 1e-4 * scale);
    // a layout that does not fit the tensor is refused with one line, not guessed
    Outcome wrong = cam4j("explain", "--model", shared("models/random/vit_tiny_random.onnx")
        .toString(), "--tensor", shared("reference/input.npy").toString(), "--layer",
        "onnx::Transpose_382", "--layer-layout", "nhwc", "--out", tmp.resolve("no").toString());
    assertTrue(wrong.code() != 0 && wrong.err().contains("nhwc layer must be 4-D"), wrong.err());
  }

  @Test
  void layersMarksTheTransformerReferenceLayersAsDefault() throws Exception {
    Outcome vit = cam4j("layers", "--model", shared("models/random/vit_tiny_random.onnx")
        .toString());
    assertEquals(0, vit.code(), vit.err());
    assertTrue(vit.out().contains("* onnx::Transpose_382  [1, 197, 192]  LayerNormalization"
        + "  tokens 1+14x14"), vit.out());
    Outcome convnext = cam4j("layers", "--model",
        shared("models/random/convnext_tiny_random.onnx").toString());
    assertEquals(0, convnext.code(), convnext.err());
    assertTrue(convnext.out().contains("* onnx::GlobalAveragePool_268  [1, 256, 7, 7]"),
        convnext.out());
  }

  @Test
  void layersMarksTheDefault() throws Exception {
    Outcome r = cam4j("layers", "--model", shared("models/mobilenet_v2_1.0_224_dequant.onnx")
        .toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("* MobilenetV2/Conv_1/Relu6  [1, 1280, 7, 7]  Clip"), r.out());
  }

  @Test
  void badInputsGiveExitCodeAndOneLineWithoutPartialOutput() throws Exception {
    Path out = tmp.resolve("never");
    String model = shared("models/random/resnet18_random.onnx").toString();
    String tensor = shared("reference/input.npy").toString();

    Outcome missing = cam4j("explain", "--model", tmp.resolve("missing.onnx").toString(),
        "--tensor", tensor, "--out", out.toString());
    assertEquals(3, missing.code());
    assertTrue(missing.err().startsWith("cam4j: error: no such model file: "), missing.err());

    Path text = tmp.resolve("model.onnx");
    Files.writeString(text, "not a model");
    Outcome corrupt = cam4j("explain", "--model", text.toString(), "--tensor", tensor,
        "--out", out.toString());
    assertEquals(3, corrupt.code());
    assertEquals(1, corrupt.err().strip().lines().count(), corrupt.err());

    Outcome layer = cam4j("explain", "--model", model, "--tensor", tensor, "--layer", "layer9",
        "--out", out.toString());
    assertEquals(3, layer.code());
    assertTrue(layer.err().contains("unknown layer 'layer9'; closest layers: "), layer.err());

    Outcome usage = cam4j("explain", "--no-such-flag");
    assertEquals(2, usage.code());

    assertFalse(Files.exists(out), "no output folder after failures");
  }

  @Test
  void registryNamesOfflineAndMistypedFailWithTheManualAlternative() throws Exception {
    Path cache = tmp.resolve("cache");
    java.util.Map<String, String> env = java.util.Map.of("CAM4J_CACHE", cache.toString(),
        "CAM4J_OFFLINE", "1");
    String photo = shared("images/cat.png").toString();
    Path out = tmp.resolve("out");

    Outcome offline = cam4jWithEnv(env, "explain", photo, "--model", "resnet50", "--out",
        out.toString());
    assertEquals(3, offline.code());
    assertTrue(offline.err().startsWith("cam4j: error: cannot download model 'resnet50'"),
        offline.err());
    assertTrue(offline.err().contains("79102261eb6e5fd7af5d27f41316293e388c5cb691e5d25bfb035c4f64fefe31"),
        "names the expected sha256: " + offline.err());
    assertTrue(offline.err().contains("--model PATH --labels PATH"), offline.err());

    Outcome typo = cam4jWithEnv(env, "classify", "--model", "resnet5O", photo);
    assertEquals(3, typo.code());
    assertTrue(typo.err().contains("resnet50"), "suggests the close name: " + typo.err());

    assertFalse(Files.exists(cache), "nothing cached");
    assertFalse(Files.exists(out), "no output");
  }

  private static double maxAbsDiff(FloatTensor a, FloatTensor b) {
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      max = Math.max(max, Math.abs(a.get(i) - b.get(i)));
    }
    return max;
  }
}

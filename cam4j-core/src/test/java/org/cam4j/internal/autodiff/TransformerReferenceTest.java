package org.cam4j.internal.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cam4j.SharedData;
import org.cam4j.internal.engine.ShapeProbe;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;
import org.junit.jupiter.api.Test;

/**
 * The gradients of the shared ViT and ConvNeXt models (LayerNormalization, Erf-GELU, attention
 * with Shape-derived Slice bounds, Gather of the class token) at the reference layers against
 * PyTorch autograd (shared/reference/vit_tiny and convnext_tiny, class seeds as the peer's
 * ClassifierOutputTarget). Built with {@link GradientGraphBuilder} and run by ONNX Runtime.
 *
 * <p>Tolerance: 1e-4 of the reference's max, as for the last layers of the CNN references
 * (float32 sums in another order differ by ~1e-6 to 1e-5 relative; these layers sit a few smooth
 * ops before the logits, with no ReLU or max-pool kink in between).
 */
class TransformerReferenceTest {
  private static final double TOLERANCE = 1e-4;
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /** ViT tokens [1, 197, 192], class token first; the peer drops it and views 14x14 NCHW. */
  @Test
  void vitTinyTokensMatchPyTorch() throws OrtException {
    float[] tokens = gradient("models/random/vit_tiny_random.onnx", "onnx::Transpose_382", 588,
        new long[] {1, 197, 192});
    int channels = 192;
    float[] nchw = new float[channels * 196];
    for (int c = 0; c < channels; c++) {
      for (int t = 0; t < 196; t++) {
        nchw[c * 196 + t] = tokens[(1 + t) * channels + c];
      }
    }
    compare("vit_tiny", FloatTensor.of(new long[] {1, channels, 14, 14}, nchw),
        "reference/vit_tiny/onnx__Transpose_382/gradients.npy");
  }

  @Test
  void convNextTinyMatchesPyTorch() throws OrtException {
    float[] g = gradient("models/random/convnext_tiny_random.onnx", "onnx::GlobalAveragePool_268",
        310, new long[] {1, 256, 7, 7});
    compare("convnext_tiny", FloatTensor.of(new long[] {1, 256, 7, 7}, g),
        "reference/convnext_tiny/onnx__GlobalAveragePool_268/gradients.npy");
  }

  /**
   * From the patch embedding on, the gradient crosses all four encoder blocks: the Concat with the
   * class token, the Shape -> Gather -> Div chains bounding each q/k/v Slice, and the Gather of
   * the class token. Checked by a central difference of the class score along the gradient's own
   * direction v = g / max|g|: (s(a + h v) - s(a - h v)) / 2h against g . v, with h = 2e-3. The
   * difference's truncation error shrinks as h^2 (measured 2.7e-3 relative at h = 1e-2, 1.3e-4 at
   * 2e-3); float32 rounding of the scores adds ~1e-5. Tolerance 1e-3 relative; a wrong rule in
   * any block changes g . v by far more.
   */
  @Test
  void vitTinyDifferentiatesFromThePatchEmbedding() throws OrtException {
    String layer = "/model/conv_proj/Conv_output_0";
    long[] shape = {1, 192, 14, 14};
    ModelGraph graph = ModelGraph.load(SharedData.path("models/random/vit_tiny_random.onnx"));
    Map<String, float[]> run = gradientRun(graph, layer, 588, shape);
    float[] g = run.get("grad");
    float[] a = run.get("activation");
    double max = 0;
    for (float v : g) {
      max = Math.max(max, Math.abs(v));
    }
    double h = 2e-3;
    float[] up = a.clone();
    float[] down = a.clone();
    double along = 0;
    for (int i = 0; i < g.length; i++) {
      double v = g[i] / max;
      up[i] = (float) (a[i] + h * v);
      down[i] = (float) (a[i] - h * v);
      along += g[i] * v;
    }
    double fd = (score(graph, layer, shape, up, 588) - score(graph, layer, shape, down, 588))
        / (2 * h);
    double rel = Math.abs(fd - along) / Math.abs(fd);
    System.out.printf(Locale.ROOT, "[reference] vit_tiny from %s: g.v %.6e, FD %.6e, rel %.2e%n",
        layer, along, fd, rel);
    assertTrue(rel <= 1e-3, "directional derivative off by " + rel);
  }

  /** The class score with {@code layer} fed in place of its producer's output. */
  private static double score(ModelGraph graph, String layer, long[] shape, float[] activation,
      int cls) throws OrtException {
    GraphProto.Builder g = graph.proto().getGraph().toBuilder();
    for (int i = 0; i < g.getNodeCount(); i++) {
      int k = g.getNode(i).getOutputList().indexOf(layer);
      if (k >= 0) {
        g.setNode(i, g.getNode(i).toBuilder().setOutput(k, layer + "/cut"));
      }
    }
    g.addInput(Onnx.floatValueInfo(layer, shape));
    byte[] bytes = graph.proto().toBuilder().setGraph(g).build().toByteArray();
    FloatTensor input = Npy.read(SharedData.path("reference/input.npy"));
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = ENV.createSession(bytes, options);
        OnnxTensor in = tensor(input.toArray(), input.shape());
        OnnxTensor cut = tensor(activation, shape);
        OrtSession.Result result = session.run(Map.of("input", in, layer, cut),
            Set.of("logits"))) {
      return ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer().get(cls);
    }
  }

  private static float[] gradient(String modelFile, String layer, int cls, long[] layerShape)
      throws OrtException {
    ModelGraph graph = ModelGraph.load(SharedData.path(modelFile));
    return gradientRun(graph, layer, cls, layerShape).get("grad");
  }

  /** The layer's gradient ("grad") for a class seed, and its activation ("activation"). */
  private static Map<String, float[]> gradientRun(ModelGraph graph, String layer, int cls,
      long[] layerShape) throws OrtException {
    String score = "logits";
    FloatTensor input = Npy.read(SharedData.path("reference/input.npy"));
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      Set<String> needed = new LinkedHashSet<>(
          BackwardPath.between(graph, List.of(layer), score).tensorsNeedingShapes(graph));
      needed.add(score);
      Map<String, long[]> shapes = ShapeProbe.probe(ENV, 1, graph, "input", input.shape(),
          needed);
      ModelProto model = GradientGraphBuilder.build(graph, List.of(layer), score, shapes);
      float[] seed = new float[1000];
      seed[cls] = 1f;
      Map<String, OnnxTensor> feeds = new HashMap<>();
      try (OrtSession session = ENV.createSession(model.toByteArray(), options)) {
        feeds.put("input", tensor(input.toArray(), input.shape()));
        feeds.put(GradientGraphBuilder.SEED, tensor(seed, new long[] {1, 1000}));
        feeds.put(GradientGraphBuilder.TOP, tensor(new float[1], new long[] {1, 1}));
        feeds.put(GradientGraphBuilder.PROBABILITY, tensor(new float[1], new long[] {1, 1}));
        String name = GradientGraphBuilder.gradientName(layer);
        try (OrtSession.Result result = session.run(feeds, Set.of(name, layer))) {
          Map<String, float[]> out = new HashMap<>();
          for (Map.Entry<String, String> e : Map.of("grad", name, "activation", layer)
              .entrySet()) {
            OnnxTensor t = (OnnxTensor) result.get(e.getValue()).orElseThrow();
            assertArrayEquals(layerShape, t.getInfo().getShape(), e.getKey() + " shape");
            FloatBuffer b = t.getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            out.put(e.getKey(), v);
          }
          return out;
        }
      } finally {
        feeds.values().forEach(OnnxTensor::close);
      }
    }
  }

  private static OnnxTensor tensor(float[] values, long[] shape) throws OrtException {
    return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(values), shape);
  }

  private static void compare(String label, FloatTensor ours, String referenceFile) {
    FloatTensor ref = Npy.read(SharedData.path(referenceFile));
    assertArrayEquals(ref.shape(), ours.shape(), label + " shape");
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < ref.size(); i++) {
      scale = Math.max(scale, Math.abs(ref.get(i)));
      diff = Math.max(diff, Math.abs(ref.get(i) - ours.get(i)));
    }
    double rel = diff / scale;
    System.out.printf(Locale.ROOT, "[reference] %s dA: max rel %.2e (ref max %.3e)%n", label,
        rel, scale);
    assertTrue(rel <= TOLERANCE, label + ": gradient off by " + rel + " of its max");
  }
}

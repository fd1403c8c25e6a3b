package org.cam4j.internal.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.cam4j.engine.BackwardMode;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.engine.GradientResult;
import org.cam4j.explain.Target;
import org.cam4j.internal.engine.ShapeProbe;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.tensor.FloatTensor;

/**
 * Compares the gradients of {@link GradientGraphBuilder} with central finite differences of the
 * original model run by ONNX Runtime, for score = sum(seed * output) with random seed weights.
 *
 * <p>Error measure: max|g_ad - g_fd| / max|g_fd| over the checked elements of a target. The FD
 * score is accumulated in double; the step is {@code h * max(1, |t_i|)} and the difference is
 * divided by the step actually taken in float32.
 */
final class GradientCheck {
  static final double TOLERANCE = 1e-3;
  /** One-sided differences further apart than this times max|g_ad| reveal a kink. */
  private static final double KINK = 1e-3;
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final OrtSession.SessionOptions OPTIONS = options();

  private final TinyModel model;
  private ModelProto exported;
  private List<String> targets;
  private double step = 1e-2;
  private int maxElements = 40;
  private boolean skipKinks;
  private boolean probabilities;
  private boolean classSeed;
  private BackwardMode mode = BackwardMode.GRADIENT;

  private GradientCheck(TinyModel model) {
    this.model = model;
    this.targets = List.of(model.inputName());
  }

  static GradientCheck on(TinyModel model) {
    return new GradientCheck(model);
  }

  /** Tensors to differentiate with respect to; the graph input by default. */
  GradientCheck targets(String... names) {
    targets = List.of(names);
    return this;
  }

  /**
   * Takes the gradients from {@link CamModel#forwardBackward} on {@code exported} instead of a
   * gradient model built here, so whatever CamModel does to a model on load (such as the opset
   * upgrade) is checked too. {@code exported} is the model as a file would hold it: it may add
   * nodes after the score (a final Softmax, which CamModel looks through) and differ in form
   * (IR version, initializers listed as inputs); finite differences still run the TinyModel.
   */
  GradientCheck viaCamModel(ModelProto exported) {
    this.exported = exported;
    return this;
  }

  GradientCheck step(double h) {
    step = h;
    return this;
  }

  /** Checks at most this many elements of each target (a random subset of larger tensors). */
  GradientCheck elements(int n) {
    maxElements = n;
    return this;
  }

  /**
   * For networks with ReLU and MaxPool, whose many kinks no input can keep away from: elements
   * whose forward and backward one-sided differences disagree (a kink lies within the step) are
   * left out, at most a fifth of them. A wrong rule still shows: its error does not make the
   * one-sided differences disagree.
   */
  GradientCheck skipKinks() {
    skipKinks = true;
    return this;
  }

  /**
   * Differentiates {@code sum_k seed_k softmax(output)_k} per row (the builder's PROBABILITY
   * input set to 1) instead of {@code sum_k seed_k output_k}.
   */
  GradientCheck probabilities() {
    probabilities = true;
    return this;
  }

  /**
   * Builds the graph's {@link GradientGraphBuilder.SeedForm#CLASSES} form and differentiates one
   * random class per row, with a random weight, fed as CLASS and TOP.
   */
  GradientCheck classSeed() {
    classSeed = true;
    return this;
  }

  /** Builds the gradient model in this backward mode; finite differences only check GRADIENT. */
  GradientCheck mode(BackwardMode m) {
    mode = m;
    return this;
  }

  /** Asserts every target's gradient matches finite differences within {@link #TOLERANCE}. */
  void verify(String label) {
    try (Run run = open()) {
      float[] seed = run.randomSeed(new Random(7));
      Map<String, float[]> ad = run.gradients(seed);
      for (String t : targets) {
        Comparison c = run.compare(t, seed, ad.get(t));
        System.out.printf(Locale.ROOT, "[gradcheck] %s | d/d%s | rel err %.2e | %d elements%s%n",
            label, t, c.error(), c.checked(), c.kinks() > 0 ? ", " + c.kinks() + " at kinks" : "");
        assertTrue(c.error() <= TOLERANCE, label + ": gradient of " + t + " off by " + c.error());
      }
    }
  }

  /** A target's relative error over the elements compared, and those left out at kinks. */
  record Comparison(double error, int checked, int kinks) {
  }

  /** Builds the gradient model and its session. */
  Run open() {
    return new Run();
  }

  /** One gradient model with its session, and finite differences against the original model. */
  final class Run implements AutoCloseable {
    private final ModelProto forward = model.build();
    private final ModelGraph graph = ModelGraph.of(forward);
    private final String score = model.scoreName();
    private final Map<String, long[]> shapes;
    /** Null when gradients come from {@link #cam}. */
    private final ModelProto gradientModel;
    private final OrtSession session;
    private final CamModel cam;
    /** Forward values of the targets and the score from the last {@link #gradients} call. */
    private final Map<String, float[]> values = new HashMap<>();
    private float[] scoreValues;

    private Run() {
      Set<String> needed = new LinkedHashSet<>(
          BackwardPath.between(graph, targets, score).tensorsNeedingShapes(graph));
      needed.add(score);
      shapes = ShapeProbe.probe(ENV, 1, graph, model.inputName(), model.inputShape(),
          needed);
      if (exported != null) {
        cam = CamModel.of(exported.toByteArray(), EngineOptions.builder().intraOpThreads(1)
            .build());
        assertEquals(score, cam.signature().score().name(),
            "CamModel must explain the TinyModel's score");
        gradientModel = null;
        session = null;
        return;
      }
      cam = null;
      gradientModel = GradientGraphBuilder.build(graph, targets, score, shapes, mode,
          classSeed ? GradientGraphBuilder.SeedForm.CLASSES
              : GradientGraphBuilder.SeedForm.WEIGHTS);
      assertEquals(forward.getOpsetImportList(), gradientModel.getOpsetImportList(),
          "the gradient model must keep the model's opset");
      session = session(gradientModel);
    }

    /** The scores of the last {@link #gradients} call. */
    float[] scores() {
      return scoreValues.clone();
    }

    ModelProto gradientModel() {
      return gradientModel;
    }

    long[] shape(String tensor) {
      return shapes.get(tensor).clone();
    }

    /** [N, K]: the seed's shape for this model's score. */
    long[] seedShape() {
      long[] s = shapes.get(score);
      return new long[] {s[0], TinyModel.size(s) / s[0]};
    }

    /** Random weights for every class; with {@link #classSeed()}, for one class per row. */
    float[] randomSeed(Random r) {
      float[] seed = new float[TinyModel.size(seedShape())];
      if (classSeed) {
        int k = (int) seedShape()[1];
        for (int row = 0; row < seedShape()[0]; row++) {
          seed[row * k + r.nextInt(k)] = (float) r.nextGaussian();
        }
        return seed;
      }
      for (int i = 0; i < seed.length; i++) {
        seed[i] = (float) r.nextGaussian();
      }
      return seed;
    }

    /** AD gradients of sum(seed * score) per target; also records forward values. */
    Map<String, float[]> gradients(float[] seed) {
      if (cam != null) {
        return camGradients(seed);
      }
      int rows = (int) seedShape()[0];
      long[] classes = new long[rows];
      float[] top = new float[rows];
      if (classSeed) {
        int k = (int) seedShape()[1];
        for (int row = 0; row < rows; row++) {
          for (int c = 0; c < k; c++) {
            if (seed[row * k + c] != 0f) {
              classes[row] = c;
              top[row] = seed[row * k + c];
            }
          }
        }
      }
      return run(seed, classes, top);
    }

    /**
     * With {@link #classSeed()}: the gradients of {@code weights[r]} times each row's top-1
     * score, the class left to the graph (CLASS -1).
     */
    Map<String, float[]> topClassGradients(float[] weights) {
      long[] classes = new long[weights.length];
      Arrays.fill(classes, -1);
      return run(new float[TinyModel.size(seedShape())], classes, weights);
    }

    private Map<String, float[]> run(float[] seed, long[] classes, float[] top) {
      long[] seedShape = seedShape();
      Map<String, float[]> feeds = new LinkedHashMap<>();
      Map<String, long[]> feedShapes = new HashMap<>();
      feeds.put(model.inputName(), model.inputValues());
      feedShapes.put(model.inputName(), model.inputShape());
      feeds.put(GradientGraphBuilder.SEED, seed);
      feedShapes.put(GradientGraphBuilder.SEED, seedShape);
      feeds.put(GradientGraphBuilder.TOP, top);
      feedShapes.put(GradientGraphBuilder.TOP, new long[] {seedShape[0], 1});
      float[] probability = new float[(int) seedShape[0]];
      Arrays.fill(probability, probabilities ? 1f : 0f);
      feeds.put(GradientGraphBuilder.PROBABILITY, probability);
      feedShapes.put(GradientGraphBuilder.PROBABILITY, new long[] {seedShape[0], 1});
      Set<String> wanted = new LinkedHashSet<>(targets);
      wanted.add(score);
      targets.forEach(t -> wanted.add(GradientGraphBuilder.gradientName(t)));
      Map<String, float[]> out = GradientCheck.run(session, feeds, feedShapes,
          Map.of(GradientGraphBuilder.CLASS, classes), wanted);
      scoreValues = out.get(score);
      targets.forEach(t -> values.put(t, out.get(t)));
      Map<String, float[]> grads = new LinkedHashMap<>();
      targets.forEach(t -> grads.put(t, out.get(GradientGraphBuilder.gradientName(t))));
      return grads;
    }

    private Map<String, float[]> camGradients(float[] seed) {
      int rows = (int) seedShape()[0];
      int k = seed.length / rows;
      float[][] weights = new float[rows][];
      for (int r = 0; r < rows; r++) {
        weights[r] = Arrays.copyOfRange(seed, r * k, (r + 1) * k);
      }
      GradientResult result = cam.forwardBackward(FloatTensor.of(model.inputShape(),
          model.inputValues()), targets, Arrays.stream(weights).map(Target::weighted).toList());
      scoreValues = result.scores().toArray();
      Map<String, float[]> grads = new LinkedHashMap<>();
      for (String t : targets) {
        values.put(t, result.activation(t).toArray());
        grads.put(t, result.gradient(t).toArray());
      }
      return grads;
    }

    /** max|ad - fd| / max|fd| over the checked elements of one target, at the last seed run. */
    Comparison compare(String target, float[] seed, float[] ad) {
      try (OrtSession fd = session(cutAt(target))) {
        Map<String, float[]> feeds = new LinkedHashMap<>();
        Map<String, long[]> feedShapes = new HashMap<>();
        feeds.put(model.inputName(), model.inputValues());
        feedShapes.put(model.inputName(), model.inputShape());
        float[] base = values.get(target);
        feeds.put(target, base);
        feedShapes.put(target, shape(target));
        double atBase = scoreOf(fd, feeds, feedShapes, seed);
        assertTrue(Math.abs(atBase - objective(seed, scoreValues)) <= 1e-5 * (1 + Math.abs(atBase)),
            "the gradient model's forward score differs from the original model's");
        double adScale = 0;
        for (float g : ad) {
          adScale = Math.max(adScale, Math.abs(g));
        }
        double maxDiff = 0;
        double scale = 0;
        List<Integer> checked = elements(base.length);
        int kinks = 0;
        for (int i : checked) {
          float[] moved = base.clone();
          double h = step * Math.max(1, Math.abs(base[i]));
          moved[i] = (float) (base[i] + h);
          feeds.put(target, moved);
          double up = scoreOf(fd, feeds, feedShapes, seed);
          double upStep = (double) moved[i] - base[i];
          moved[i] = (float) (base[i] - h);
          double down = scoreOf(fd, feeds, feedShapes, seed);
          double downStep = (double) base[i] - moved[i];
          if (skipKinks && Math.abs((up - atBase) / upStep - (atBase - down) / downStep)
              > KINK * adScale) {
            kinks++;
            continue;
          }
          double g = (up - down) / (upStep + downStep);
          maxDiff = Math.max(maxDiff, Math.abs(g - ad[i]));
          scale = Math.max(scale, Math.abs(g));
        }
        assertTrue(kinks <= checked.size() / 5, kinks + " of " + checked.size()
            + " elements of " + target + " sit at a kink");
        assertTrue(scale > 0, "finite differences are all zero for " + target);
        return new Comparison(maxDiff / scale, checked.size() - kinks, kinks);
      } catch (OrtException e) {
        throw new AssertionError(e);
      }
    }

    private List<Integer> elements(int n) {
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(i);
      }
      if (n <= maxElements) {
        return all;
      }
      Collections.shuffle(all, new Random(99));
      return all.subList(0, maxElements);
    }

    /** The original model with {@code target} made a free input (its producer's output cut). */
    private ModelProto cutAt(String target) {
      if (target.equals(model.inputName())) {
        return forward;
      }
      GraphProto.Builder g = forward.getGraph().toBuilder();
      for (int i = 0; i < g.getNodeCount(); i++) {
        NodeProto n = g.getNode(i);
        int k = n.getOutputList().indexOf(target);
        if (k >= 0) {
          g.setNode(i, n.toBuilder().setOutput(k, target + "/cut"));
        }
      }
      g.addInput(Onnx.floatValueInfo(target, shape(target)));
      return forward.toBuilder().setGraph(g).build();
    }

    private double scoreOf(OrtSession s, Map<String, float[]> feeds, Map<String, long[]> shapes,
        float[] seed) {
      return objective(seed, GradientCheck.run(s, feeds, shapes, Set.of(score)).get(score));
    }

    /** What the seed differentiates: seed . output, or seed . softmax(output) row by row. */
    private double objective(float[] seed, float[] out) {
      if (!probabilities) {
        return dot(seed, out);
      }
      int k = (int) seedShape()[1];
      double total = 0;
      for (int r = 0; r < out.length / k; r++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          max = Math.max(max, out[r * k + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          sum += Math.exp(out[r * k + j] - max);
        }
        for (int j = 0; j < k; j++) {
          total += seed[r * k + j] * Math.exp(out[r * k + j] - max) / sum;
        }
      }
      return total;
    }

    @Override
    public void close() {
      if (cam != null) {
        cam.close();
        return;
      }
      try {
        session.close();
      } catch (OrtException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static double dot(float[] seed, float[] out) {
    assertEquals(seed.length, out.length);
    double s = 0;
    for (int i = 0; i < seed.length; i++) {
      s += (double) seed[i] * out[i];
    }
    return s;
  }

  private static OrtSession session(ModelProto model) {
    try {
      return ENV.createSession(model.toByteArray(), OPTIONS);
    } catch (OrtException e) {
      throw new AssertionError("ONNX Runtime rejects the model: " + e.getMessage(), e);
    }
  }

  /** Runs a session on float feeds and returns the wanted float outputs. */
  private static Map<String, float[]> run(OrtSession session, Map<String, float[]> feeds,
      Map<String, long[]> shapes, Set<String> wanted) {
    return run(session, feeds, shapes, Map.of(), wanted);
  }

  /** Runs with the feeds the session takes: {@code feeds} float, {@code indexFeeds} int64 [n]. */
  private static Map<String, float[]> run(OrtSession session, Map<String, float[]> feeds,
      Map<String, long[]> shapes, Map<String, long[]> indexFeeds, Set<String> wanted) {
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      for (Map.Entry<String, float[]> f : feeds.entrySet()) {
        if (session.getInputNames().contains(f.getKey())) {
          inputs.put(f.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(f.getValue()),
              shapes.get(f.getKey())));
        }
      }
      for (Map.Entry<String, long[]> f : indexFeeds.entrySet()) {
        if (session.getInputNames().contains(f.getKey())) {
          inputs.put(f.getKey(), OnnxTensor.createTensor(ENV, f.getValue()));
        }
      }
      try (OrtSession.Result result = session.run(inputs, wanted)) {
        Map<String, float[]> out = new HashMap<>();
        for (String name : wanted) {
          FloatBuffer b = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
          float[] v = new float[b.remaining()];
          b.get(v);
          out.put(name, v);
        }
        return out;
      }
    } catch (OrtException e) {
      throw new AssertionError("ONNX Runtime failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static OrtSession.SessionOptions options() {
    try {
      OrtSession.SessionOptions o = new OrtSession.SessionOptions();
      o.setIntraOpNumThreads(1);
      o.setInterOpNumThreads(1);
      return o;
    } catch (OrtException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}

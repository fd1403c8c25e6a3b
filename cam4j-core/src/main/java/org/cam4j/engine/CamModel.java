package org.cam4j.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.cam4j.Cam4jException;
import org.cam4j.engine.BackwardMode;
import org.cam4j.explain.Target;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.graph.ModelSignature;
import org.cam4j.internal.autodiff.BackwardPath;
import org.cam4j.internal.autodiff.GradientGraphBuilder;
import org.cam4j.internal.engine.HeadGraph;
import org.cam4j.internal.engine.ModelAccess;
import org.cam4j.internal.engine.OrtRunner;
import org.cam4j.internal.engine.ScoreSeed;
import org.cam4j.internal.engine.SessionCache;
import org.cam4j.internal.engine.ShapeProbe;
import org.cam4j.internal.graph.LayerDiscovery;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.OpsetUpgrade;
import org.cam4j.internal.graph.SignatureDiscovery;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.ValueInfoProto;
import org.cam4j.tensor.FloatTensor;

/**
 * An ONNX image classifier ready to explain: the graph, its signature, layer discovery, and the
 * ONNX Runtime sessions (cached per set of layers, input shape and backward mode, so one session
 * serves several layers and a warm model builds none). Models of opset 7 to 9 are lifted to
 * opset 11 first ({@link OpsetUpgrade}). Thread-safe; close it to free native memory.
 */
public final class CamModel implements AutoCloseable {
  private final ModelGraph graph;
  private final ModelSignature signature;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions sessionOptions;
  private final SessionCache<SessionKey> sessions;
  private final Map<String, long[]> catalogShapes = new HashMap<>();
  private final Map<String, HeadModel> heads = new HashMap<>();
  private final AtomicLong runs = new AtomicLong();
  private volatile LayerCatalog catalog;
  private volatile long classes = -1;

  /**
   * A session: forward only (tensors exposed) or forward+backward (layers differentiated, with
   * true or guided gradients).
   */
  private record SessionKey(boolean backward, List<String> tensors, List<Long> inputShape,
      BackwardMode mode) {
  }

  static {
    ModelAccess.register(m -> m.graph);
  }

  private CamModel(ModelGraph graph, EngineOptions options) {
    this.graph = OpsetUpgrade.forGradients(graph);
    this.signature = SignatureDiscovery.signature(this.graph);
    this.env = OrtEnvironment.getEnvironment();
    try {
      this.sessionOptions = new OrtSession.SessionOptions();
      sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
      sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
    } catch (OrtException e) {
      throw new Cam4jException("cannot configure ONNX Runtime: " + e.getMessage(), e);
    }
    this.sessions = new SessionCache<>(options.maxCachedSessions());
  }

  public static CamModel load(Path path) {
    return load(path, EngineOptions.defaults());
  }

  public static CamModel load(Path path, EngineOptions options) {
    return new CamModel(ModelGraph.load(path), options);
  }

  /** A model from the bytes of an ONNX file (e.g. one built in memory). */
  public static CamModel of(byte[] onnx, EngineOptions options) {
    return new CamModel(ModelGraph.parse(onnx), options);
  }

  /** The opset of the graph as explained (after {@link OpsetUpgrade} when it was needed). */
  public int opset() {
    return graph.opset();
  }

  public ModelSignature signature() {
    return signature;
  }

  /** Number of classes the score holds per image. */
  public long classes() {
    layers();
    return classes;
  }

  /** Layer discovery; the first call runs one probing forward pass. */
  public LayerCatalog layers() {
    LayerCatalog c = catalog;
    if (c == null) {
      synchronized (this) {
        if (catalog == null) {
          List<String> outputs = new ArrayList<>();
          for (NodeProto n : graph.nodes()) {
            if (!n.getOpType().equals("Constant")) {
              outputs.addAll(n.getOutputList());
            }
          }
          catalogShapes.putAll(ShapeProbe.probe(env, sessionOptions, graph,
              signature.inputName(), signature.inputShape(1), outputs));
          long[] score = catalogShapes.get(signature.score().name());
          classes = Arrays.stream(score).skip(1).reduce(1, (a, b) -> a * b);
          catalog = LayerDiscovery.discover(graph, catalogShapes, signature.score().name(),
              classes);
        }
        c = catalog;
      }
    }
    return c;
  }

  /** Plain forward pass: the pre-softmax scores [N, K]. */
  public FloatTensor scores(FloatTensor input) {
    return forward(input, List.of()).scores();
  }

  /**
   * One forward run without gradients: the scores and the named tensors (any node output, or the
   * image input itself), e.g. activations for the methods that need no backward pass.
   */
  public ForwardResult forward(FloatTensor input, Collection<String> tensors) {
    checkInput(input);
    List<String> unique = List.copyOf(new TreeSet<>(tensors));
    for (String t : unique) {
      if (!graph.hasTensor(t)) {
        throw new Cam4jException("the model has no tensor named '" + t + "'");
      }
    }
    if (mustSplit(input)) {
      List<ForwardResult> rows = new ArrayList<>();
      for (int i = 0; i < input.dim(0); i++) {
        rows.add(forward(single(input, i), unique));
      }
      Map<String, FloatTensor> stacked = new HashMap<>();
      for (String t : unique) {
        stacked.put(t, concat(rows.stream().map(r -> r.tensor(t)).toList()));
      }
      return new ForwardResult(concat(rows.stream().map(ForwardResult::scores).toList()),
          stacked);
    }
    String score = signature.score().name();
    List<String> computed = unique.stream().filter(t -> !t.equals(signature.inputName())).toList();
    SessionKey key = new SessionKey(false, computed, boxed(input.shape()),
        BackwardMode.GRADIENT);
    OrtSession s = sessions.get(key, k -> createSession(forwardModel(k.tensors())));
    Set<String> wanted = new LinkedHashSet<>(computed);
    wanted.add(score);
    runs.incrementAndGet();
    Map<String, FloatTensor> out = new HashMap<>(OrtRunner.run(env, s,
        Map.of(signature.inputName(), input), wanted));
    FloatTensor scores = asMatrix(out.get(score));
    if (!computed.contains(score)) {
      out.remove(score);
    }
    if (unique.contains(signature.inputName())) {
      out.put(signature.inputName(), input);
    }
    return new ForwardResult(scores, out);
  }

  /**
   * One forward+backward run: activations and gradients of the score for every layer.
   *
   * @param layers ONNX tensor names (resolve user input with {@link #layers()} first); the
   *     model's input ({@code signature().inputName()}) gives the gradient for the image itself
   * @param target what every row explains; a named class must be resolved first
   *     ({@link Target#resolve})
   */
  public GradientResult forwardBackward(FloatTensor input, List<String> layers, Target target) {
    return forwardBackward(input, layers, Collections.nCopies((int) input.dim(0), target),
        BackwardMode.GRADIENT);
  }

  /** One forward+backward run where row i explains {@code targets.get(i)}. */
  public GradientResult forwardBackward(FloatTensor input, List<String> layers,
      List<Target> targets) {
    return forwardBackward(input, layers, targets, BackwardMode.GRADIENT);
  }

  /** {@link #forwardBackward(FloatTensor, List, List)} with true or guided gradients. */
  public GradientResult forwardBackward(FloatTensor input, List<String> layers,
      List<Target> targets, BackwardMode mode) {
    return forwardBackward(input, layers, ScoreSeed.of(targets), mode);
  }

  private GradientResult forwardBackward(FloatTensor input, List<String> layers, ScoreSeed seed,
      BackwardMode mode) {
    checkInput(input);
    if (seed.rows() != input.dim(0)) {
      throw new IllegalArgumentException("the seed has " + seed.rows() + " rows for a batch of "
          + input.dim(0));
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("no layer to explain");
    }
    List<String> unique = List.copyOf(new LinkedHashSet<>(layers));
    if (mustSplit(input)) {
      List<GradientResult> rows = new ArrayList<>();
      for (int i = 0; i < input.dim(0); i++) {
        rows.add(forwardBackward(single(input, i), unique, seed.row(i), mode));
      }
      return stackResults(rows, unique);
    }
    long k = classes();
    SessionKey key = new SessionKey(true, List.copyOf(new TreeSet<>(unique)),
        boxed(input.shape()), mode);
    OrtSession s = sessions.get(key, sk -> createSession(gradientModel(sk.tensors(),
        input.shape(), mode)));
    Map<String, FloatTensor> feeds = Map.of(
        signature.inputName(), input,
        GradientGraphBuilder.SEED, FloatTensor.wrap(new long[] {seed.rows(), k},
            seed.seedMatrix((int) k)),
        GradientGraphBuilder.TOP, FloatTensor.wrap(new long[] {seed.rows(), 1}, seed.topWeights()),
        GradientGraphBuilder.PROBABILITY, FloatTensor.wrap(new long[] {seed.rows(), 1},
            seed.probabilityFlags()));
    Set<String> wanted = new LinkedHashSet<>();
    String scoreName = signature.score().name();
    wanted.add(scoreName);
    for (String l : unique) {
      wanted.add(l);
      wanted.add(GradientGraphBuilder.gradientName(l));
    }
    runs.incrementAndGet();
    Map<String, FloatTensor> out = OrtRunner.run(env, s, feeds, wanted);
    FloatTensor scores = asMatrix(out.get(scoreName));
    Map<String, FloatTensor> acts = new HashMap<>();
    Map<String, FloatTensor> grads = new HashMap<>();
    for (String l : unique) {
      acts.put(l, out.get(l));
      grads.put(l, out.get(GradientGraphBuilder.gradientName(l)));
    }
    return new GradientResult(scoreName, scores, seed.explainedClasses(scores), unique, acts,
        grads);
  }

  /**
   * The part of the model after a layer, to score replaced activations of it without running
   * the layers before (built on first use per layer, then cached).
   */
  public HeadModel head(String layer) {
    synchronized (heads) {
      return heads.computeIfAbsent(layer, l -> new HeadModel(
          HeadGraph.cut(graph, l, signature.score().name()), env, sessionOptions));
    }
  }

  /**
   * Forward and forward+backward runs of the whole network so far (probing and head runs not
   * counted): how often a call paid for the network.
   */
  public long runs() {
    return runs.get();
  }

  /** Sessions created so far; constant once the model is warm. */
  public int sessionsCreated() {
    return sessions.created();
  }

  /** The model with exactly the score and the given tensors as outputs. */
  private ModelProto forwardModel(List<String> tensors) {
    GraphProto.Builder g = graph.proto().getGraph().toBuilder().clearOutput()
        .addOutput(ValueInfoProto.newBuilder().setName(signature.score().name()));
    for (String t : tensors) {
      if (!t.equals(signature.score().name())) {
        g.addOutput(ValueInfoProto.newBuilder().setName(t));
      }
    }
    return graph.proto().toBuilder().setGraph(g).build();
  }

  private ModelProto gradientModel(List<String> layers, long[] inputShape, BackwardMode mode) {
    for (String l : layers) {
      if (!graph.hasTensor(l)) {
        throw new Cam4jException("the model has no tensor named '" + l + "'");
      }
    }
    String score = signature.score().name();
    BackwardPath path = BackwardPath.between(graph, layers, score);
    Set<String> needed = new LinkedHashSet<>(path.tensorsNeedingShapes(graph));
    needed.add(score);
    Map<String, long[]> shapes;
    if (inputShape[0] == 1 && catalogShapes.keySet().containsAll(needed)
        && Arrays.equals(signature.inputShape(1), inputShape)) {
      shapes = catalogShapes;
    } else {
      shapes = ShapeProbe.probe(env, sessionOptions, graph, signature.inputName(), inputShape,
          needed);
    }
    return GradientGraphBuilder.build(graph, layers, score, shapes, mode);
  }

  private OrtSession createSession(ModelProto model) {
    try {
      return env.createSession(model.toByteArray(), sessionOptions);
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
    }
  }

  private void checkInput(FloatTensor input) {
    long[] s = input.shape();
    long[] expected = signature.inputShape(s.length > 0 ? s[0] : 1);
    if (!Arrays.equals(s, expected)) {
      throw new IllegalArgumentException("input shape " + Arrays.toString(s) + " does not match"
          + " the model's " + Arrays.toString(expected) + " (" + signature.layout() + ")");
    }
  }

  private boolean mustSplit(FloatTensor input) {
    return signature.fixedBatch() > 0 && input.dim(0) != signature.fixedBatch();
  }

  private static FloatTensor single(FloatTensor batch, int i) {
    FloatTensor row = batch.row(i);
    return FloatTensor.stack(List.of(row));
  }

  private static FloatTensor asMatrix(FloatTensor t) {
    long n = t.dim(0);
    return FloatTensor.wrap(new long[] {n, t.size() / n}, t.toArray());
  }

  private static GradientResult stackResults(List<GradientResult> rows, List<String> layers) {
    Map<String, FloatTensor> acts = new HashMap<>();
    Map<String, FloatTensor> grads = new HashMap<>();
    for (String l : layers) {
      acts.put(l, concat(rows.stream().map(r -> r.activation(l)).toList()));
      grads.put(l, concat(rows.stream().map(r -> r.gradient(l)).toList()));
    }
    int[] classes = rows.stream().mapToInt(r -> r.explainedClasses()[0]).toArray();
    return new GradientResult(rows.get(0).scoreTensor(),
        concat(rows.stream().map(GradientResult::scores).toList()), classes, layers, acts, grads);
  }

  /** Concatenates batch-1 tensors along the batch axis. */
  private static FloatTensor concat(List<FloatTensor> parts) {
    return FloatTensor.stack(parts.stream().map(p -> p.row(0)).toList());
  }

  private static List<Long> boxed(long[] shape) {
    return Arrays.stream(shape).boxed().toList();
  }

  @Override
  public void close() {
    synchronized (heads) {
      heads.values().forEach(HeadModel::close);
      heads.clear();
    }
    sessions.close();
    sessionOptions.close();
  }
}

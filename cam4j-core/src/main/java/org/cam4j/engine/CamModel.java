package org.cam4j.engine;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.Target;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.graph.ModelSignature;
import org.cam4j.internal.autodiff.BackwardPath;
import org.cam4j.internal.autodiff.GradientGraphBuilder;
import org.cam4j.internal.autodiff.GradientGraphBuilder.SeedForm;
import org.cam4j.internal.engine.HeadGraph;
import org.cam4j.internal.engine.ModelAccess;
import org.cam4j.internal.engine.ModelSession;
import org.cam4j.internal.engine.OrtEnv;
import org.cam4j.internal.engine.OptimizedModelCache;
import org.cam4j.internal.engine.OrtRunner;
import org.cam4j.internal.engine.ScoreSeed;
import org.cam4j.internal.engine.SessionCache;
import org.cam4j.internal.engine.SharedWeights;
import org.cam4j.internal.engine.TensorShapes;
import org.cam4j.internal.graph.LayerDiscovery;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.OpsetUpgrade;
import org.cam4j.internal.graph.SignatureDiscovery;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.ValueInfoProto;
import org.cam4j.internal.trace.PhaseTrace;
import org.cam4j.tensor.FloatTensor;

/**
 * An ONNX image classifier ready to explain: the graph, its signature, layer discovery, and the
 * ONNX Runtime sessions (cached per set of layers, input shape and backward mode, so one session
 * serves several layers and a warm model builds none). Models of opset 7 to 9 are lifted to
 * opset 11 ({@link OpsetUpgrade}) when a gradient graph is first built; forward passes run them
 * as they are. Thread-safe; close it to free native memory.
 *
 * <p>Every session of the model reads one native copy of its weights ({@link SharedWeights}).
 * Sessions are cached within {@link EngineOptions#maxCachedSessions()} and
 * {@link EngineOptions#memoryBudgetBytes()} and leased for each run: a session the cache evicts
 * or {@link #close()} retires is closed only after the runs using it have finished.
 */
public final class CamModel implements AutoCloseable {
  private static final String OVERFLOW = "the model's scores: the input overflows the network";
  private final ModelGraph graph;
  private volatile ModelGraph gradientGraph;
  private final ModelSignature signature;
  private final OrtEnvironment env;
  private final int intraOpThreads;
  private final SharedWeights weights;
  private final Optional<OptimizedModelCache> optimizedModels;
  private volatile String weightsDigest;
  private final SessionCache<CacheKey, ModelSession> sessions;
  private final Map<String, long[]> catalogShapes = new HashMap<>();
  private final Map<String, HeadModel> heads = new HashMap<>();
  private final AtomicLong runs = new AtomicLong();
  private volatile LayerCatalog catalog;
  private volatile long classes = -1;
  private volatile long activationFloatsPerImage = -1;

  /** What a cached session runs: the whole model or the head after a layer. */
  private sealed interface CacheKey permits SessionKey, HeadKey {
  }

  /**
   * A session: forward only (tensors exposed) or forward+backward (layers differentiated, with
   * true or guided gradients).
   */
  private record SessionKey(boolean backward, List<String> tensors, List<Long> inputShape,
      BackwardMode mode, SeedForm seedForm) implements CacheKey {
  }

  /** The session of {@link #head(String)}; it takes any batch. */
  private record HeadKey(String layer) implements CacheKey {
  }

  /**
   * A backward pass holds the forward activations, about one gradient per activation and the
   * convolution workspaces: about three times a forward pass's tensors.
   */
  private static final int GRADIENT_ACTIVATIONS = 3;

  static {
    ModelAccess.register(m -> m.graph);
  }

  private CamModel(ModelGraph graph, EngineOptions options) {
    this.graph = graph;
    this.signature = SignatureDiscovery.signature(this.graph);
    long t0 = PhaseTrace.start();
    this.env = OrtEnv.get();
    PhaseTrace.end("ORT environment (native load)", t0);
    this.intraOpThreads = options.intraOpThreads();
    this.optimizedModels = options.optimizedModelCache().map(OptimizedModelCache::new);
    long t1 = PhaseTrace.start();
    this.weights = SharedWeights.of(env, this.graph);
    PhaseTrace.end("shared weights to native", t1);
    this.sessions = new SessionCache<>(options.maxCachedSessions(), options.memoryBudgetBytes(),
        ModelSession::estimatedBytes);
  }

  /** Loads the ONNX model at {@code path} with the default engine options. */
  public static CamModel load(Path path) {
    return load(path, EngineOptions.defaults());
  }

  /** Loads the ONNX model at {@code path}; {@code options} sets threads and the session cache. */
  public static CamModel load(Path path, EngineOptions options) {
    return new CamModel(ModelGraph.load(path), options);
  }

  /** A model from the bytes of an ONNX file (e.g. one built in memory). */
  public static CamModel of(byte[] onnx, EngineOptions options) {
    return new CamModel(ModelGraph.parse(onnx), options);
  }

  /**
   * The opset of the model as loaded (gradient sessions run a lifted copy of an old opset,
   * {@link OpsetUpgrade}).
   */
  public int opset() {
    return graph.opset();
  }

  /** The graph gradients are appended to: lifted on first use when its opset is below 10. */
  private ModelGraph gradientGraph() {
    ModelGraph g = gradientGraph;
    if (g == null) {
      synchronized (this) {
        if (gradientGraph == null) {
          gradientGraph = OpsetUpgrade.forGradients(graph);
        }
        g = gradientGraph;
      }
    }
    return g;
  }

  /** The model's image input and its score tensor. */
  public ModelSignature signature() {
    return signature;
  }

  /** Number of classes the score holds per image. */
  public long classes() {
    layers();
    return classes;
  }

  /**
   * Layer discovery; the first call infers the shapes of the model's tensors (a probing forward
   * pass only for those static inference cannot reach).
   */
  public LayerCatalog layers() {
    LayerCatalog c = catalog;
    if (c == null) {
      synchronized (this) {
        if (catalog == null) {
          computeShapes();
          catalog = LayerDiscovery.discover(graph, catalogShapes, signature.score().name(),
              classes);
        }
        c = catalog;
      }
    }
    return c;
  }

  /** The shapes of every node output at batch 1 ({@link TensorShapes}, once). */
  private synchronized void computeShapes() {
    if (activationFloatsPerImage >= 0) {
      return;
    }
    List<String> outputs = new ArrayList<>();
    for (NodeProto n : graph.nodes()) {
      if (!n.getOpType().equals("Constant")) {
        outputs.addAll(n.getOutputList());
      }
    }
    Map<String, long[]> shapes = TensorShapes.of(env, intraOpThreads, graph,
        signature.inputName(), signature.inputShape(1), outputs);
    catalogShapes.put(signature.inputName(), shapes.get(signature.inputName()));
    for (String t : outputs) {
      if (shapes.containsKey(t)) {
        catalogShapes.put(t, shapes.get(t));
      }
    }
    long[] score = catalogShapes.get(signature.score().name());
    classes = Arrays.stream(score).skip(1).reduce(1, (a, b) -> a * b);
    activationFloatsPerImage = catalogShapes.values().stream()
        .mapToLong(s -> Arrays.stream(s).skip(1).reduce(1, (a, b) -> a * b)).sum();
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
        throw new InvalidInputException("the model has no tensor named '" + t + "'");
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
        BackwardMode.GRADIENT, null);
    Set<String> wanted = new LinkedHashSet<>(computed);
    wanted.add(score);
    Map<String, FloatTensor> out;
    runs.incrementAndGet();
    try (var lease = sessions.acquire(key, k -> open(forwardModel(computed),
        activationBytes(input.dim(0), 1)))) {
      out = new HashMap<>(OrtRunner.run(env, lease.session().session(),
          Map.of(signature.inputName(), input), wanted));
    }
    FloatTensor scores = asMatrix(out.get(score)).requireFinite(OVERFLOW);
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
    Optional<ScoreSeed.ClassWeights> single = seed.singleClasses((int) k);
    SessionKey key = new SessionKey(true, List.copyOf(new TreeSet<>(unique)),
        boxed(input.shape()), mode, single.isPresent() ? SeedForm.CLASSES : SeedForm.WEIGHTS);
    Map<String, FloatTensor> feeds = new HashMap<>(seedFeeds(seed, single, k));
    feeds.put(signature.inputName(), input);
    Map<String, long[]> classFeed = single.map(c -> Map.of(GradientGraphBuilder.CLASS,
        c.classes())).orElse(Map.of());
    Set<String> wanted = new LinkedHashSet<>();
    String scoreName = signature.score().name();
    wanted.add(scoreName);
    for (String l : unique) {
      wanted.add(l);
      wanted.add(GradientGraphBuilder.gradientName(l));
    }
    Map<String, FloatTensor> out;
    runs.incrementAndGet();
    try (var lease = sessions.acquire(key, sk -> open(gradientModel(key.tensors(),
        input.shape(), mode, key.seedForm()), activationBytes(input.dim(0),
            GRADIENT_ACTIVATIONS)))) {
      out = OrtRunner.run(env, lease.session().session(), feeds, classFeed, wanted);
    }
    FloatTensor scores = asMatrix(out.get(scoreName)).requireFinite(OVERFLOW);
    Map<String, FloatTensor> acts = new HashMap<>();
    Map<String, FloatTensor> grads = new HashMap<>();
    for (String l : unique) {
      acts.put(l, out.get(l));
      grads.put(l, out.get(GradientGraphBuilder.gradientName(l)));
    }
    return new GradientResult(scoreName, scores, seed.explainedClasses(scores), unique, acts,
        grads);
  }

  /** The float seed inputs of the form the seed runs in (the CLASS input aside). */
  private static Map<String, FloatTensor> seedFeeds(ScoreSeed seed,
      Optional<ScoreSeed.ClassWeights> single, long classes) {
    long[] rowShape = {seed.rows(), 1};
    if (single.isPresent()) {
      return Map.of(GradientGraphBuilder.TOP, FloatTensor.wrap(rowShape, single.get().weights()));
    }
    return Map.of(
        GradientGraphBuilder.SEED, FloatTensor.wrap(new long[] {seed.rows(), classes},
            seed.seedMatrix((int) classes)),
        GradientGraphBuilder.TOP, FloatTensor.wrap(rowShape, seed.topWeights()),
        GradientGraphBuilder.PROBABILITY, FloatTensor.wrap(rowShape, seed.probabilityFlags()));
  }

  /**
   * The part of the model after a layer, to score replaced activations of it without running
   * the layers before. The head's graph is cut on first use per layer and kept (it shares the
   * model's weights); its session lives in the model's bounded session cache.
   */
  public HeadModel head(String layer) {
    synchronized (heads) {
      return heads.computeIfAbsent(layer, l -> new HeadModel(
          HeadGraph.cut(graph, l, signature.score().name()), env, this::headSession,
          () -> sessions.retire(new HeadKey(l))));
    }
  }

  private SessionCache<CacheKey, ModelSession>.Lease headSession(HeadGraph head) {
    return sessions.acquire(new HeadKey(head.layer()),
        k -> open(head.proto(), activationBytes(1, 1)));
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

  private ModelProto gradientModel(List<String> layers, long[] inputShape, BackwardMode mode,
      SeedForm seedForm) {
    ModelGraph lifted = gradientGraph();
    for (String l : layers) {
      if (!lifted.hasTensor(l)) {
        throw new InvalidInputException("the model has no tensor named '" + l + "'");
      }
    }
    String score = signature.score().name();
    BackwardPath path = BackwardPath.between(lifted, layers, score);
    Set<String> needed = new LinkedHashSet<>(path.tensorsNeedingShapes(lifted));
    needed.add(score);
    Map<String, long[]> shapes;
    if (inputShape[0] == 1 && catalogShapes.keySet().containsAll(needed)
        && Arrays.equals(signature.inputShape(1), inputShape)) {
      shapes = catalogShapes;
    } else {
      shapes = TensorShapes.of(env, intraOpThreads, lifted, signature.inputName(), inputShape,
          needed);
    }
    long t0 = PhaseTrace.start();
    ModelProto model = GradientGraphBuilder.build(lifted, layers, score, shapes, mode,
        seedForm);
    PhaseTrace.end("gradient graph build", t0);
    return model;
  }

  private ModelSession open(ModelProto model, long activationBytes) {
    return ModelSession.open(env, model, weights, intraOpThreads, activationBytes,
        optimizedModels, this::weightsDigest);
  }

  /** The digest of the weights, for the optimised-model cache (computed once, on first use). */
  private String weightsDigest() {
    String d = weightsDigest;
    if (d == null) {
      d = OptimizedModelCache.weightsDigest(graph);
      weightsDigest = d;
    }
    return d;
  }

  /**
   * What one run may hold at once: every tensor of the forward pass of {@code rows} images,
   * {@code factor} times. Heads are counted at one row, like the whole model (an over-estimate
   * of their tensors, which batches of ablated copies make up for).
   */
  private long activationBytes(long rows, int factor) {
    computeShapes();
    return activationFloatsPerImage * rows * factor * Float.BYTES;
  }

  private void checkInput(FloatTensor input) {
    input.requireFinite("the input tensor");
    long[] s = input.shape();
    long[] expected = signature.inputShape(s.length > 0 ? s[0] : 1);
    if (!Arrays.equals(s, expected)) {
      throw new InvalidInputException("input shape " + Arrays.toString(s) + " does not match"
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

  /**
   * Concatenates the results of single-image runs along their first axis, every row of each: a
   * batch-first tensor gives [N, ...], and one whose first axis is not the batch (attention
   * [B·H, T, T], torchvision's) gives what a run of the whole batch gives, [N·H, T, T].
   */
  private static FloatTensor concat(List<FloatTensor> parts) {
    List<FloatTensor> rows = new ArrayList<>();
    for (FloatTensor p : parts) {
      for (int r = 0; r < p.dim(0); r++) {
        rows.add(p.row(r));
      }
    }
    return FloatTensor.stack(rows);
  }

  private static List<Long> boxed(long[] shape) {
    return Arrays.stream(shape).boxed().toList();
  }

  /**
   * Retires every session: idle ones close now, those still running close when their run ends;
   * the shared weights are freed with the last session. Later runs fail.
   */
  @Override
  public void close() {
    synchronized (heads) {
      heads.clear();
    }
    sessions.close();
    weights.release();
  }
}

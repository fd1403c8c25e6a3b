package org.cam4j.explain;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cam4j.InvalidInputException;
import org.cam4j.Cancellation;
import org.cam4j.Versions;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.graph.ModelSignature;
import org.cam4j.image.CropBox;
import org.cam4j.image.ImageLoader;
import org.cam4j.image.PreparedImage;
import org.cam4j.image.Preprocessing;
import org.cam4j.internal.io.Sha256;
import org.cam4j.internal.maps.MapOps;
import org.cam4j.internal.trace.PhaseTrace;
import org.cam4j.labels.Label;
import org.cam4j.labels.Labels;
import org.cam4j.labels.Prediction;
import org.cam4j.labels.Predictions;
import org.cam4j.method.CamContext;
import org.cam4j.method.CamMethod;
import org.cam4j.render.Heatmap;
import org.cam4j.render.Heatmaps;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Layout;
import org.cam4j.tensor.Softmax;

/**
 * A classifier ready to classify and explain photos: the model (sessions cached, see
 * {@link CamModel}), its preprocessing and its labels. Thread-safe; close it to free native
 * memory.
 *
 * <pre>{@code
 * try (Explainer model = Explainer.builder(Path.of("mobilenet.onnx"))
 *     .preprocessing(Preprocessing.INCEPTION).labels(Path.of("labels.txt")).build()) {
 *   model.explain(Path.of("cat.png")).save(Path.of("out"));
 * }
 * }</pre>
 */
public final class Explainer implements AutoCloseable {
  private final CamModel model;
  private final Path modelPath;
  private final String modelName;
  private final Preprocessing preprocessing;
  private final Labels labels;
  private final ImageLoader loader;
  private volatile String modelSha256;

  private Explainer(Builder b) {
    this.modelPath = b.modelPath;
    this.modelName = b.modelName;
    this.model = CamModel.load(b.modelPath, b.engineOptions);
    try {
      this.preprocessing = b.preprocessing;
      int classes = Math.toIntExact(model.classes());
      this.labels = b.labels == null ? Labels.fallback(classes) : b.labels.alignTo(classes);
      this.loader = b.loader;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Starts a builder for the model at {@code model}; preprocessing defaults to the model's
   * sidecar file ({@link Preprocessing#sidecarOf}) when present, else {@link Preprocessing#TORCH}.
   */
  public static Builder builder(Path model) {
    return new Builder(model);
  }

  /** The model with its cached sessions (the engine underneath). */
  public CamModel model() {
    return model;
  }

  /** The model file this explainer was built from. */
  public Path modelPath() {
    return modelPath;
  }

  /** How photos are turned into the model's input. */
  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** The labels, aligned to the model's outputs (placeholders when none were given). */
  public Labels labels() {
    return labels;
  }

  /** How photos are read and checked. */
  public ImageLoader imageLoader() {
    return loader;
  }

  /** The top-{@code k} classes of the photo at {@code image}. */
  public Classification classify(Path image, int k) {
    long t0 = System.nanoTime();
    return classify(decode(image), image.toString(), k, t0);
  }

  /** The top-{@code k} classes of a decoded photo (RGB, as {@link ImageLoader} gives). */
  public Classification classify(BufferedImage photo, String source, int k) {
    return classify(photo, source, k, System.nanoTime());
  }

  private Classification classify(BufferedImage photo, String source, int k, long start) {
    PreparedImage prepared = prepare(photo);
    float[] logits = model.scores(prepared.tensor()).toArray();
    return new Classification(source, Predictions.top(logits, labels, k), millisSince(start));
  }

  /** Grad-CAM of the top class at the default layer. */
  public Explanation explain(Path image) {
    return explain(image, ExplainOptions.defaults());
  }

  /** The photo at {@code image} explained with options naming one method. */
  public Explanation explain(Path image, ExplainOptions options) {
    return single(explainAll(image, options));
  }

  /** A decoded photo (RGB, as {@link ImageLoader} gives) explained with Grad-CAM. */
  public Explanation explain(BufferedImage photo) {
    return explain(photo, ExplainOptions.defaults());
  }

  /** A decoded photo explained with options naming one method. */
  public Explanation explain(BufferedImage photo, ExplainOptions options) {
    return explain(photo, "image", options);
  }

  /**
   * A decoded photo explained with options naming one method.
   *
   * @param source where it came from, for the manifest
   */
  public Explanation explain(BufferedImage photo, String source, ExplainOptions options) {
    return single(explainAll(photo, source, options));
  }

  /** The photo at {@code image}, one explanation per method of {@code options}. */
  public List<Explanation> explainAll(Path image, ExplainOptions options) {
    return explainAll(decode(image), image.toString(), options);
  }

  private BufferedImage decode(Path image) {
    long t0 = PhaseTrace.start();
    BufferedImage photo = loader.load(image);
    PhaseTrace.end("image decode", t0);
    return photo;
  }

  /**
   * A decoded photo, one explanation per method of {@code options}, in their order. The methods
   * share one context: one forward/backward run over the layers serves them all.
   *
   * @param source where it came from, for the manifests
   */
  public List<Explanation> explainAll(BufferedImage photo, String source,
      ExplainOptions options) {
    Objects.requireNonNull(photo, "photo");
    long t0 = System.nanoTime();
    PreparedImage prepared = prepare(photo);
    double preprocessMs = millisSince(t0);
    List<String> layers = resolveLayers(options);
    CamContext context = context(prepared.tensor(), layers, options.target().resolve(labels),
        options);
    List<Explanation> out = new ArrayList<>();
    for (CamMethod method : options.methods()) {
      Cancellation.checkpoint();
      out.add(explanation(method, context, photo, prepared, source, options, preprocessMs));
    }
    return out;
  }

  /** One method's explanation of a photo from the shared context. */
  private Explanation explanation(CamMethod method, CamContext context, BufferedImage photo,
      PreparedImage prepared, String source, ExplainOptions options, double preprocessMs) {
    long t1 = System.nanoTime();
    Map<String, FloatTensor> raw = rawMaps(method, context);
    float[] logits = context.scores().row(0).toArray();
    int explained = context.explainedClasses()[0];
    long t2 = System.nanoTime();
    Map<String, Heatmap> layerMaps = new LinkedHashMap<>();
    raw.forEach((layer, r) -> layerMaps.put(layer, Heatmap.of(
        normalizedAtOwnSize(r, options.normalization()))));
    List<String> fused = options.allLayers() ? List.of(lastOf(raw.keySet())) : List.copyOf(
        raw.keySet());
    Heatmap inputMap = inputMap(fused.stream().map(raw::get).toList(), prepared,
        options.normalization());
    Heatmap photoMap = options.normalization() == Normalization.RELU_MAX
        ? Heatmaps.mean(fused.stream().map(l -> Heatmaps.toPhoto(layerMaps.get(l), prepared))
            .toList())
        : Heatmaps.toPhoto(inputMap, prepared);
    long t3 = System.nanoTime();

    Prediction explainedClass = predictionOf(explained, logits);
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("preprocess", preprocessMs);
    timings.put("inference", (t2 - t1) / 1e6);
    timings.put("maps", (t3 - t2) / 1e6);
    Manifest manifest = new Manifest(Versions.cam4j(), Versions.onnxRuntime(), Versions.java(),
        Instant.now().toString(), modelInfo(), preprocessing.toString(),
        imageInfo(source, prepared), method.name(), List.copyOf(raw.keySet()),
        layerLayouts(raw.keySet(), context),
        lower(options.normalization().name()), targetInfo(options.target(), explainedClass),
        Predictions.top(logits, labels, options.topK()),
        new Manifest.RenderInfo(lower(options.overlay().colormap().name()),
            options.overlay().alpha(), lower(options.overlay().mode().name())),
        timings, Map.of());
    Map<String, FloatTensor> rawOfPhoto = new LinkedHashMap<>();
    raw.forEach((layer, r) -> rawOfPhoto.put(layer, r.row(0)));
    return new Explanation(photo, prepared, explainedClass, rawOfPhoto, layerMaps, inputMap,
        photoMap, options.overlay(), manifest);
  }

  /**
   * An already preprocessed batch ({@code [N,3,H,W]} or {@code [N,H,W,3]} in the model's layout,
   * the {@code explain --tensor} contract), one result per method of {@code options}, all from
   * one shared context. With {@link ExplainOptions#allLayers()} every block output gets a raw
   * map and the map is the last one's, as for photos.
   */
  public List<TensorExplanation> explainTensor(FloatTensor input, ExplainOptions options) {
    Objects.requireNonNull(input, "input");
    List<String> layers = resolveLayers(options);
    Target target = options.target().resolve(labels);
    CamContext context = context(input, layers, target, options);
    ModelSignature s = model.signature();
    int height = (int) s.height();
    int width = (int) s.width();
    List<TensorExplanation> out = new ArrayList<>();
    for (CamMethod method : options.methods()) {
      Map<String, FloatTensor> raw = rawMaps(method, context);
      List<String> fused = options.allLayers() ? List.of(lastOf(raw.keySet())) : List.copyOf(
          raw.keySet());
      List<FloatTensor> fusedRaw = fused.stream().map(raw::get).toList();
      FloatTensor map = options.normalization() == Normalization.MIN_MAX
          ? MapOps.fuse(fusedRaw.stream().map(r -> MapOps.scaledAndResized(r, height, width))
              .toList())
          : meanOfResized(fusedRaw.stream().map(MapOps::reluOverMax).toList(), height, width);
      out.add(new TensorExplanation(method.name(), List.copyOf(raw.keySet()),
          List.copyOf(raw.values()), map, context.explainedClasses(), target));
    }
    return out;
  }

  /** Raw maps [N,h,w] by layer; one entry, under the input's name, for pixel methods. */
  private Map<String, FloatTensor> rawMaps(CamMethod method, CamContext context) {
    List<String> layers = context.layers();
    Map<String, FloatTensor> raw = new LinkedHashMap<>();
    if (method.usesLayer()) {
      for (String layer : layers) {
        Cancellation.checkpoint();
        raw.put(layer, method.rawMaps(context, layer));
      }
    } else {
      raw.put(model.signature().inputName(), method.rawMaps(context, layers.get(0)));
    }
    return raw;
  }

  /** One image's raw map [1,h,w] scaled to [0, 1] at its own resolution. */
  private static FloatTensor normalizedAtOwnSize(FloatTensor raw, Normalization n) {
    if (n == Normalization.RELU_MAX) {
      return MapOps.reluOverMax(raw);
    }
    return MapOps.fuse(List.of(MapOps.scaledAndResized(raw, (int) raw.dim(1),
        (int) raw.dim(2))));
  }

  /** The fused map of one image at input resolution. */
  private static Heatmap inputMap(List<FloatTensor> raw, PreparedImage prepared,
      Normalization n) {
    int h = prepared.inputHeight();
    int w = prepared.inputWidth();
    if (n == Normalization.MIN_MAX) {
      return Heatmap.of(MapOps.fuse(raw.stream().map(r -> MapOps.scaledAndResized(r, h, w))
          .toList()));
    }
    return Heatmaps.mean(raw.stream().map(r -> Heatmaps.resize(Heatmap.of(MapOps.reluOverMax(r)),
        w, h)).toList());
  }

  /** Per image: the mean of the maps [N,h,w] resized bilinearly to [N,H,W]. */
  private static FloatTensor meanOfResized(List<FloatTensor> maps, int height, int width) {
    int n = (int) maps.get(0).dim(0);
    float[] out = new float[n * height * width];
    for (FloatTensor m : maps) {
      for (int i = 0; i < n; i++) {
        float[] big = Heatmaps.resize(Heatmap.of(m.row(i)), width, height).values();
        for (int p = 0; p < big.length; p++) {
          out[i * big.length + p] += big[p] / maps.size();
        }
      }
    }
    return FloatTensor.of(new long[] {n, height, width}, out);
  }

  private static String lastOf(java.util.Collection<String> names) {
    return List.copyOf(names).get(names.size() - 1);
  }

  private static Explanation single(List<Explanation> all) {
    if (all.size() != 1) {
      throw new InvalidInputException("the options name " + all.size() + " methods: use"
          + " explainAll for one explanation per method");
    }
    return all.get(0);
  }

  private Manifest.TargetInfo targetInfo(Target requested, Prediction explained) {
    Target.Score score = requested.score();
    return new Manifest.TargetInfo(requested.classText(),
        score == null ? "negative-softmax" : lower(score.name()), explained.index(),
        explained.label(), explained.wnid(), explained.probability(), explained.logit());
  }

  private static String lower(String s) {
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  private PreparedImage prepare(BufferedImage photo) {
    ModelSignature s = model.signature();
    return preprocessing.prepare(photo, s.layout(), (int) s.width(), (int) s.height());
  }

  /**
   * How each explained layer holds its maps, as the layers listing says it: the context's layout
   * (the override, else the inferred one) with the layer's shape; the model's input for pixel
   * methods.
   */
  private Map<String, String> layerLayouts(Collection<String> layers, CamContext context) {
    ModelSignature s = model.signature();
    Map<String, String> out = new LinkedHashMap<>();
    for (String layer : layers) {
      if (layer.equals(s.inputName())) {
        FeatureLayout input = s.layout() == Layout.NCHW ? FeatureLayout.nchw()
            : FeatureLayout.nhwc();
        out.put(layer, input.describe(s.inputShape(1)));
      } else {
        out.put(layer, context.layout(layer).describe(model.layers().resolve(layer).shape()));
      }
    }
    return out;
  }

  /** The shared context, with the options' layer layout for every explained layer. */
  private CamContext context(FloatTensor input, List<String> layers, Target target,
      ExplainOptions options) {
    Map<String, FeatureLayout> layouts = new HashMap<>();
    options.layerLayout().ifPresent(l -> layers.forEach(name -> layouts.put(name, l)));
    return CamContext.of(model, input, layers,
        Collections.nCopies((int) input.dim(0), target), layouts);
  }

  private List<String> resolveLayers(ExplainOptions options) {
    LayerCatalog catalog = model.layers();
    List<String> names = new ArrayList<>();
    if (options.allLayers()) {
      catalog.blockOutputs().forEach(l -> names.add(l.name()));
    } else {
      for (String query : options.layers()) {
        String name = catalog.resolve(query).name();
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private Prediction predictionOf(int index, float[] logits) {
    if (index < 0) {
      return new Prediction(-1, null, "weighted classes", 0f, 0f);
    }
    float[] p = Softmax.rows(FloatTensor.of(new long[] {1, logits.length}, logits)).toArray();
    Label l = labels.get(index);
    return new Prediction(index, l.wnid(), l.shortName(), p[index], logits[index]);
  }

  private Manifest.ModelInfo modelInfo() {
    ModelSignature s = model.signature();
    return new Manifest.ModelInfo(modelName, sha256(), model.opset(),
        s.inputName() + " " + Arrays.toString(s.inputShape(1)), s.layout().name(),
        s.score().name());
  }

  /** The model file's SHA-256, computed once. */
  public String sha256() {
    String h = modelSha256;
    if (h == null) {
      h = Sha256.of(modelPath);
      modelSha256 = h;
    }
    return h;
  }

  private static Manifest.ImageInfo imageInfo(String source, PreparedImage p) {
    CropBox c = p.cropBox();
    return new Manifest.ImageInfo(source, p.photoWidth(), p.photoHeight(), p.inputWidth(),
        p.inputHeight(), new Manifest.Region(c.x(), c.y(), c.width(), c.height()));
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  @Override
  public void close() {
    model.close();
  }

  /** Builder for {@link Explainer}. */
  public static final class Builder {
    private final Path modelPath;
    private String modelName;
    private Preprocessing preprocessing;
    private Labels labels;
    private EngineOptions engineOptions = EngineOptions.defaults();
    private ImageLoader loader = ImageLoader.defaults();

    private Builder(Path modelPath) {
      this.modelPath = Objects.requireNonNull(modelPath, "model");
      this.modelName = modelPath.toString();
      this.preprocessing = Preprocessing.sidecarOf(modelPath).orElse(Preprocessing.TORCH);
    }

    /** How photos are turned into the model's input (overrides the sidecar). */
    public Builder preprocessing(Preprocessing preprocessing) {
      this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
      return this;
    }

    /**
     * How manifests name the model, instead of its path: e.g. an embedded model's registry name,
     * the path of its cached copy being particular to the machine (the SHA-256 is kept).
     */
    public Builder modelName(String name) {
      this.modelName = Objects.requireNonNull(name, "model name");
      return this;
    }

    /** Reads the labels file at {@code file}, one class per line. */
    public Builder labels(Path file) {
      return labels(Labels.load(file));
    }

    /** The class names, index i naming output i. */
    public Builder labels(Labels labels) {
      this.labels = Objects.requireNonNull(labels, "labels");
      return this;
    }

    /** Threads, session cache and memory budget of the engine. */
    public Builder engineOptions(EngineOptions options) {
      this.engineOptions = Objects.requireNonNull(options, "engine options");
      return this;
    }

    /** How photos are read and checked (size limits). */
    public Builder imageLoader(ImageLoader loader) {
      this.loader = Objects.requireNonNull(loader, "image loader");
      return this;
    }

    /** Loads the model; fails on a missing or unusable model, or labels that do not fit it. */
    public Explainer build() {
      return new Explainer(this);
    }
  }
}

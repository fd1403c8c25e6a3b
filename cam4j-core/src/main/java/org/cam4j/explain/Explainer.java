package org.cam4j.explain;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cam4j.Cancellation;
import org.cam4j.Versions;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.EngineOptions;
import org.cam4j.engine.Target;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.graph.ModelSignature;
import org.cam4j.image.CropBox;
import org.cam4j.image.ImageLoader;
import org.cam4j.image.PreparedImage;
import org.cam4j.image.Preprocessing;
import org.cam4j.internal.engine.ScoreSeed;
import org.cam4j.internal.io.Sha256;
import org.cam4j.labels.Label;
import org.cam4j.labels.Labels;
import org.cam4j.labels.Prediction;
import org.cam4j.labels.Predictions;
import org.cam4j.method.CamContext;
import org.cam4j.method.CamMethod;
import org.cam4j.method.MapOps;
import org.cam4j.render.Heatmap;
import org.cam4j.render.Heatmaps;
import org.cam4j.tensor.FloatTensor;
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

  public CamModel model() {
    return model;
  }

  public Path modelPath() {
    return modelPath;
  }

  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** The labels, aligned to the model's outputs (placeholders when none were given). */
  public Labels labels() {
    return labels;
  }

  public ImageLoader imageLoader() {
    return loader;
  }

  /** The top-{@code k} classes of the photo at {@code image}. */
  public Classification classify(Path image, int k) {
    long t0 = System.nanoTime();
    return classify(loader.load(image), image.toString(), k, t0);
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

  public Explanation explain(Path image, ExplainOptions options) {
    return explain(loader.load(image), image.toString(), options);
  }

  /**
   * Explains a decoded photo (RGB, as {@link ImageLoader} gives).
   *
   * @param source where it came from, for the manifest and output file names
   */
  public Explanation explain(BufferedImage photo, String source, ExplainOptions options) {
    Objects.requireNonNull(photo, "photo");
    long t0 = System.nanoTime();
    PreparedImage prepared = prepare(photo);
    long t1 = System.nanoTime();
    List<String> layers = resolveLayers(options);
    int requested = options.target().resolve(labels);
    ScoreSeed seed = options.score().of(requested < 0 ? Target.top()
        : Target.logit(requested)).seed(1);
    CamMethod method = options.method();
    CamContext context = CamContext.of(model, prepared.tensor(), layers, seed);
    Map<String, FloatTensor> raw = new LinkedHashMap<>();
    if (method.usesLayer()) {
      for (String layer : layers) {
        Cancellation.checkpoint();
        raw.put(layer, method.rawMaps(context, layer).row(0));
      }
    } else {
      raw.put(model.signature().inputName(), method.rawMaps(context, layers.get(0)).row(0));
    }
    float[] logits = context.scores().row(0).toArray();
    int explained = context.explainedClasses()[0];
    long t2 = System.nanoTime();

    Map<String, Heatmap> layerMaps = new LinkedHashMap<>();
    raw.forEach((layer, r) -> layerMaps.put(layer, Heatmap.of(
        MapOps.reluOverMax(FloatTensor.of(prepend1(r.shape()), r.toArray())))));
    List<Heatmap> all = List.copyOf(layerMaps.values());
    List<Heatmap> fused = options.allLayers() ? List.of(all.get(all.size() - 1)) : all;
    Heatmap inputMap = Heatmaps.mean(fused.stream().map(m -> Heatmaps.resize(m,
        prepared.inputWidth(), prepared.inputHeight())).toList());
    Heatmap photoMap = Heatmaps.mean(fused.stream().map(m -> Heatmaps.toPhoto(m, prepared))
        .toList());
    long t3 = System.nanoTime();

    Prediction explainedClass = predictionOf(explained, logits);
    List<Prediction> top = Predictions.top(logits, labels, options.topK());
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("preprocess", (t1 - t0) / 1e6);
    timings.put("inference", (t2 - t1) / 1e6);
    timings.put("maps", (t3 - t2) / 1e6);
    Manifest manifest = new Manifest(Versions.cam4j(), Versions.onnxRuntime(), Versions.java(),
        Instant.now().toString(), modelInfo(), preprocessing.toString(),
        imageInfo(source, prepared), method.name(), List.copyOf(raw.keySet()),
        new Manifest.TargetInfo(options.target().toString(),
            options.score().name().toLowerCase(java.util.Locale.ROOT), explained,
            explainedClass.label(), explainedClass.wnid(), explainedClass.probability(),
            explainedClass.logit()),
        top, new Manifest.RenderInfo(options.overlay().colormap().name().toLowerCase(
            java.util.Locale.ROOT), options.overlay().alpha(),
            options.overlay().mode().name().toLowerCase(java.util.Locale.ROOT)),
        timings, Map.of());
    return new Explanation(photo, prepared, explainedClass, raw, layerMaps, inputMap, photoMap,
        options.overlay(), manifest);
  }

  private PreparedImage prepare(BufferedImage photo) {
    ModelSignature s = model.signature();
    return preprocessing.prepare(photo, s.layout(), (int) s.width(), (int) s.height());
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
    float[] p = Softmax.rows(FloatTensor.of(new long[] {1, logits.length}, logits)).toArray();
    Label l = labels.get(index);
    return new Prediction(index, l.wnid(), l.shortName(), p[index], logits[index]);
  }

  private Manifest.ModelInfo modelInfo() {
    ModelSignature s = model.signature();
    return new Manifest.ModelInfo(modelName, sha256(), model.graph().opset(),
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

  private static long[] prepend1(long[] shape) {
    long[] s = new long[shape.length + 1];
    s[0] = 1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
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

    public Builder labels(Path file) {
      return labels(Labels.load(file));
    }

    public Builder labels(Labels labels) {
      this.labels = Objects.requireNonNull(labels, "labels");
      return this;
    }

    public Builder engineOptions(EngineOptions options) {
      this.engineOptions = Objects.requireNonNull(options, "engine options");
      return this;
    }

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

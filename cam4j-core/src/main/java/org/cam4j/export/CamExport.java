package org.cam4j.export;

import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.cam4j.UnsupportedModelException;
import org.cam4j.Versions;
import org.cam4j.explain.Target.Score;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.graph.ModelSignature;
import org.cam4j.image.Preprocessing;
import org.cam4j.internal.engine.OrtEnv;
import org.cam4j.internal.engine.TensorShapes;
import org.cam4j.internal.export.ExportGraph;
import org.cam4j.internal.export.ExportMetadata;
import org.cam4j.internal.export.NchwView;
import org.cam4j.internal.graph.LayerDiscovery;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.OpsetUpgrade;
import org.cam4j.internal.graph.SignatureDiscovery;
import org.cam4j.internal.io.AtomicFiles;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.ValueInfoProto;
import org.cam4j.labels.Label;
import org.cam4j.labels.Labels;
import org.cam4j.method.Methods;
import org.cam4j.tensor.Layout;

/**
 * Writes a standalone ONNX model that returns, besides the source model's own outputs, the class
 * it explains and that class's activation map, so any ONNX Runtime (C++, C#, Python, mobile, the
 * browser) can show the map without cam4j. The gradient is part of the graph (cam4j's
 * reverse-mode autodiff written as ONNX nodes), so the file needs nothing but the image:
 * <ul>
 *   <li>input {@code class_index} int64 [N], optional (see {@link Builder#classIndexRequired}):
 *       the class to explain per image; a negative value (the default, -1) explains the
 *       image's top-1 class;</li>
 *   <li>output {@code class} int64 [N]: the class explained ({@code class_index} where it is
 *       {@code >= 0}, else the ArgMax of the score);</li>
 *   <li>output {@code cam_raw} float32 [N,h,w]: the method's map at the layer's resolution,
 *       before ReLU;</li>
 *   <li>output {@code cam} float32 [N,H,W]: the map at input resolution normalised to [0, 1]
 *       exactly as {@code cam4j explain --tensor} writes {@code M.npy} (ReLU, per-image min-max,
 *       bilinear half-pixel resize, ReLU, min-max).</li>
 * </ul>
 * The layer may hold its feature maps in any {@link FeatureLayout}: the graph reads a
 * channels-last or token layer as [N,C,h,w] (dropping prefix tokens) exactly as cam4j's methods
 * do, so {@code h,w} is the layer's grid. The model's {@code metadata_props} name the method,
 * layer, its layout, score, batch, opset and cam4j version and describe these inputs and outputs;
 * they also say how to feed a photo (the image input's name, layout and shape, and when given the
 * {@link Builder#preprocessing preprocessing} and the {@link Builder#labels class names}), so a
 * page or app needs only the file. Shapes are static: the model is built for one batch size
 * ({@link Builder#batch}, by default the source's fixed batch or 1) and the input size cam4j
 * explains at. Immutable; build with {@link #builder}.
 *
 * <pre>{@code
 * CamExport.builder(Path.of("resnet18.onnx")).method("gradcam").build()
 *     .write(Path.of("resnet18_cam.onnx"));
 * }</pre>
 */
public final class CamExport {
  private final Path model;
  private final String layer;
  private final FeatureLayout layerLayout;
  private final String method;
  private final Score score;
  private final int batch;
  private final boolean classIndexRequired;
  private final Preprocessing preprocessing;
  private final Labels labels;

  private CamExport(Builder b) {
    this.model = b.model;
    this.layer = b.layer;
    this.layerLayout = b.layerLayout;
    this.method = b.method;
    this.score = b.score;
    this.batch = b.batch;
    this.classIndexRequired = b.classIndexRequired;
    this.preprocessing = b.preprocessing;
    this.labels = b.labels;
  }

  /** An export of the model at this path (gradcam, default layer, logit, batch as the model). */
  public static Builder builder(Path model) {
    return new Builder(model);
  }

  /** The methods that can be exported, in a fixed order. */
  public static List<String> methods() {
    return ExportGraph.methods();
  }

  /**
   * Builds the exported model: loads the source, infers the tensor shapes (a probing forward pass
   * only for those static inference cannot reach), resolves the layer and writes the graph.
   *
   * @throws ExportException when the model is already an export or the batch does not fit it
   * @throws UnsupportedModelException when the model already uses a name the export adds
   * @throws org.cam4j.graph.UnknownLayerException when the layer matches no feature map
   * @throws org.cam4j.InvalidInputException when the layer's layout (given, or inferred from the
   *     graph) does not fit its shape, or the graph leaves it open and none is given
   */
  public ExportedModel export() {
    ModelGraph source = ModelGraph.load(model);
    if (!ExportMetadata.addedOutputs(source).isEmpty()) {
      throw new ExportException(ExportException.Reason.ALREADY_EXPORTED, model
          + " is already a cam4j export (it has the outputs "
          + String.join(", ", ExportMetadata.addedOutputs(source)) + "); export its source");
    }
    ModelGraph graph = OpsetUpgrade.forGradients(source);
    ModelSignature signature = SignatureDiscovery.signature(graph);
    checkFreeNames(graph);
    int rows = rows(signature);
    Map<String, long[]> shapes = probe(graph, signature, rows);
    String scoreName = signature.score().name();
    long classes = 1;
    long[] scoreShape = shapes.get(scoreName);
    for (int i = 1; i < scoreShape.length; i++) {
      classes *= scoreShape[i];
    }
    LayerCatalog catalog = LayerDiscovery.discover(graph, shapes, scoreName, classes);
    String layerName = catalog.resolve(layer).name();
    long[] layerShape = shapes.get(layerName);
    FeatureLayout layout = (layerLayout != null ? layerLayout : catalog.layout(layerName))
        .resolve(layerShape);
    ExportGraph.Spec spec = new ExportGraph.Spec(layerName, layout, method,
        score == Score.NEGATIVE ? -1f : 1f, score == Score.SOFTMAX, rows, classIndexRequired);
    Map<String, String> metadata = metadata(layerName, layout, layerShape, signature, rows,
        graph.opset(), source.opset());
    metadata.putAll(photoMetadata(signature, rows, classes));
    ModelProto exported = ExportGraph.build(graph, signature, spec, shapes, metadata);
    return new ExportedModel(exported.toByteArray(), method, layerName, layout, score, rows,
        graph.opset(), source.opset());
  }

  /** {@link #export()}, then writes the file atomically (all of it or nothing). */
  public ExportedModel write(Path out) {
    ExportedModel exported = export();
    AtomicFiles.write(out, exported.bytes());
    return exported;
  }

  private int rows(ModelSignature signature) {
    long fixed = signature.fixedBatch();
    if (batch == 0) {
      return fixed > 0 ? (int) fixed : 1;
    }
    if (fixed > 0 && fixed != batch) {
      throw new ExportException(ExportException.Reason.BATCH,
          "the model's batch size is fixed at " + fixed
          + "; it cannot be exported for batch " + batch);
    }
    return batch;
  }

  private static void checkFreeNames(ModelGraph graph) {
    List<String> names = new ArrayList<>(ExportMetadata.ADDED_OUTPUTS);
    names.add(ExportMetadata.CLASS_INDEX);
    for (String name : names) {
      boolean used = graph.hasTensor(name) || graph.isInitializer(name)
          || graph.outputs().stream().map(ValueInfoProto::getName).anyMatch(name::equals);
      if (used) {
        throw new UnsupportedModelException("the model already has a tensor named '" + name
            + "', a name the export adds");
      }
    }
  }

  private static Map<String, long[]> probe(ModelGraph graph, ModelSignature signature,
      int rows) {
    List<String> outputs = new ArrayList<>();
    for (NodeProto n : graph.nodes()) {
      if (!n.getOpType().equals("Constant")) {
        outputs.addAll(n.getOutputList());
      }
    }
    return TensorShapes.of(OrtEnv.get(), 1, graph,
        signature.inputName(), signature.inputShape(rows), outputs);
  }

  private Map<String, String> metadata(String layerName, FeatureLayout layout, long[] layerShape,
      ModelSignature signature, int rows, int opset, int sourceOpset) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cam4j.version", Versions.cam4j());
    m.put("cam4j.method", method);
    m.put("cam4j.layer", layerName);
    m.put("cam4j.layer.layout", layout.describe(layerShape) + switch (layout.kind()) {
      case NCHW -> "";
      case NHWC -> " (read as NCHW: transposed)";
      case TOKENS -> " (read as NCHW: " + layout.prefixTokens() + " prefix token(s) dropped,"
          + " the rest reshaped to the grid and transposed)";
    });
    m.put("cam4j.score", score.name().toLowerCase(Locale.ROOT) + " (" + switch (score) {
      case LOGIT -> "d score[class]";
      case SOFTMAX -> "d softmax(score)[class]";
      case NEGATIVE -> "d -score[class], the evidence against the class";
    } + "); score tensor: " + signature.score().description());
    m.put("cam4j.batch", Integer.toString(rows));
    m.put("cam4j.opset", opset == sourceOpset ? opset + " (the source model's)"
        : opset + " (raised from " + sourceOpset + ": cam4j upgrades opset 7-9 models to"
            + " differentiate them)");
    m.put("cam4j.input." + ExportMetadata.CLASS_INDEX, (classIndexRequired ? "required"
        : "optional (an overridable initializer, default -1)") + " int64 [" + rows + "]: the"
        + " class to explain per image; a negative value explains the top-1 class (an index past"
        + " the last class gives an all-zero map)");
    m.put("cam4j.output." + ExportMetadata.CLASS, "int64 [" + rows + "]: the class explained:"
        + " class_index where >= 0, else ArgMax of the score");
    long[] nchw = NchwView.shape(layout, layerShape);
    m.put("cam4j.output." + ExportMetadata.CAM_RAW, "float32 [" + rows + "," + nchw[2] + ","
        + nchw[3] + "]: the " + method
        + " map at the layer's resolution, before ReLU");
    m.put("cam4j.output." + ExportMetadata.CAM, "float32 [" + rows + "," + signature.height()
        + "," + signature.width() + "]: the map at input resolution in [0,1]: ReLU, per-image"
        + " (m - min) / (1e-7 + max(m - min)), bilinear resize (half-pixel centres, no"
        + " antialiasing), ReLU, min-max again (cam4j explain --tensor's M.npy)");
    return m;
  }

  /** What a client needs to feed a photo and name the class: input, preprocessing, labels. */
  private Map<String, String> photoMetadata(ModelSignature signature, int rows, long classes) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ExportMetadata.IMAGE_INPUT_KEY, signature.inputName());
    m.put(ExportMetadata.IMAGE_LAYOUT_KEY, signature.layout() == Layout.NCHW ? "nchw" : "nhwc");
    StringBuilder shape = new StringBuilder();
    for (long d : signature.inputShape(rows)) {
      shape.append(shape.length() == 0 ? "" : ",").append(d);
    }
    m.put(ExportMetadata.IMAGE_SHAPE_KEY, shape.toString());
    if (preprocessing != null) {
      m.put(ExportMetadata.PREPROCESSING_KEY, preprocessing.toString());
    }
    if (labels != null) {
      m.put(ExportMetadata.LABELS_KEY, String.join("\n", labels.alignTo((int) classes).asList()
          .stream().map(Label::name).toList()));
    }
    return m;
  }

  /** Configures an export; {@link #build} validates the method and batch. */
  public static final class Builder {
    private Path model;
    private String layer = "auto";
    private FeatureLayout layerLayout;
    private String method = "gradcam";
    private Score score = Score.LOGIT;
    private int batch;
    private boolean classIndexRequired;
    private Preprocessing preprocessing;
    private Labels labels;

    private Builder(Path model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * The model file, replacing the one given to {@link CamExport#builder} (so options can be
     * checked with {@link #build} before a registry model is downloaded).
     */
    public Builder model(Path model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * The layer: {@code auto} (the default layer, as {@code cam4j layers} marks it), a tensor
     * name, a block name or a suffix, resolved as {@link LayerCatalog#resolve} does.
     */
    public Builder layer(String layer) {
      this.layer = Objects.requireNonNull(layer, "layer");
      return this;
    }

    /**
     * Reads the layer in this layout rather than the one inferred from the graph, as
     * {@link org.cam4j.explain.ExplainOptions.Builder#layerLayout} does (a token layout's open
     * grid and prefix count are found from the layer's shape); null, the default, infers it.
     */
    public Builder layerLayout(FeatureLayout layout) {
      this.layerLayout = layout;
      return this;
    }

    /** The method, one of {@link CamExport#methods()}; gradcam by default. */
    public Builder method(String method) {
      this.method = Objects.requireNonNull(method, "method").toLowerCase(Locale.ROOT);
      return this;
    }

    /** What the map explains; the logit by default. */
    public Builder score(Score score) {
      this.score = Objects.requireNonNull(score, "score");
      return this;
    }

    /** The batch size the model is built for (its shapes are static); 0 for the default. */
    public Builder batch(int batch) {
      if (batch < 0) {
        throw new ExportException(ExportException.Reason.BATCH,
            "batch must be positive, got " + batch);
      }
      this.batch = batch;
      return this;
    }

    /**
     * Declares {@code class_index} as a required input instead of an optional one. By default
     * it is optional: a graph input backed by an initializer of -1s, which ONNX Runtime's C,
     * C++, C# and Python APIs may override; its Java and JavaScript APIs feed only required
     * inputs, so a model that lets their callers pick the class needs this (and then always
     * needs the input; -1 still means the top-1 class).
     */
    public Builder classIndexRequired(boolean required) {
      this.classIndexRequired = required;
      return this;
    }

    /**
     * How a photo becomes the model's input, recorded in the export's metadata for clients that
     * start from photos (the page {@code cam4j export --html} writes); none by default. The
     * export's graph does not depend on it.
     */
    public Builder preprocessing(Preprocessing preprocessing) {
      this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
      return this;
    }

    /**
     * The class names, recorded in the export's metadata (aligned to the model's classes as
     * {@link Labels#alignTo} does); none by default.
     */
    public Builder labels(Labels labels) {
      this.labels = Objects.requireNonNull(labels, "labels");
      return this;
    }

    /**
     * The export.
     *
     * @throws ExportException ({@link ExportException.Reason#METHOD}) naming why the method
     *     cannot be exported
     */
    public CamExport build() {
      if (!methods().contains(method)) {
        throw new ExportException(ExportException.Reason.METHOD, refusal(method));
      }
      return new CamExport(this);
    }

    private static String refusal(String method) {
      String why = switch (method) {
        case "eigencam", "eigengradcam" -> "its map is the first principal component of the"
            + " layer's (gradient-weighted) activations, an SVD that has no closed form in ONNX"
            + " operators";
        case "scorecam", "ablationcam", "reciprocam" -> "it runs the model again on masked or"
            + " ablated inputs, once per channel or position, not one forward and backward pass";
        case "saliency", "guided-backprop", "guided-gradcam", "smoothgrad",
            "integrated-gradients" -> "it attributes to the input pixels (some with modified"
            + " backward rules or sampled inputs), not to the layer's activations";
        case "attention-rollout" -> "it multiplies the attention maps of every block, not a"
            + " map of one layer's activations and gradients";
        case "cam" -> "it reads the weights of the classifier behind global pooling, which the"
            + " export does not follow";
        default -> "only maps that are closed forms of the layer's activations and gradients"
            + " can";
      };
      String name = Methods.names().contains(method) && !method.equals("cam") ? method
          : "method '" + method + "'";
      return name + " cannot be exported: " + why + "; exportable: "
          + String.join(", ", methods());
    }
  }
}

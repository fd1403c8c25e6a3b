package org.cam4j.export;

import ai.onnxruntime.OrtEnvironment;
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
import org.cam4j.graph.LayerCatalog;
import org.cam4j.graph.ModelSignature;
import org.cam4j.internal.engine.TensorShapes;
import org.cam4j.internal.export.ExportGraph;
import org.cam4j.internal.export.ExportMetadata;
import org.cam4j.internal.graph.LayerDiscovery;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.OpsetUpgrade;
import org.cam4j.internal.graph.SignatureDiscovery;
import org.cam4j.internal.io.AtomicFiles;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.ValueInfoProto;

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
 * The model's {@code metadata_props} name the method, layer, score, batch, opset and cam4j
 * version and describe these inputs and outputs. Shapes are static: the model is built for one
 * batch size ({@link Builder#batch}, by default the source's fixed batch or 1) and the input size
 * cam4j explains at. Immutable; build with {@link #builder}.
 *
 * <pre>{@code
 * CamExport.builder(Path.of("resnet18.onnx")).method("gradcam").build()
 *     .write(Path.of("resnet18_cam.onnx"));
 * }</pre>
 */
public final class CamExport {
  private final Path model;
  private final String layer;
  private final String method;
  private final Score score;
  private final int batch;
  private final boolean classIndexRequired;

  private CamExport(Builder b) {
    this.model = b.model;
    this.layer = b.layer;
    this.method = b.method;
    this.score = b.score;
    this.batch = b.batch;
    this.classIndexRequired = b.classIndexRequired;
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
   */
  public ExportedModel export() {
    ModelGraph source = ModelGraph.load(model);
    if (!ExportMetadata.addedOutputs(source).isEmpty()) {
      throw new ExportException(model + " is already a cam4j export (it has the outputs "
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
    String layerName = LayerDiscovery.discover(graph, shapes, scoreName, classes).resolve(layer)
        .name();
    long[] layerShape = shapes.get(layerName);
    ExportGraph.Spec spec = new ExportGraph.Spec(layerName, method,
        score == Score.NEGATIVE ? -1f : 1f, score == Score.SOFTMAX, rows, classIndexRequired);
    ModelProto exported = ExportGraph.build(graph, signature, spec, shapes,
        metadata(layerName, layerShape, signature, rows, graph.opset(), source.opset()));
    return new ExportedModel(exported.toByteArray(), method, layerName, score, rows,
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
      throw new ExportException("the model's batch size is fixed at " + fixed
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
    return TensorShapes.of(OrtEnvironment.getEnvironment(), 1, graph,
        signature.inputName(), signature.inputShape(rows), outputs);
  }

  private Map<String, String> metadata(String layerName, long[] layerShape,
      ModelSignature signature, int rows, int opset, int sourceOpset) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cam4j.version", Versions.cam4j());
    m.put("cam4j.method", method);
    m.put("cam4j.layer", layerName);
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
    m.put("cam4j.output." + ExportMetadata.CAM_RAW, "float32 [" + rows + "," + layerShape[2]
        + "," + layerShape[3] + "]: the " + method
        + " map at the layer's resolution, before ReLU");
    m.put("cam4j.output." + ExportMetadata.CAM, "float32 [" + rows + "," + signature.height()
        + "," + signature.width() + "]: the map at input resolution in [0,1]: ReLU, per-image"
        + " (m - min) / (1e-7 + max(m - min)), bilinear resize (half-pixel centres, no"
        + " antialiasing), ReLU, min-max again (cam4j explain --tensor's M.npy)");
    return m;
  }

  /** Configures an export; {@link #build} validates the method and batch. */
  public static final class Builder {
    private final Path model;
    private String layer = "auto";
    private String method = "gradcam";
    private Score score = Score.LOGIT;
    private int batch;
    private boolean classIndexRequired;

    private Builder(Path model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * The layer: {@code auto} (the default layer, as {@code cam4j layers} marks it), a tensor
     * name, a block name or a suffix, resolved as {@link LayerCatalog#resolve} does.
     */
    public Builder layer(String layer) {
      this.layer = Objects.requireNonNull(layer, "layer");
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
        throw new ExportException("batch must be positive, got " + batch);
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

    /** The export. */
    public CamExport build() {
      if (!methods().contains(method)) {
        throw new ExportException(refusal(method));
      }
      return new CamExport(this);
    }

    private static String refusal(String method) {
      String exportable = "; exportable: " + String.join(", ", methods());
      if (method.equals("eigencam") || method.equals("eigengradcam")) {
        return method + " cannot be exported: its map is the first principal component of the"
            + " layer's (gradient-weighted) activations, an SVD that has no closed form in ONNX"
            + " operators" + exportable;
      }
      return "method '" + method + "' cannot be exported: only maps that are closed forms of the"
          + " layer's activations and gradients can" + exportable;
    }
  }
}

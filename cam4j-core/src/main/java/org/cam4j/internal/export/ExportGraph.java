package org.cam4j.internal.export;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.graph.ModelSignature;
import org.cam4j.internal.autodiff.GradientGraphBuilder;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.StringStringEntryProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.internal.onnx.TensorShapeProto;
import org.cam4j.internal.onnx.TypeProto;
import org.cam4j.internal.onnx.ValueInfoProto;

/**
 * Assembles a standalone model that returns the prediction and its class activation map: the
 * source graph, the backward graph of {@link GradientGraphBuilder} with its seed computed in the
 * graph instead of fed (the one-hot row of the explained class), and the map nodes over the
 * layer read as [N,C,h,w] ({@link NchwView}).
 *
 * <p>The explained class is {@code Where(class_index < 0, ArgMax(score), class_index)}, where
 * {@code class_index} is a graph input, by default backed by an initializer of -1s (an
 * overridable default, IR 4 and later) so the model needs no input besides the image. The
 * backward graph's tensors are renamed under {@value #PREFIX}, so explaining an exported model
 * with cam4j again cannot collide with them.
 */
public final class ExportGraph {
  /** Prefix of every tensor the export adds besides the named inputs and outputs. */
  public static final String PREFIX = "cam4j.export/";
  /** The IR version from which an initializer listed as a graph input is an overridable default. */
  private static final long OVERRIDABLE_INITIALIZERS_IR = 4;

  /**
   * What to export.
   *
   * @param layer the tensor explained
   * @param layout how the layer holds its feature maps, resolved against its shape; the map
   *     nodes read it as [N,C,h,w] ({@link NchwView})
   * @param method a name from {@link #methods()}
   * @param classWeight the seed's weight of the explained class: 1, or -1 to explain the evidence
   *     against it
   * @param probability whether the softmax probability rather than the score is differentiated
   * @param batch the batch size the model is built for (static shapes)
   * @param classIndexRequired whether {@code class_index} is a required input rather than an
   *     overridable default (runtimes such as ONNX Runtime's Java and JavaScript APIs feed only
   *     declared inputs)
   */
  public record Spec(String layer, FeatureLayout layout, String method, float classWeight, boolean probability,
      int batch, boolean classIndexRequired) {
  }

  private ExportGraph() {
  }

  /** The methods whose map can be written as ONNX nodes. */
  public static List<String> methods() {
    return RawMapGraph.methods();
  }

  /**
   * Builds the exported model.
   *
   * @param graph the source model as cam4j explains it (after its opset upgrade, if any)
   * @param shapes static shapes at {@code spec.batch()} of the score and every tensor the
   *     backward pass needs
   * @param metadata entries added to the model's {@code metadata_props} (replacing earlier
   *     {@code cam4j.} entries)
   */
  public static ModelProto build(ModelGraph graph, ModelSignature signature, Spec spec,
      Map<String, long[]> shapes, Map<String, String> metadata) {
    String score = signature.score().name();
    long[] layerShape = shapes.get(spec.layer());
    if (layerShape == null) {
      throw new IllegalArgumentException("layer '" + spec.layer() + "' has no probed shape");
    }
    long[] nchw = NchwView.shape(spec.layout(), layerShape);
    ModelProto withGradients = GradientGraphBuilder.build(graph, List.of(spec.layer()), score,
        shapes);
    GraphProto source = graph.proto().getGraph();
    GraphProto built = withGradients.getGraph();
    List<NodeProto> backwardNodes = built.getNodeList().subList(source.getNodeCount(),
        built.getNodeCount());
    List<TensorProto> backwardConstants = built.getInitializerList().subList(
        source.getInitializerCount(), built.getInitializerCount());
    Renaming renaming = Renaming.of(backwardNodes, backwardConstants);

    int opset = graph.opset();
    NodeWriter seed = new NodeWriter(PREFIX + "seed/", opset);
    long classes = 1;
    long[] scoreShape = shapes.get(score);
    for (int i = 1; i < scoreShape.length; i++) {
      classes *= scoreShape[i];
    }
    writeSeed(seed, score, classes, spec, renaming);

    NodeWriter map = new NodeWriter(PREFIX + "map/", opset);
    int h = (int) nchw[2];
    int w = (int) nchw[3];
    String activations = NchwView.write(map, spec.layer(), spec.layout(), layerShape);
    String gradients = NchwView.write(map,
        renaming.apply(GradientGraphBuilder.gradientName(spec.layer())), spec.layout(),
        layerShape);
    String raw = RawMapGraph.write(spec.method(), map, activations, gradients, (long) h * w);
    map.op("Identity", ExportMetadata.CAM_RAW, List.of(raw));
    NormalisedMapGraph.write(map, ExportMetadata.CAM_RAW, h, w, (int) signature.height(),
        (int) signature.width(), ExportMetadata.CAM);

    GraphProto.Builder g = source.toBuilder().clearNode().clearInput().clearOutput();
    g.addAllNode(graph.nodes());
    g.addAllNode(seed.nodes());
    backwardNodes.forEach(n -> g.addNode(renaming.apply(n)));
    g.addAllNode(map.nodes());
    backwardConstants.forEach(t -> g.addInitializer(t.toBuilder().setName(
        renaming.apply(t.getName()))));
    g.addAllInitializer(seed.constants());
    g.addAllInitializer(map.constants());
    if (!spec.classIndexRequired()) {
      long[] minusOnes = new long[spec.batch()];
      Arrays.fill(minusOnes, -1);
      g.addInitializer(Onnx.longTensor(ExportMetadata.CLASS_INDEX, new long[] {spec.batch()},
          minusOnes));
    }
    for (ValueInfoProto in : source.getInputList()) {
      g.addInput(in.getName().equals(signature.inputName())
          ? Onnx.floatValueInfo(in.getName(), signature.inputShape(spec.batch())) : in);
    }
    g.addInput(valueInfo(ExportMetadata.CLASS_INDEX, TensorProto.DataType.INT64_VALUE,
        spec.batch()));
    g.addAllOutput(source.getOutputList());
    g.addOutput(valueInfo(ExportMetadata.CLASS, TensorProto.DataType.INT64_VALUE, spec.batch()));
    g.addOutput(Onnx.floatValueInfo(ExportMetadata.CAM_RAW, new long[] {spec.batch(), h, w}));
    g.addOutput(Onnx.floatValueInfo(ExportMetadata.CAM,
        new long[] {spec.batch(), signature.height(), signature.width()}));

    ModelProto.Builder m = graph.proto().toBuilder().setGraph(g)
        .setIrVersion(spec.classIndexRequired() ? graph.proto().getIrVersion()
            : Math.max(graph.proto().getIrVersion(), OVERRIDABLE_INITIALIZERS_IR))
        .clearMetadataProps();
    graph.proto().getMetadataPropsList().stream()
        .filter(e -> !e.getKey().startsWith("cam4j.")).forEach(m::addMetadataProps);
    metadata.forEach((k, v) -> m.addMetadataProps(entry(k, v)));
    m.addMetadataProps(entry(ExportMetadata.OUTPUTS_KEY,
        String.join(",", ExportMetadata.ADDED_OUTPUTS)));
    ModelProto model = m.build();
    GraphCheck.verify(model);
    return model;
  }

  /**
   * The class output and the builder's seed inputs as computed tensors: SEED = the class's
   * one-hot row times the class weight, TOP = 0 (the class is chosen here), PROBABILITY = the
   * score kind.
   */
  private static void writeSeed(NodeWriter w, String score, long classes, Spec spec,
      Renaming renaming) {
    String flat = w.op("Flatten", List.of(score), Onnx.attr("axis", 1L));
    String top = w.op("ArgMax", List.of(flat), Onnx.attr("axis", 1L), Onnx.attr("keepdims", 0L));
    String unset = w.op("Less", List.of(ExportMetadata.CLASS_INDEX, w.ints(0)));
    w.op("Where", ExportMetadata.CLASS, List.of(unset, top, ExportMetadata.CLASS_INDEX));
    w.op("OneHot", renaming.apply(GradientGraphBuilder.SEED), List.of(ExportMetadata.CLASS,
        w.ints(classes), w.floats(null, new long[] {2}, new float[] {0f, spec.classWeight()})),
        Onnx.attr("axis", -1L));
    w.floats(renaming.apply(GradientGraphBuilder.TOP), new long[] {spec.batch(), 1},
        new float[spec.batch()]);
    float[] probability = new float[spec.batch()];
    Arrays.fill(probability, spec.probability() ? 1f : 0f);
    w.floats(renaming.apply(GradientGraphBuilder.PROBABILITY), new long[] {spec.batch(), 1},
        probability);
  }

  private static ValueInfoProto valueInfo(String name, int elemType, long... shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : shape) {
      s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))).build();
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  /** Moves the names the gradient builder made (its nodes, constants and seed inputs). */
  private record Renaming(Set<String> made) {
    static Renaming of(List<NodeProto> nodes, List<TensorProto> constants) {
      Set<String> made = new HashSet<>(List.of(GradientGraphBuilder.SEED, GradientGraphBuilder.TOP,
          GradientGraphBuilder.PROBABILITY));
      nodes.forEach(n -> made.addAll(n.getOutputList()));
      constants.forEach(t -> made.add(t.getName()));
      return new Renaming(made);
    }

    String apply(String name) {
      return made.contains(name) ? PREFIX + "grad/" + name : name;
    }

    NodeProto apply(NodeProto n) {
      NodeProto.Builder b = n.toBuilder().clearInput().clearOutput().setName(apply(n.getName()));
      n.getInputList().forEach(i -> b.addInput(apply(i)));
      n.getOutputList().forEach(o -> b.addOutput(apply(o)));
      return b.build();
    }
  }
}

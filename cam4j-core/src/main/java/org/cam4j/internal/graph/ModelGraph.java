package org.cam4j.internal.graph;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.internal.onnx.TensorShapeProto;
import org.cam4j.internal.onnx.ValueInfoProto;
import org.cam4j.internal.trace.PhaseTrace;

/**
 * An immutable, indexed view of an ONNX model: nodes in topological order, who produces and who
 * consumes each tensor, initializers and the default-domain opset.
 */
public final class ModelGraph {
  /** Protobuf messages, and so ONNX files, are limited to 2 GB. */
  private static final long MAX_MODEL_BYTES = Integer.MAX_VALUE;
  private final ModelProto proto;
  private final List<NodeProto> nodes;
  private final Map<String, NodeProto> producers = new HashMap<>();
  private final Map<String, List<NodeProto>> consumers = new HashMap<>();
  private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
  private final int opset;

  private ModelGraph(ModelProto proto) {
    this.proto = proto;
    if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
      throw new ModelLoadException("the file holds no ONNX graph (no nodes): is it an ONNX model?");
    }
    GraphProto graph = proto.getGraph();
    for (TensorProto init : graph.getInitializerList()) {
      initializers.put(init.getName(), init);
    }
    this.nodes = List.copyOf(TopologicalOrder.sort(graph.getNodeList(), knownInputs(graph)));
    for (NodeProto node : nodes) {
      for (String out : node.getOutputList()) {
        if (!out.isEmpty()) {
          producers.put(out, node);
        }
      }
      for (String in : node.getInputList()) {
        if (!in.isEmpty()) {
          consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
        }
      }
    }
    this.opset = defaultOpset(proto);
  }

  /**
   * Loads a model file; tensors stored as external data (".onnx" + ".data") are read in from
   * files inside the model's folder ({@link ExternalData}).
   */
  public static ModelGraph load(Path path) {
    long t0 = PhaseTrace.start();
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      throw new ModelLoadException(path + " is not a regular file (a folder, pipe or device)");
    }
    byte[] bytes;
    try {
      if (Files.exists(path) && Files.size(path) > MAX_MODEL_BYTES) {
        throw new ModelLoadException(path + " is " + Files.size(path) + " bytes; an ONNX file"
            + " holds at most 2 GB (protobuf's limit), larger models keep weights as external"
            + " data");
      }
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("model file not found: " + path);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read model file " + path + ": " + e.getMessage(), e);
    }
    PhaseTrace.end("model file read", t0);
    long t1 = PhaseTrace.start();
    ModelProto proto = parseProto(bytes, path.toString());
    ModelGraph graph = new ModelGraph(ExternalData.inline(proto,
        path.toAbsolutePath().getParent()));
    PhaseTrace.end("model parse + index", t1);
    return graph;
  }

  /** Parses a model held in memory; it must not reference external data files. */
  public static ModelGraph parse(byte[] bytes) {
    return new ModelGraph(ExternalData.inline(parseProto(bytes, "model bytes"), null));
  }

  /** Wraps an already built model (used for graphs cam4j derives or tests build in code). */
  public static ModelGraph of(ModelProto proto) {
    return new ModelGraph(proto);
  }

  private static ModelProto parseProto(byte[] bytes, String what) {
    try {
      ModelProto proto = ModelProto.parseFrom(bytes);
      if (proto.getIrVersion() <= 0 || !proto.hasGraph()) {
        throw new ModelLoadException(what + " is not an ONNX model (no IR version or graph found)");
      }
      return proto;
    } catch (InvalidProtocolBufferException e) {
      throw new ModelLoadException(what + " is not a valid ONNX model (corrupt or not protobuf): "
          + e.getMessage(), e);
    }
  }

  private static Set<String> knownInputs(GraphProto graph) {
    Set<String> known = new java.util.HashSet<>();
    graph.getInputList().forEach(v -> known.add(v.getName()));
    graph.getInitializerList().forEach(t -> known.add(t.getName()));
    known.add("");
    return known;
  }

  private static int defaultOpset(ModelProto proto) {
    for (OperatorSetIdProto id : proto.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        return (int) id.getVersion();
      }
    }
    throw new ModelLoadException("the model imports no default ONNX opset");
  }

  public ModelProto proto() {
    return proto;
  }

  /** Nodes in a topological order. */
  public List<NodeProto> nodes() {
    return nodes;
  }

  public int opset() {
    return opset;
  }

  public Optional<NodeProto> producer(String tensor) {
    return Optional.ofNullable(producers.get(tensor));
  }

  public List<NodeProto> consumers(String tensor) {
    return Collections.unmodifiableList(consumers.getOrDefault(tensor, List.of()));
  }

  public boolean isInitializer(String tensor) {
    return initializers.containsKey(tensor);
  }

  public Optional<TensorProto> initializer(String tensor) {
    return Optional.ofNullable(initializers.get(tensor));
  }

  /**
   * The value of a tensor fixed at build time: an initializer or the output of a Constant node.
   */
  public Optional<TensorProto> constant(String tensor) {
    TensorProto init = initializers.get(tensor);
    if (init != null) {
      return Optional.of(init);
    }
    NodeProto node = producers.get(tensor);
    if (node == null || !node.getOpType().equals("Constant")) {
      return Optional.empty();
    }
    NodeAttributes attrs = NodeAttributes.of(node);
    if (attrs.getTensor("value") != null) {
      return Optional.of(attrs.getTensor("value"));
    }
    if (attrs.has("value_ints")) {
      long[] v = attrs.getInts("value_ints");
      return Optional.of(Onnx.longTensor(tensor, new long[] {v.length}, v));
    }
    if (attrs.has("value_int")) {
      return Optional.of(Onnx.longTensor(tensor, new long[0],
          new long[] {attrs.getInt("value_int", 0)}));
    }
    if (attrs.has("value_float")) {
      return Optional.of(Onnx.floatTensor(tensor, new long[0],
          new float[] {attrs.getFloat("value_float", 0)}));
    }
    return Optional.empty();
  }

  /** Graph inputs that are real inputs (initializers listed as inputs by old exporters excluded). */
  public List<ValueInfoProto> inputs() {
    return proto.getGraph().getInputList().stream()
        .filter(v -> !initializers.containsKey(v.getName())).toList();
  }

  public List<ValueInfoProto> outputs() {
    return proto.getGraph().getOutputList();
  }

  /** True when some node produces this tensor, or it is a graph input. */
  public boolean hasTensor(String name) {
    return producers.containsKey(name) || inputs().stream().anyMatch(v -> v.getName().equals(name));
  }

  /**
   * The dims a value info declares: a fixed size, or -1 for a symbolic or missing dimension.
   * Returns null when no shape is declared.
   */
  public static long[] declaredShape(ValueInfoProto info) {
    if (!info.getType().hasTensorType() || !info.getType().getTensorType().hasShape()) {
      return null;
    }
    List<TensorShapeProto.Dimension> dims = info.getType().getTensorType().getShape().getDimList();
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i).hasDimValue() && dims.get(i).getDimValue() > 0
          ? dims.get(i).getDimValue() : -1;
    }
    return shape;
  }
}

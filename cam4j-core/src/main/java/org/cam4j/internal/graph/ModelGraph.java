package org.cam4j.internal.graph;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.RandomAccessFile;
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
import org.cam4j.internal.onnx.StringStringEntryProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.internal.onnx.TensorShapeProto;
import org.cam4j.internal.onnx.ValueInfoProto;

/**
 * An immutable, indexed view of an ONNX model: nodes in topological order, who produces and who
 * consumes each tensor, initializers and the default-domain opset.
 */
public final class ModelGraph {
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

  /** Loads a model file; tensors stored as external data (".onnx" + ".data") are read in. */
  public static ModelGraph load(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("model file not found: " + path);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read model file " + path + ": " + e.getMessage(), e);
    }
    ModelProto proto = parseProto(bytes, path.toString());
    return new ModelGraph(inlineExternalData(proto, path.toAbsolutePath().getParent()));
  }

  /** Parses a model held in memory; it must not reference external data files. */
  public static ModelGraph parse(byte[] bytes) {
    return new ModelGraph(inlineExternalData(parseProto(bytes, "model bytes"), null));
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

  private static ModelProto inlineExternalData(ModelProto proto, Path baseDir) {
    GraphProto graph = proto.getGraph();
    boolean anyExternal = graph.getInitializerList().stream()
        .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
    if (!anyExternal) {
      return proto;
    }
    if (baseDir == null) {
      throw new ModelLoadException("the model stores weights in external data files; load it from"
          + " its path so they can be found next to it");
    }
    GraphProto.Builder g = graph.toBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      TensorProto t = g.getInitializer(i);
      if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
        g.setInitializer(i, readExternal(t, baseDir));
      }
    }
    return proto.toBuilder().setGraph(g).build();
  }

  private static TensorProto readExternal(TensorProto t, Path baseDir) {
    String location = null;
    long offset = 0;
    long length = -1;
    for (StringStringEntryProto e : t.getExternalDataList()) {
      switch (e.getKey()) {
        case "location" -> location = e.getValue();
        case "offset" -> offset = Long.parseLong(e.getValue());
        case "length" -> length = Long.parseLong(e.getValue());
        default -> { }
      }
    }
    if (location == null) {
      throw new ModelLoadException("initializer '" + t.getName() + "' is external but has no location");
    }
    Path file = baseDir.resolve(location).normalize();
    if (!file.startsWith(baseDir)) {
      throw new ModelLoadException("external data of '" + t.getName() + "' points outside the model's"
          + " folder: " + location);
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long n = length >= 0 ? length : raf.length() - offset;
      if (offset + n > raf.length() || n > Integer.MAX_VALUE) {
        throw new ModelLoadException("external data file " + file + " is too short for '"
            + t.getName() + "' (truncated download?)");
      }
      byte[] data = new byte[(int) n];
      raf.seek(offset);
      raf.readFully(data);
      return t.toBuilder().clearExternalData().clearDataLocation()
          .setRawData(ByteString.copyFrom(data)).build();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read external data file " + file + " for '"
          + t.getName() + "': " + e.getMessage(), e);
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

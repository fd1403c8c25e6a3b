package org.cam4j.internal.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cam4j.InvalidInputException;
import org.cam4j.internal.autodiff.BackwardPath;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.NodeAttributes;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.graph.TensorValues;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * The part of a model after a layer, as a model of its own: the layer tensor becomes a graph
 * input and the score the output, so the layer can be replaced without running what comes
 * before it. The nodes are those between the layer and the score; a tensor they need that is
 * computed before the layer either depends on constants only (then its nodes are kept and
 * recomputed) or becomes a boundary input to feed from a forward run of the whole model, e.g.
 * the skip connection of a residual block that the layer lies inside. Boundary inputs are
 * declared float32.
 *
 * <p>Models exported with a fixed batch of 1 reshape to a literal {@code [1, ...]} (e.g.
 * MobileNetV2's {@code Reshape} to {@code [1, 1001]}). On the path from the layer that leading 1
 * is the batch, so the head's copy of such a shape starts with 0 instead (ONNX Reshape: copy
 * dimension 0 of the input) and the head takes any batch. Immutable.
 */
public final class HeadGraph {
  private final String layer;
  private final String score;
  private final List<String> boundary;
  private final ModelProto proto;

  private HeadGraph(String layer, String score, List<String> boundary, ModelProto proto) {
    this.layer = layer;
    this.score = score;
    this.boundary = boundary;
    this.proto = proto;
  }

  public static HeadGraph cut(ModelGraph graph, String layer, String score) {
    if (layer.equals(score)) {
      throw new InvalidInputException("layer '" + layer
          + "' is the score itself: nothing follows it");
    }
    if (!graph.hasTensor(layer)) {
      throw new InvalidInputException("the model has no tensor named '" + layer + "'");
    }
    Map<NodeProto, NodeProto> kept = new IdentityHashMap<>();
    Deque<String> needed = new ArrayDeque<>();
    List<TensorProto> batchShapes = new ArrayList<>();
    for (NodeProto node : BackwardPath.between(graph, List.of(layer), score).nodes()) {
      kept.put(node, anyBatch(graph, node, batchShapes));
      needed.addAll(node.getInputList());
    }
    Set<String> constant = constantTensors(graph);
    Set<String> boundary = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    while (!needed.isEmpty()) {
      String t = needed.pop();
      if (t.isEmpty() || t.equals(layer) || graph.isInitializer(t) || !seen.add(t)) {
        continue;
      }
      NodeProto producer = graph.producer(t).orElse(null);
      if (producer != null && kept.containsKey(producer)) {
        continue;
      }
      if (producer != null && constant.contains(t)) {
        kept.put(producer, producer);
        needed.addAll(producer.getInputList());
      } else {
        boundary.add(t);
      }
    }
    List<NodeProto> nodes = graph.nodes().stream().filter(kept::containsKey).map(kept::get)
        .toList();
    return new HeadGraph(layer, score, List.copyOf(boundary),
        model(graph, nodes, batchShapes, layer, score, boundary));
  }

  /**
   * The node, or for a Reshape to a constant {@code [1, ...]} a copy reshaping to
   * {@code [0, ...]} whose new shape initializer is added to {@code batchShapes}.
   */
  private static NodeProto anyBatch(ModelGraph graph, NodeProto node,
      List<TensorProto> batchShapes) {
    if (!node.getOpType().equals("Reshape") || node.getInputCount() < 2
        || NodeAttributes.of(node).getInt("allowzero", 0) != 0) {
      return node;
    }
    TensorProto shape = graph.initializer(node.getInput(1)).orElse(null);
    long[] dims = shape == null ? null : TensorValues.longs(shape);
    if (dims == null || dims.length < 2 || dims[0] != 1) {
      return node;
    }
    dims[0] = 0;
    String name = node.getInput(1) + "/any_batch";
    batchShapes.add(Onnx.longTensor(name, new long[] {dims.length}, dims));
    return node.toBuilder().setInput(1, name).build();
  }

  /** Tensors computed from initializers and Constant nodes alone. */
  private static Set<String> constantTensors(ModelGraph graph) {
    Set<String> constant = new HashSet<>();
    for (NodeProto node : graph.nodes()) {
      boolean fromConstants = node.getInputList().stream()
          .allMatch(i -> i.isEmpty() || graph.isInitializer(i) || constant.contains(i));
      if (fromConstants) {
        constant.addAll(node.getOutputList());
      }
    }
    return constant;
  }

  private static ModelProto model(ModelGraph graph, List<NodeProto> nodes,
      List<TensorProto> batchShapes, String layer, String score, Set<String> boundary) {
    Set<String> used = new HashSet<>();
    nodes.forEach(n -> used.addAll(n.getInputList()));
    GraphProto original = graph.proto().getGraph();
    // no value_info: it may declare the original batch size, and the head takes any batch
    GraphProto.Builder g = GraphProto.newBuilder().setName(original.getName() + "_head")
        .addAllNode(nodes)
        .addAllInitializer(original.getInitializerList().stream()
            .filter(i -> used.contains(i.getName())).toList())
        .addAllInitializer(batchShapes)
        .addInput(Onnx.floatValueInfo(layer, null))
        .addOutput(Onnx.floatValueInfo(score, null));
    for (String b : boundary) {
      g.addInput(Onnx.floatValueInfo(b, null));
    }
    return graph.proto().toBuilder().setGraph(g).build();
  }

  /** The tensor fed with (replaced) activations. */
  public String layer() {
    return layer;
  }

  public String score() {
    return score;
  }

  /** Tensors computed before the layer that the head reads, in a stable order. */
  public List<String> boundary() {
    return boundary;
  }

  public ModelProto proto() {
    return proto;
  }

  /** Number of nodes the head runs. */
  public int nodeCount() {
    return proto.getGraph().getNodeCount();
  }

  @Override
  public String toString() {
    return "HeadGraph[" + layer + " -> " + score + ", " + nodeCount() + " nodes, boundary "
        + boundary + "]";
  }
}

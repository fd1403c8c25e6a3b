package org.cam4j.internal.graph;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.internal.onnx.ValueInfoProto;

/**
 * Lifts a model of default-domain opset 7 to 9 to opset {@value #TARGET}, because the gradient
 * rules write their nodes in the model's own opset and need opset 10 or newer. Only graphs that
 * need a gradient are lifted ({@code CamModel} does it when it first builds a gradient graph);
 * forward passes run the model as it is.
 *
 * <p>Which ops change: the ONNX version converter ({@code onnx/version_converter/convert.h})
 * registers, for each opset step, an adapter for every op whose schema got a new version; from
 * opset 7 to 11 all of them are {@code CompatibleAdapter}s (types added, negative axes, optional
 * inputs: the old node means the same at opset 11) except the ones rewritten below and the ones refused (Pad, Resize, Scan, Scatter,
 * Slice, TopK, Upsample: their meaning or inputs changed). Every
 * other default-domain op, e.g. {@code Identity} (one schema from opset 1 to 12), is carried over
 * unchanged; nodes of other domains keep their own opset. Rewritten:
 * <ul>
 *   <li>BatchNormalization-9 drops {@code spatial}; only {@code spatial=1}, the per-channel
 *       statistics that opset 9 made the only mode, is safe to drop;</li>
 *   <li>Dropout-10 types its mask output bool instead of float: an unused mask is removed, a
 *       used one refused;</li>
 *   <li>Clip-11 takes {@code min} and {@code max} as inputs instead of attributes: they become
 *       scalar initializers (the attribute defaults are the float range, as in
 *       {@code clip_10_11.h}).</li>
 * </ul>
 * BatchNormalization and Dropout also lose {@code is_test}, an attribute of opset 6 and older
 * that opset 7 removed (ONNX Runtime rejects it from opset 7 on); as in the ONNX converter, a
 * nonzero {@code is_test} (test mode) is dropped and 0 (training mode) refused.
 */
public final class OpsetUpgrade {
  /** The opset upgraded models get. */
  public static final int TARGET = 11;
  private static final int OLDEST = 7;
  private static final int NEEDED = 10;
  /** Ops the converter rewrites between opsets 7 and 11 that cam4j does not: why each changed. */
  private static final SortedMap<String, String> REFUSED = Collections.unmodifiableSortedMap(
      new TreeMap<>(Map.of(
          "Pad", "opset 11 moved pads and the padding value from attributes to inputs",
          "Resize", "opset 11 changed its coordinate transformation and added an roi input",
          "Scan", "opset 9 removed its sequence_lens input and batch axis",
          "Scatter", "opset 11 replaced it with ScatterElements",
          "Slice", "opset 10 moved starts, ends and axes from attributes to inputs",
          "TopK", "opset 10 moved k from an attribute to an input",
          "Upsample", "opset 9 moved scales to an input and opset 10 replaced it with Resize")));
  /** Ops whose nodes are rewritten here. */
  private static final Set<String> REWRITTEN = Set.of("BatchNormalization", "Clip", "Dropout");

  private OpsetUpgrade() {
  }

  /**
   * The graph at opset {@value #TARGET} when its opset is below 10; the graph itself otherwise.
   *
   * @throws ModelLoadException naming the op, node and opset when the graph cannot be upgraded
   */
  public static ModelGraph forGradients(ModelGraph graph) {
    int from = graph.opset();
    if (from >= NEEDED) {
      return graph;
    }
    if (from < OLDEST) {
      throw new ModelLoadException("the model uses ONNX opset " + from + "; cam4j needs opset "
          + NEEDED + " or newer and upgrades only opsets " + OLDEST + " to 9 itself: convert"
          + " the model with onnx.version_converter to opset " + TARGET + " or newer");
    }
    Set<String> removed = new HashSet<>();
    GraphProto.Builder g = graph.proto().getGraph().toBuilder();
    for (int i = 0; i < g.getNodeCount(); i++) {
      g.setNode(i, upgrade(g.getNode(i), graph, from, removed, g));
    }
    List<ValueInfoProto> kept = g.getValueInfoList().stream()
        .filter(v -> !removed.contains(v.getName())).toList();
    g.clearValueInfo().addAllValueInfo(kept);
    ModelProto.Builder m = graph.proto().toBuilder().setGraph(g);
    for (int i = 0; i < m.getOpsetImportCount(); i++) {
      OperatorSetIdProto id = m.getOpsetImport(i);
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        m.setOpsetImport(i, id.toBuilder().setVersion(TARGET));
      }
    }
    return ModelGraph.of(m.build());
  }

  private static NodeProto upgrade(NodeProto n, ModelGraph graph, int from, Set<String> removed,
      GraphProto.Builder g) {
    boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
    if (!defaultDomain || !REWRITTEN.contains(n.getOpType())) {
      String why = defaultDomain ? REFUSED.get(n.getOpType()) : null;
      if (why != null) {
        throw refusal(n, from, why);
      }
      return n;
    }
    return switch (n.getOpType()) {
      case "BatchNormalization" -> {
        long spatial = NodeAttributes.of(n).getInt("spatial", 1);
        if (spatial != 1) {
          throw refusal(n, from, "BatchNormalization has spatial=" + spatial
              + " (statistics per activation, not per channel), a mode opset 9 removed");
        }
        yield without(checkInference(n, from), Set.of("spatial", "is_test"));
      }
      case "Dropout" -> dropUnusedMask(without(checkInference(n, from), Set.of("is_test")), graph,
          from, removed);
      case "Clip" -> clipBoundsAsInputs(n, g);
      default -> throw new AssertionError(n.getOpType());
    };
  }

  /** Clip-6 {@code min}/{@code max} attributes become scalar initializer inputs of Clip-11. */
  private static NodeProto clipBoundsAsInputs(NodeProto n, GraphProto.Builder g) {
    NodeAttributes attrs = NodeAttributes.of(n);
    String min = n.getOutput(0) + "_clip_min";
    String max = n.getOutput(0) + "_clip_max";
    g.addInitializer(Onnx.floatTensor(min, new long[0],
        new float[] {attrs.getFloat("min", -Float.MAX_VALUE)}));
    g.addInitializer(Onnx.floatTensor(max, new long[0],
        new float[] {attrs.getFloat("max", Float.MAX_VALUE)}));
    return without(n, Set.of("min", "max")).toBuilder().clearInput().addInput(n.getInput(0))
        .addInput(min).addInput(max).build();
  }

  private static NodeProto checkInference(NodeProto n, int from) {
    NodeAttributes attrs = NodeAttributes.of(n);
    if (attrs.has("is_test") && attrs.getInt("is_test", 1) == 0) {
      throw refusal(n, from, "is_test=0 asks for training mode; only test mode (is_test=1)"
          + " converts");
    }
    return n;
  }

  private static NodeProto dropUnusedMask(NodeProto n, ModelGraph graph, int from,
      Set<String> removed) {
    if (n.getOutputCount() < 2 || n.getOutput(1).isEmpty()) {
      return n;
    }
    String mask = n.getOutput(1);
    boolean used = !graph.consumers(mask).isEmpty()
        || graph.outputs().stream().anyMatch(o -> o.getName().equals(mask));
    if (used) {
      throw refusal(n, from, "its mask output '" + mask + "' is used, and opset 10 changed the"
          + " mask's type from float to bool");
    }
    removed.add(mask);
    return n.toBuilder().clearOutput().addOutput(n.getOutput(0)).build();
  }

  private static NodeProto without(NodeProto n, Set<String> names) {
    List<AttributeProto> kept = n.getAttributeList().stream()
        .filter(a -> !names.contains(a.getName())).toList();
    return n.toBuilder().clearAttribute().addAllAttribute(kept).build();
  }

  private static ModelLoadException refusal(NodeProto n, int from, String why) {
    return new ModelLoadException("cannot upgrade the model from ONNX opset " + from + " to "
        + TARGET + ", which explaining it needs: node '" + n.getName() + "' (" + n.getOpType()
        + "): " + why + "; convert the model with onnx.version_converter to opset " + TARGET
        + " or newer");
  }
}

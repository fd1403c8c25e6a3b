package org.cam4j.internal.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.graph.LayerCatalog;
import org.cam4j.graph.LayerCatalog.Layer;
import org.cam4j.graph.NotAnImageModelException;
import org.cam4j.internal.onnx.NodeProto;

/**
 * Layer discovery over a graph: the tensors worth explaining (feature maps with spatial extent
 * in any layout {@link LayoutInference} recognises, after the first convolution, before any global pooling and feeding the score), the
 * default one and the block outputs, as a {@link LayerCatalog}. Global pooling ends the maps even
 * when a channels-last head views the pooled vector as [N, 1, 1, C] (ConvNeXt's classifier
 * LayerNorm).
 */
public final class LayerDiscovery {
  private static final Set<String> CONV_OPS = Set.of("Conv", "ConvTranspose");
  private static final Set<String> GLOBAL_POOL_OPS = Set.of("GlobalAveragePool",
      "GlobalMaxPool", "GlobalLpPool");
  private static final Set<String> MERGE_OPS = Set.of("Add", "Sum", "Concat");
  private static final Set<String> ACTIVATION_OPS = Set.of("Relu", "Clip", "LeakyRelu",
      "Sigmoid", "HardSwish", "Elu", "Selu");

  private LayerDiscovery() {
  }

  /**
   * Discovers the layers.
   *
   * @param shapes shape at batch 1 of every node output (from a probe run or value_info)
   * @param classes number of classes; maps with that many channels are class-score maps and
   *     never the default
   */
  public static LayerCatalog discover(ModelGraph graph, Map<String, long[]> shapes, String score,
      long classes) {
    Set<String> afterConv = new HashSet<>();
    Set<String> pooled = new HashSet<>();
    Set<String> fixed = new HashSet<>();
    Set<String> feedsScore = ancestors(graph, score);
    Map<String, FeatureLayout> layouts = LayoutInference.infer(graph, shapes);
    List<Layer> found = new ArrayList<>();
    for (NodeProto node : graph.nodes()) {
      boolean conv = CONV_OPS.contains(node.getOpType())
          || node.getInputList().stream().anyMatch(afterConv::contains);
      List<String> computed = node.getInputList().stream()
          .filter(i -> !i.isEmpty() && !graph.isInitializer(i) && !fixed.contains(i)).toList();
      if (computed.isEmpty()) {
        fixed.addAll(node.getOutputList());
      }
      // the head after the pooled vector, but not a squeeze-excitation Mul(x, gate) in a block
      boolean afterPooling = GLOBAL_POOL_OPS.contains(node.getOpType())
          || (!computed.isEmpty() && pooled.containsAll(computed));
      for (String out : node.getOutputList()) {
        if (conv) {
          afterConv.add(out);
        }
        if (afterPooling) {
          pooled.add(out);
          continue;
        }
        long[] s = shapes.get(out);
        FeatureLayout layout = layouts.get(out);
        if (conv && layout != null && area(layout, s) > 1 && feedsScore.contains(out)) {
          found.add(new Layer(out, node.getOpType(), s.clone(), layout));
        }
      }
    }
    if (found.isEmpty()) {
      throw new NotAnImageModelException("the model has no 4-D feature maps after a convolution"
          + " that feed its score: it does not look like a CNN image classifier");
    }
    Layer def = found.get(found.size() - 1);
    Optional<Layer> attentionInput = lastAttentionInput(graph, found, feedsScore);
    for (int i = found.size() - 1; i >= 0 && attentionInput.isEmpty(); i--) {
      if (found.get(i).channels() != classes) {
        def = found.get(i);
        break;
      }
    }
    def = attentionInput.orElse(def);
    return LayerCatalog.of(found, def, blockOutputs(graph, found, def), shapes, layouts);
  }

  /** The map's spatial size h·w. */
  private static long area(FeatureLayout layout, long[] s) {
    return switch (layout.kind()) {
      case NCHW -> s[2] * s[3];
      case NHWC -> s[1] * s[2];
      case TOKENS -> (long) layout.gridHeight() * layout.gridWidth();
    };
  }

  /**
   * In a transformer, the last LayerNormalization output on the tokens that feeds an attention
   * Softmax: the last block's first norm, pytorch-grad-cam's advice for ViT (the last block's
   * output reaches the class token only). An attention Softmax feeds the score; one that does
   * not (a probability output after the score, a cam4j export's backward graph) is no attention.
   */
  private static Optional<Layer> lastAttentionInput(ModelGraph graph, List<Layer> found,
      Set<String> feedsScore) {
    Set<String> feedsAttention = new HashSet<>();
    for (NodeProto n : graph.nodes()) {
      if (n.getOpType().equals("Softmax") && feedsScore.contains(n.getOutput(0))) {
        feedsAttention.addAll(ancestors(graph, n.getInput(0)));
      }
    }
    Layer last = null;
    for (Layer l : found) {
      if (l.layout().kind() == FeatureLayout.Kind.TOKENS
          && l.opType().equals("LayerNormalization") && feedsAttention.contains(l.name())) {
        last = l;
      }
    }
    return Optional.ofNullable(last);
  }

  /**
   * The outputs of the network's blocks, in graph order, ending with the default layer. In a
   * network with merges (residual Add, Inception/Fire/Dense Concat) a block ends at a merge, or
   * at the activation that directly follows it; in a plain chain (VGG, MobileNetV1) at the
   * activation after each full (not depthwise) convolution.
   */
  private static List<Layer> blockOutputs(ModelGraph graph, List<Layer> found, Layer def) {
    List<Layer> merges = new ArrayList<>();
    for (Layer l : found) {
      if (MERGE_OPS.contains(l.opType())) {
        merges.add(followingActivation(graph, l, found));
      }
    }
    List<Layer> blocks = new ArrayList<>();
    if (!merges.isEmpty()) {
      blocks.addAll(merges);
    } else {
      for (Layer l : found) {
        NodeProto producer = graph.producer(l.name()).orElseThrow();
        if (ACTIVATION_OPS.contains(l.opType()) && isFullConv(graph, producer.getInput(0))) {
          blocks.add(l);
        }
      }
    }
    List<Layer> upToDefault = new ArrayList<>();
    for (Layer l : found) {
      if (l.equals(def)) {
        break;
      }
      if (blocks.contains(l) && !upToDefault.contains(l)) {
        upToDefault.add(l);
      }
    }
    upToDefault.add(def);
    return List.copyOf(upToDefault);
  }

  private static boolean isFullConv(ModelGraph graph, String tensor) {
    return graph.producer(tensor)
        .filter(p -> p.getOpType().equals("Conv") && NodeAttributes.of(p).getInt("group", 1) == 1)
        .isPresent();
  }

  /** The activation that is a merge's only consumer (Add then Relu), else the merge itself. */
  private static Layer followingActivation(ModelGraph graph, Layer merge, List<Layer> found) {
    List<NodeProto> consumers = graph.consumers(merge.name());
    if (consumers.size() == 1 && ACTIVATION_OPS.contains(consumers.get(0).getOpType())) {
      String out = consumers.get(0).getOutput(0);
      for (Layer l : found) {
        if (l.name().equals(out)) {
          return l;
        }
      }
    }
    return merge;
  }

  private static Set<String> ancestors(ModelGraph graph, String tensor) {
    Set<String> up = new HashSet<>();
    up.add(tensor);
    List<NodeProto> nodes = graph.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      NodeProto n = nodes.get(i);
      if (n.getOutputList().stream().anyMatch(up::contains)) {
        up.addAll(n.getInputList());
      }
    }
    return up;
  }
}

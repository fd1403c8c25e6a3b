package org.cam4j.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.NodeAttributes;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.text.EditDistance;

/**
 * Layer discovery: the tensors worth explaining (4-D feature maps with spatial extent, after the
 * first convolution, before any global pooling and feeding the score), the default one, and a
 * forgiving name matcher. Global pooling ends the maps even when a channels-last head views the
 * pooled vector as [N, 1, 1, C] (ConvNeXt's classifier LayerNorm).
 */
public final class LayerCatalog {
  private static final Set<String> CONV_OPS = Set.of("Conv", "ConvTranspose");
  private static final Set<String> GLOBAL_POOL_OPS = Set.of("GlobalAveragePool",
      "GlobalMaxPool", "GlobalLpPool");
  private static final Set<String> MERGE_OPS = Set.of("Add", "Sum", "Concat");
  private static final Set<String> ACTIVATION_OPS = Set.of("Relu", "Clip", "LeakyRelu",
      "Sigmoid", "HardSwish", "Elu", "Selu");

  private final List<Layer> candidates;
  private final Layer defaultLayer;
  private final List<Layer> blockOutputs;
  private final Map<String, long[]> shapes;

  /**
   * A feature map that can be explained.
   *
   * @param name ONNX tensor name
   * @param opType op producing it
   * @param shape its shape at batch 1
   */
  public record Layer(String name, String opType, long[] shape) {
    public long channels() {
      return shape[1];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Layer l && l.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name + " " + Arrays.toString(shape) + " (" + opType + ")";
    }
  }

  private LayerCatalog(List<Layer> candidates, Layer defaultLayer, List<Layer> blockOutputs,
      Map<String, long[]> shapes) {
    this.candidates = candidates;
    this.defaultLayer = defaultLayer;
    this.blockOutputs = blockOutputs;
    this.shapes = shapes;
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
        if (conv && s != null && s.length == 4 && s[2] * s[3] > 1 && feedsScore.contains(out)) {
          found.add(new Layer(out, node.getOpType(), s.clone()));
        }
      }
    }
    if (found.isEmpty()) {
      throw new NotAnImageModelException("the model has no 4-D feature maps after a convolution"
          + " that feed its score: it does not look like a CNN image classifier");
    }
    Layer def = found.get(found.size() - 1);
    for (int i = found.size() - 1; i >= 0; i--) {
      if (found.get(i).channels() != classes) {
        def = found.get(i);
        break;
      }
    }
    return new LayerCatalog(List.copyOf(found), def, blockOutputs(graph, found, def),
        Map.copyOf(shapes));
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

  /** Candidate feature maps in graph order. */
  public List<Layer> candidates() {
    return candidates;
  }

  /**
   * Each block's output up to the default layer, for "every layer at once" views (see
   * {@link #discover}).
   */
  public List<Layer> blockOutputs() {
    return blockOutputs;
  }

  /** The last feature map before global pooling: the classic Grad-CAM layer. */
  public Layer defaultLayer() {
    return defaultLayer;
  }

  /**
   * Finds a layer by name: "auto" gives the default; then an exact tensor name (any 4-D
   * tensor), a name equal up to case and punctuation, a name containing the query as whole
   * words (the last such, i.e. a block's output: "layer4", "conv5_block3_out"), or containing it
   * at all. Fails with the five closest names.
   */
  public Layer resolve(String query) {
    if (query == null || query.isBlank() || query.equalsIgnoreCase("auto")) {
      return defaultLayer;
    }
    for (Layer l : candidates) {
      if (l.name().equals(query)) {
        return l;
      }
    }
    long[] s = shapes.get(query);
    if (s != null && s.length == 4) {
      return new Layer(query, "?", s.clone());
    }
    String q = normalise(query);
    if (q.isEmpty()) {
      throw new UnknownLayerException(query, closest(query, 5));
    }
    for (Layer l : candidates) {
      if (normalise(l.name()).equals(q)) {
        return l;
      }
    }
    Layer lastWord = null;
    Layer lastAny = null;
    for (Layer l : candidates) {
      String n = normalise(l.name());
      if (("_" + n + "_").contains("_" + q + "_")) {
        lastWord = l;
      }
      if (n.contains(q)) {
        lastAny = l;
      }
    }
    if (lastWord != null) {
      return lastWord;
    }
    if (lastAny != null) {
      return lastAny;
    }
    throw new UnknownLayerException(query, closest(query, 5));
  }

  /** The candidate names closest to a query (edit distance on normalised names). */
  public List<String> closest(String query, int count) {
    String q = normalise(query);
    return EditDistance.closest(candidates, l -> distance(q, l.name()), count).stream()
        .map(Layer::name).toList();
  }

  /**
   * Edit distance from the query to the closest run of as many words in the name (so "layer9"
   * is one edit from "/layer4/layer4.1/relu_1/Relu_output_0"), ties broken by the whole name.
   */
  private static int distance(String q, String name) {
    String n = normalise(name);
    if (n.contains(q)) {
      return 0;
    }
    String[] words = n.split("_");
    int span = Math.max(1, q.split("_").length);
    int best = Integer.MAX_VALUE;
    for (int i = 0; i + span <= Math.max(words.length, span); i++) {
      String window = String.join("_", java.util.Arrays.copyOfRange(words, i,
          Math.min(words.length, i + span)));
      best = Math.min(best, EditDistance.between(q, window));
    }
    return best * 1000 + Math.min(999, EditDistance.between(q, n));
  }

  static String normalise(String s) {
    return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
        .replaceAll("^_+|_+$", "");
  }
}

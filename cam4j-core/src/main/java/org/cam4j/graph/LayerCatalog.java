package org.cam4j.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cam4j.InvalidInputException;
import org.cam4j.internal.text.EditDistance;

/**
 * Layer discovery: the tensors worth explaining (4-D feature maps with spatial extent, after the
 * first convolution and feeding the score), the default one, and a forgiving name matcher.
 */
public final class LayerCatalog {

  private final List<Layer> candidates;
  private final Layer defaultLayer;
  private final List<Layer> blockOutputs;
  private final Map<String, long[]> shapes;
  private final Map<String, FeatureLayout> layouts;

  /**
   * A feature map that can be explained.
   *
   * @param name ONNX tensor name
   * @param opType op producing it
   * @param shape its shape at batch 1
   * @param layout how it holds its feature maps
   */
  public record Layer(String name, String opType, long[] shape, FeatureLayout layout) {
    /** An NCHW feature map. */
    public Layer(String name, String opType, long[] shape) {
      this(name, opType, shape, FeatureLayout.nchw());
    }

    /** The channel count, wherever the layout keeps it. */
    public long channels() {
      return layout.channels(shape);
    }

    /** The layout and grid as the layers listing says it, e.g. {@code tokens 1+14x14}. */
    public String describeLayout() {
      return layout.describe(shape);
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
      return name + " " + Arrays.toString(shape) + " " + describeLayout() + " (" + opType + ")";
    }
  }

  private LayerCatalog(List<Layer> candidates, Layer defaultLayer, List<Layer> blockOutputs,
      Map<String, long[]> shapes, Map<String, FeatureLayout> layouts) {
    this.candidates = List.copyOf(candidates);
    this.defaultLayer = defaultLayer;
    this.blockOutputs = List.copyOf(blockOutputs);
    this.shapes = Map.copyOf(shapes);
    this.layouts = Map.copyOf(layouts);
  }

  /**
   * A catalog of layers found in a model (layer discovery builds it).
   *
   * @param candidates feature maps worth explaining, in graph order
   * @param defaultLayer the one explained when none is named
   * @param blockOutputs the block outputs, in graph order, ending with the default layer
   * @param shapes shape at batch 1 of every node output
   * @param layouts the layout of each tensor holding feature maps
   */
  public static LayerCatalog of(List<Layer> candidates, Layer defaultLayer,
      List<Layer> blockOutputs, Map<String, long[]> shapes, Map<String, FeatureLayout> layouts) {
    if (!candidates.contains(defaultLayer)) {
      throw new IllegalArgumentException("the default layer " + defaultLayer.name()
          + " is not a candidate");
    }
    return new LayerCatalog(candidates, defaultLayer, blockOutputs, shapes, layouts);
  }

  /**
   * The layout of a tensor: the one found in the graph, else NCHW for a 4-D tensor whose shape
   * cannot be channels-last.
   *
   * @throws InvalidInputException when the graph does not tell and the shape leaves it open (a
   *     3-D tensor, or [N,h,h,C] that could be NHWC): name the layout explicitly
   */
  public FeatureLayout layout(String tensor) {
    long[] s = shapes.get(tensor);
    if (s == null) {
      throw new UnknownLayerException(tensor, closest(tensor, 5));
    }
    return layoutOf(tensor, s);
  }

  private FeatureLayout layoutOf(String tensor, long[] s) {
    FeatureLayout known = layouts.get(tensor);
    if (known != null) {
      return known;
    }
    if (s.length == 4 && s[1] != s[2] && s[2] == s[3]) {
      return FeatureLayout.nchw();
    }
    throw new InvalidInputException("cannot tell how " + tensor + " " + Arrays.toString(s)
        + " holds its feature maps: give the layer layout (nchw, nhwc or tokens with its grid"
        + " and prefix tokens)");
  }

  /** Candidate feature maps in graph order. */
  public List<Layer> candidates() {
    return candidates;
  }

  /**
   * Each block's output up to the default layer, for "every layer at once" views: a block ends
   * at a merge (residual Add, Concat) or the activation right after it; in a plain chain, at the
   * activation after each full convolution.
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
    if (s != null && (s.length == 4 || s.length == 3)) {
      // provisional when the graph does not tell: layout(name) decides or refuses at use
      FeatureLayout provisional = s.length == 4 ? FeatureLayout.nchw()
          : FeatureLayout.tokens(-1, 0, 0);
      return new Layer(query, "?", s.clone(), layouts.getOrDefault(query, provisional));
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

package org.cam4j.method;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.cam4j.Cam4jException;
import org.cam4j.InvalidInputException;
import org.cam4j.UnsupportedModelException;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.internal.autodiff.BackwardPath;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.NodeAttributes;
import org.cam4j.internal.graph.TensorValues;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * The classifier head CAM (Zhou et al. 2016) needs after a layer: a global average pool
 * (GlobalAveragePool, or ReduceMean over H and W, wherever the layer's layout keeps them),
 * optional reshapes, one linear map (Gemm,
 * MatMul, or a 1x1 Conv), then optional reshapes and bias Adds up to the score. Then
 * {@code score_k = sum_c W[k,c] mean(A_c) + b_k}; this class holds W [K, C].
 */
final class LinearHead {
  /** Ops that only move values around (Dropout is the identity at inference). */
  private static final Set<String> RESHAPES = Set.of("Flatten", "Reshape", "Squeeze",
      "Unsqueeze", "Identity", "Dropout");

  private final float[] weights;
  private final int classes;
  private final int channels;

  private LinearHead(float[] weights, int classes, int channels) {
    this.weights = weights;
    this.classes = classes;
    this.channels = channels;
  }

  /**
   * Finds the head between a layer and the score.
   *
   * @throws Cam4jException saying which node breaks the pattern
   */
  static LinearHead find(ModelGraph graph, String layer, String score) {
    return find(graph, layer, score, FeatureLayout.nchw());
  }

  /**
   * Finds the head after a layer of any layout: its pool is a global average over the layout's
   * grid axes (h and w of NCHW or NHWC; the tokens of a token layer without prefix tokens, whose
   * mean would otherwise mix in the class token).
   *
   * @throws Cam4jException saying which node breaks the pattern
   */
  static LinearHead find(ModelGraph graph, String layer, String score, FeatureLayout layout) {
    BackwardPath path = BackwardPath.between(graph, List.of(layer), score);
    Walk walk = new Walk(graph, path, layer, score);
    NodeProto pool = walk.next();
    if (!isGlobalAverage(graph, pool, layout)) {
      throw walk.fail("it feeds " + describe(pool) + ", not a global average pool");
    }
    NodeProto linear = walk.skipReshapes(pool);
    if (linear == null) {
      throw walk.fail("the pooled features reach the score without a linear classifier");
    }
    LinearHead head = switch (linear.getOpType()) {
      case "Gemm" -> gemm(walk, linear);
      case "MatMul" -> matMul(walk, linear);
      case "Conv" -> conv(walk, linear);
      default -> throw walk.fail("the pooled features feed " + describe(linear)
          + " before any linear classifier");
    };
    walk.expectOnlyReshapesAndBiases(linear);
    return head;
  }

  int classes() {
    return classes;
  }

  int channels() {
    return channels;
  }

  /** W[k, :], the weight of each channel's mean in class k's score. */
  float[] classWeights(int k) {
    if (k < 0 || k >= classes) {
      throw new InvalidInputException("class " + k + " is out of range: the classifier has "
          + classes
          + " classes (0.." + (classes - 1) + ")");
    }
    return Arrays.copyOfRange(weights, k * channels, (k + 1) * channels);
  }

  private static boolean isGlobalAverage(ModelGraph graph, NodeProto node,
      FeatureLayout layout) {
    if (node.getOpType().equals("GlobalAveragePool")) {
      return layout.kind() == FeatureLayout.Kind.NCHW;
    }
    if (!node.getOpType().equals("ReduceMean")) {
      return false;
    }
    long[] axes = NodeAttributes.of(node).getInts("axes");
    if (axes == null && node.getInputCount() > 1) {
      axes = graph.constant(node.getInput(1)).map(TensorValues::longs).orElse(null);
    }
    if (axes == null) {
      return false;
    }
    int rank = layout.kind() == FeatureLayout.Kind.TOKENS ? 3 : 4;
    long[] spatial = Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
    return switch (layout.kind()) {
      case NCHW -> Arrays.equals(spatial, new long[] {2, 3});
      case NHWC -> Arrays.equals(spatial, new long[] {1, 2});
      case TOKENS -> layout.prefixTokens() == 0 && Arrays.equals(spatial, new long[] {1});
    };
  }

  private static LinearHead gemm(Walk walk, NodeProto gemm) {
    NodeAttributes attrs = NodeAttributes.of(gemm);
    if (attrs.getInt("transA", 0) != 0) {
      throw walk.fail(describe(gemm) + " transposes the pooled features (transA=1)");
    }
    TensorProto b = walk.constantInput(gemm, 1, "weights");
    walk.constantInputsFrom(gemm, 2);
    if (b.getDimsCount() != 2) {
      throw walk.fail(describe(gemm) + " has weights of rank " + b.getDimsCount());
    }
    float alpha = attrs.getFloat("alpha", 1f);
    boolean transB = attrs.getInt("transB", 0) != 0;
    int rows = (int) b.getDims(0);
    int cols = (int) b.getDims(1);
    float[] v = TensorValues.floats(b);
    // score = alpha * x B: with transB, B is [K, C] already
    return transB ? scaled(v, rows, cols, alpha) : transposed(v, rows, cols, alpha);
  }

  private static LinearHead matMul(Walk walk, NodeProto matMul) {
    TensorProto b = walk.constantInput(matMul, 1, "weights");
    if (b.getDimsCount() != 2) {
      throw walk.fail(describe(matMul) + " has weights of rank " + b.getDimsCount()
          + ", not a [C, K] matrix");
    }
    return transposed(TensorValues.floats(b), (int) b.getDims(0), (int) b.getDims(1), 1f);
  }

  private static LinearHead conv(Walk walk, NodeProto conv) {
    TensorProto w = walk.constantInput(conv, 1, "weights");
    walk.constantInputsFrom(conv, 2);
    NodeAttributes attrs = NodeAttributes.of(conv);
    long[] pads = attrs.getInts("pads");
    boolean oneByOne = w.getDimsCount() == 4 && w.getDims(2) == 1 && w.getDims(3) == 1;
    if (!oneByOne || attrs.getInt("group", 1) != 1
        || (pads != null && Arrays.stream(pads).anyMatch(p -> p != 0))) {
      throw walk.fail(describe(conv) + " is not a plain 1x1 convolution (kernel "
          + w.getDimsList() + ", group " + attrs.getInt("group", 1) + ", pads "
          + Arrays.toString(pads) + ")");
    }
    return scaled(TensorValues.floats(w), (int) w.getDims(0), (int) w.getDims(1), 1f);
  }

  /** W = alpha * v for v already [K, C]. */
  private static LinearHead scaled(float[] v, int classes, int channels, float alpha) {
    float[] w = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      w[i] = alpha * v[i];
    }
    return new LinearHead(w, classes, channels);
  }

  /** W = alpha * v^T for v stored [C, K]. */
  private static LinearHead transposed(float[] v, int channels, int classes, float alpha) {
    float[] w = new float[v.length];
    for (int c = 0; c < channels; c++) {
      for (int k = 0; k < classes; k++) {
        w[k * channels + c] = alpha * v[c * classes + k];
      }
    }
    return new LinearHead(w, classes, channels);
  }

  private static String describe(NodeProto node) {
    return node.getOpType() + " node '" + node.getName() + "'";
  }

  /** Follows the single chain of nodes from the layer to the score. */
  private static final class Walk {
    private final ModelGraph graph;
    private final BackwardPath path;
    private final String layer;
    private final String score;
    private String tensor;

    Walk(ModelGraph graph, BackwardPath path, String layer, String score) {
      this.graph = graph;
      this.path = path;
      this.layer = layer;
      this.score = score;
      this.tensor = layer;
    }

    /**
     * The one node on the way to the score that reads the current tensor, as its first input
     * (the data input of every op the pattern allows; a bias Add may take either order).
     */
    NodeProto next() {
      List<NodeProto> onPath = graph.consumers(tensor).stream()
          .filter(n -> n.getOutputList().stream().anyMatch(path::isDifferentiable)).toList();
      if (onPath.size() != 1) {
        throw fail("'" + tensor + "' reaches the score through "
            + String.join(", ", onPath.stream().map(LinearHead::describe).toList())
            + " (CAM needs a single chain)");
      }
      NodeProto node = onPath.get(0);
      boolean first = node.getInput(0).equals(tensor);
      if (!first && !node.getOpType().equals("Add")) {
        throw fail(describe(node) + " reads '" + tensor + "' as a parameter, not as its data");
      }
      tensor = node.getOutput(0);
      return node;
    }

    /** The first node after {@code from} that is not a reshape, or null at the score. */
    NodeProto skipReshapes(NodeProto from) {
      NodeProto node = from;
      while (!tensor.equals(score)) {
        node = next();
        if (!RESHAPES.contains(node.getOpType())) {
          return node;
        }
      }
      return null;
    }

    void expectOnlyReshapesAndBiases(NodeProto linear) {
      while (!tensor.equals(score)) {
        String features = tensor;
        NodeProto node = next();
        boolean bias = node.getOpType().equals("Add") && node.getInputCount() == 2
            && node.getInputList().stream().filter(features::equals).count() == 1
            && node.getInputList().stream().filter(i -> !i.equals(features))
                .allMatch(i -> graph.constant(i).isPresent());
        if (!bias && !RESHAPES.contains(node.getOpType())) {
          throw fail("after the classifier " + describe(linear) + ", " + describe(node)
              + " comes before the score (the score must be linear in the pooled features)");
        }
      }
    }

    TensorProto constantInput(NodeProto node, int index, String what) {
      String name = index < node.getInputCount() ? node.getInput(index) : "";
      return graph.constant(name).orElseThrow(() -> fail("the " + what + " of " + describe(node)
          + " are not constant"));
    }

    /** Inputs from {@code index} on (biases) must be constants or absent. */
    void constantInputsFrom(NodeProto node, int index) {
      for (int i = index; i < node.getInputCount(); i++) {
        if (!node.getInput(i).isEmpty()) {
          constantInput(node, i, "input " + i);
        }
      }
    }

    Cam4jException fail(String why) {
      return new UnsupportedModelException("layer '" + layer
          + "' is not followed by a global average pool"
          + " and a linear classifier: " + why);
    }
  }
}

package org.cam4j.internal.graph;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.graph.FeatureLayout.Kind;
import org.cam4j.internal.onnx.NodeProto;

/**
 * The feature-map layout of each tensor, followed through the graph in node order from the
 * convolutions: a Conv output is NCHW; Transpose (0,2,3,1) makes it NHWC and (0,3,1,2) NCHW
 * again; an NCHW map flattened to [N,C,h·w] and transposed (0,2,1) becomes tokens 0+hxw, a
 * Concat of prefix tokens (class token) adds k; a tensor computed from a layout keeps it while
 * the shape still fits it (LayerNorm, Linear, GELU, residual Add). Tensors derived from tokens in
 * any other way (attention heads, [T,N,C] views) get no layout; rank-4 tensors below a
 * convolution that no rule reaches are NCHW, as before layouts were known.
 */
final class LayoutInference {
  private static final Set<String> CONV_OPS = Set.of("Conv", "ConvTranspose");
  private static final Set<String> FLATTEN_OPS = Set.of("Reshape", "Flatten");

  private final Map<String, long[]> shapes;
  private final Map<String, FeatureLayout> layouts = new HashMap<>();
  /** NCHW maps viewed as [N, C, h·w]: the grid each holds. */
  private final Map<String, long[]> flat = new HashMap<>();
  private final Set<String> afterConv = new HashSet<>();
  private final Set<String> fromTokens = new HashSet<>();
  /** The batch of the probed shapes, from the first convolution's output. */
  private long batch = -1;

  private LayoutInference(Map<String, long[]> shapes) {
    this.shapes = shapes;
  }

  /** The layout of every tensor that holds feature maps, by tensor name. */
  static Map<String, FeatureLayout> infer(ModelGraph graph, Map<String, long[]> shapes) {
    LayoutInference inference = new LayoutInference(shapes);
    graph.nodes().forEach(inference::visit);
    return Map.copyOf(inference.layouts);
  }

  private void visit(NodeProto node) {
    List<String> inputs = node.getInputList().stream().filter(i -> !i.isEmpty()).toList();
    boolean conv = CONV_OPS.contains(node.getOpType())
        || inputs.stream().anyMatch(afterConv::contains);
    boolean tokenLineage = inputs.stream().anyMatch(i -> fromTokens.contains(i)
        || kindOf(i) == Kind.TOKENS);
    for (String out : node.getOutputList()) {
      if (conv) {
        afterConv.add(out);
      }
      long[] s = shapes.get(out);
      if (batch < 0 && s != null && CONV_OPS.contains(node.getOpType())) {
        batch = s[0];
      }
      // a [T, N, C] view (attention's sequence-first layout) is none of the layouts
      // (scalars and vectors, e.g. shape arithmetic, hold no feature maps)
      Optional<FeatureLayout> layout = s == null || s.length < 3 || s[0] != batch
          ? Optional.empty()
          : s.length == 4 ? spatial(node, inputs, s, conv && !tokenLineage)
          : s.length == 3 ? tokens(node, inputs, s, out) : Optional.empty();
      if (layout.isPresent()) {
        layouts.put(out, layout.get());
      } else if (tokenLineage) {
        fromTokens.add(out);
      }
    }
  }

  private Optional<FeatureLayout> spatial(NodeProto node, List<String> inputs, long[] s,
      boolean convLineage) {
    String op = node.getOpType();
    if (CONV_OPS.contains(op)) {
      return Optional.of(FeatureLayout.nchw());
    }
    String x = inputs.isEmpty() ? "" : inputs.get(0);
    if (op.equals("Transpose")) {
      long[] perm = NodeAttributes.of(node).getInts("perm");
      if (kindOf(x) == Kind.NCHW && Arrays.equals(perm, new long[] {0, 2, 3, 1})) {
        return Optional.of(FeatureLayout.nhwc());
      }
      if (kindOf(x) == Kind.NHWC && Arrays.equals(perm, new long[] {0, 3, 1, 2})) {
        return Optional.of(FeatureLayout.nchw());
      }
    }
    // tokens 0+hxw viewed as [N, h, w, C] (Swin)
    long[] xs = shapes.get(x);
    FeatureLayout xl = layouts.get(x);
    if (FLATTEN_OPS.contains(op) && xl != null && xl.kind() == Kind.TOKENS
        && xl.prefixTokens() == 0 && xs[1] == s[1] * s[2] && xs[2] == s[3]) {
      return Optional.of(FeatureLayout.nhwc());
    }
    for (String in : inputs) {
      long[] is = shapes.get(in);
      if (kindOf(in) == Kind.NHWC && is[1] == s[1] && is[2] == s[2]) {
        return Optional.of(FeatureLayout.nhwc());
      }
    }
    if (inputs.stream().anyMatch(in -> kindOf(in) == Kind.NCHW) || convLineage) {
      return Optional.of(FeatureLayout.nchw());
    }
    return Optional.empty();
  }

  private Optional<FeatureLayout> tokens(NodeProto node, List<String> inputs, long[] s,
      String out) {
    String op = node.getOpType();
    String x = inputs.isEmpty() ? "" : inputs.get(0);
    long[] xs = shapes.get(x);
    if (FLATTEN_OPS.contains(op) && xs != null && kindOf(x) == Kind.NCHW && xs.length == 4
        && s[1] == xs[1] && s[2] == xs[2] * xs[3]) {
      flat.put(out, new long[] {xs[2], xs[3]});
      return Optional.empty();
    }
    if (op.equals("Transpose") && flat.containsKey(x)
        && Arrays.equals(NodeAttributes.of(node).getInts("perm"), new long[] {0, 2, 1})) {
      long[] grid = flat.get(x);
      return Optional.of(FeatureLayout.tokens(0, (int) grid[0], (int) grid[1]));
    }
    if (FLATTEN_OPS.contains(op) && xs != null && kindOf(x) == Kind.NHWC
        && s[1] == xs[1] * xs[2] && s[2] == xs[3]) {
      return Optional.of(FeatureLayout.tokens(0, (int) xs[1], (int) xs[2]));
    }
    for (String in : inputs) {
      FeatureLayout l = layouts.get(in);
      long[] is = shapes.get(in);
      if (l == null || l.kind() != Kind.TOKENS || is[2] != s[2] && is[1] != s[1]) {
        continue;
      }
      long area = is[1] - l.prefixTokens();
      long extra = s[1] - area;
      if (extra >= 0 && extra <= FeatureLayout.MAX_PREFIX) {
        return Optional.of(FeatureLayout.tokens((int) extra, l.gridHeight(), l.gridWidth()));
      }
    }
    return Optional.empty();
  }

  private Kind kindOf(String tensor) {
    FeatureLayout l = layouts.get(tensor);
    return l == null ? null : l.kind();
  }
}

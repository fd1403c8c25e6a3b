package org.cam4j.internal.graph;

import java.util.List;

/**
 * Where a transformer keeps its attention probabilities: the outputs of its Softmax nodes, in
 * graph order. Whether each one is an attention map is only known from a run, which the caller
 * makes ({@link #isAttention}): [B, H, T, T], or [B·H, T, T] as torchvision's
 * {@code nn.MultiheadAttention} exports it.
 */
public final class AttentionMaps {
  private AttentionMaps() {
  }

  /** The outputs of the graph's Softmax nodes, in graph (topological) order. */
  public static List<String> softmaxOutputs(ModelGraph graph) {
    return graph.nodes().stream().filter(n -> n.getOpType().equals("Softmax"))
        .map(n -> n.getOutput(0)).toList();
  }

  /** Whether a Softmax output of this shape is attention probabilities over T > 1 tokens. */
  public static boolean isAttention(long[] shape) {
    int r = shape.length;
    return (r == 3 || r == 4) && shape[r - 1] == shape[r - 2] && shape[r - 1] > 1;
  }
}

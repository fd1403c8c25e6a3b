package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cam4j.InvalidInputException;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.onnx.NodeProto;

/**
 * The part of a graph a gradient must flow through: tensors that depend on a target layer and
 * that the score depends on, and the nodes joining them.
 */
public final class BackwardPath {
  private final Set<String> differentiable;
  private final List<NodeProto> nodes;

  private BackwardPath(Set<String> differentiable, List<NodeProto> nodes) {
    this.differentiable = differentiable;
    this.nodes = nodes;
  }

  public static BackwardPath between(ModelGraph graph, Collection<String> targets, String score) {
    Set<String> downstream = new HashSet<>(targets);
    for (NodeProto node : graph.nodes()) {
      if (node.getInputList().stream().anyMatch(downstream::contains)) {
        downstream.addAll(node.getOutputList());
      }
    }
    Set<String> upstream = new HashSet<>();
    upstream.add(score);
    List<NodeProto> all = graph.nodes();
    for (int i = all.size() - 1; i >= 0; i--) {
      NodeProto node = all.get(i);
      if (node.getOutputList().stream().anyMatch(upstream::contains)) {
        upstream.addAll(node.getInputList());
      }
    }
    for (String t : targets) {
      if (!upstream.contains(t)) {
        throw new InvalidInputException("layer '" + t + "' does not influence the score tensor '"
            + score
            + "': pick a layer before the classifier head");
      }
    }
    Set<String> both = new LinkedHashSet<>();
    for (String t : downstream) {
      if (upstream.contains(t)) {
        both.add(t);
      }
    }
    List<NodeProto> onPath = new ArrayList<>();
    for (NodeProto node : all) {
      boolean in = node.getInputList().stream().anyMatch(both::contains);
      boolean out = node.getOutputList().stream().anyMatch(both::contains);
      if (in && out) {
        onPath.add(node);
      }
    }
    return new BackwardPath(both, List.copyOf(onPath));
  }

  /** Whether a gradient is needed for this tensor. */
  public boolean isDifferentiable(String tensor) {
    return differentiable.contains(tensor);
  }

  /** Nodes the gradient flows through, in forward topological order. */
  public List<NodeProto> nodes() {
    return nodes;
  }

  /** Every tensor a rule may ask the shape of: inputs and outputs of the path's nodes. */
  public Set<String> tensorsNeedingShapes(ModelGraph graph) {
    Set<String> names = new LinkedHashSet<>(differentiable);
    for (NodeProto node : nodes) {
      for (String in : node.getInputList()) {
        if (!in.isEmpty()) {
          names.add(in);
        }
      }
      for (String out : node.getOutputList()) {
        if (!out.isEmpty()) {
          names.add(out);
        }
      }
    }
    return names;
  }
}

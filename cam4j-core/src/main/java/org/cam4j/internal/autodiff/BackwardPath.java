package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cam4j.InvalidInputException;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.onnx.NodeProto;

/**
 * The part of a graph between target layers and the score: tensors that depend on a target
 * layer and that the score depends on, and the nodes joining them. Of those tensors, only the
 * ones a gradient can reach are differentiable: a shape, an index or a mask computed from a
 * layer (Shape, ArgMax, comparisons; the indices of Gather, the condition of Where) is not.
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
    Set<String> carriesGradient = new HashSet<>(targets);
    for (NodeProto node : graph.nodes()) {
      if (node.getInputList().stream().anyMatch(downstream::contains)) {
        downstream.addAll(node.getOutputList());
      }
      for (int i = 0; i < node.getInputCount(); i++) {
        if (carriesGradient.contains(node.getInput(i)) && GradientFlow.throughInput(node, i)) {
          for (int o = 0; o < node.getOutputCount(); o++) {
            if (GradientFlow.fromOutput(node, o)) {
              carriesGradient.add(node.getOutput(o));
            }
          }
        }
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
    Set<String> differentiable = new LinkedHashSet<>();
    for (String t : downstream) {
      if (upstream.contains(t)) {
        both.add(t);
        if (carriesGradient.contains(t)) {
          differentiable.add(t);
        }
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
    return new BackwardPath(differentiable, List.copyOf(onPath));
  }

  /**
   * When no gradient can reach {@code score} (every route from the layers to it passes through
   * an output that carries none, see {@link GradientFlow}), the first node on the path that
   * stops it.
   */
  public Optional<NodeProto> gradientStop(String score) {
    if (differentiable.contains(score)) {
      return Optional.empty();
    }
    return nodes.stream()
        .filter(n -> n.getInputList().stream().anyMatch(differentiable::contains))
        .filter(n -> n.getOutputList().stream().noneMatch(differentiable::contains))
        .findFirst();
  }

  /** Whether a gradient is needed for this tensor. */
  public boolean isDifferentiable(String tensor) {
    return differentiable.contains(tensor);
  }

  /**
   * Nodes joining the layers to the score, in forward topological order: those a gradient flows
   * through and those computing sizes, masks or indices from the layers' shapes or values, which
   * no gradient reaches (their outputs are not {@link #isDifferentiable}).
   */
  public List<NodeProto> nodes() {
    return nodes;
  }

  /**
   * Every tensor a rule may ask the shape of: inputs and outputs of the path's nodes, and the
   * tensors whose shapes the sizes and indices they read are computed from ({@link StaticInts}).
   */
  public Set<String> tensorsNeedingShapes(ModelGraph graph) {
    Set<String> names = new LinkedHashSet<>(differentiable);
    Set<String> visited = new HashSet<>();
    for (NodeProto node : nodes) {
      for (String in : node.getInputList()) {
        if (!in.isEmpty()) {
          names.add(in);
          if (!differentiable.contains(in)) {
            addShapeSources(graph, in, names, visited);
          }
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

  private static void addShapeSources(ModelGraph graph, String tensor, Set<String> names,
      Set<String> visited) {
    NodeProto producer = graph.producer(tensor).orElse(null);
    if (!visited.add(tensor) || producer == null
        || !StaticInts.OPS.contains(producer.getOpType())) {
      return;
    }
    if (producer.getOpType().equals("Shape") || producer.getOpType().equals("Size")) {
      names.add(producer.getInput(0));
      return;
    }
    for (String in : producer.getInputList()) {
      if (!in.isEmpty()) {
        addShapeSources(graph, in, names, visited);
      }
    }
  }
}

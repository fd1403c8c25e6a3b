package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.NodeAttributes;
import org.cam4j.internal.onnx.NodeProto;

/** What a {@link VjpRule} sees of one node: its tensors, output gradients and the emitter. */
public final class NodeGradient {
  private final NodeProto node;
  private final GradientEmitter emit;
  private final BackwardPath path;
  private final List<String> outputGrads;
  private final Map<String, List<String>> contributions;
  private final Collection<String> supportedOps;

  NodeGradient(NodeProto node, GradientEmitter emit, BackwardPath path, List<String> outputGrads,
      Map<String, List<String>> contributions, Collection<String> supportedOps) {
    this.node = node;
    this.emit = emit;
    this.path = path;
    this.outputGrads = outputGrads;
    this.contributions = contributions;
    this.supportedOps = supportedOps;
  }

  public NodeProto node() {
    return node;
  }

  public GradientEmitter emit() {
    return emit;
  }

  public NodeAttributes attrs() {
    return NodeAttributes.of(node);
  }

  public int inputCount() {
    return node.getInputCount();
  }

  /** Name of input i, or "" when the optional input is absent. */
  public String input(int i) {
    return i < node.getInputCount() ? node.getInput(i) : "";
  }

  public String output(int i) {
    return node.getOutput(i);
  }

  public long[] inputShape(int i) {
    return emit.shape(input(i));
  }

  public long[] outputShape(int i) {
    return emit.shape(output(i));
  }

  /** Gradient of output i, or null when no gradient reaches it. */
  public String outputGrad(int i) {
    return i < outputGrads.size() ? outputGrads.get(i) : null;
  }

  /** Gradient of output i, zeros when none reaches it. */
  public String outputGradOrZeros(int i) {
    String g = outputGrad(i);
    return g != null ? g : emit.zeros(outputShape(i));
  }

  public boolean needsGrad(int i) {
    String in = input(i);
    return !in.isEmpty() && path.isDifferentiable(in);
  }

  /** Adds a contribution to the gradient of input i (ignored when that input needs none). */
  public void addGrad(int i, String grad) {
    if (needsGrad(i)) {
      contributions.computeIfAbsent(input(i), k -> new ArrayList<>()).add(grad);
    }
  }

  /** Fails with a precise message: this node's form cannot be differentiated. */
  public UnsupportedOperatorException unsupported(String detail) {
    return new UnsupportedOperatorException(node.getOpType(), node.getName(), detail, supportedOps);
  }
}

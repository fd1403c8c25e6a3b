package org.cam4j.internal.autodiff;

/**
 * The vector-Jacobian product of one ONNX operator: given the gradients of a node's outputs,
 * emit nodes computing the gradients of the inputs that need one.
 */
@FunctionalInterface
public interface VjpRule {
  void backward(NodeGradient node);
}

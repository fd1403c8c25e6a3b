package org.cam4j.internal.autodiff;

import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.Onnx;

/** Gemm, MatMul and inference-mode BatchNormalization. */
final class LinearRules {
  private LinearRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("Gemm", LinearRules::gemm);
    rules.put("MatMul", LinearRules::matMul);
    rules.put("BatchNormalization", LinearRules::batchNorm);
  }

  /**
   * Y = alpha * A' B' + beta * C with A' = transA ? A^T : A, B' likewise.
   * dA' = alpha g B'^T and dB' = alpha A'^T g, each written as one Gemm.
   */
  private static void gemm(NodeGradient n) {
    GradientEmitter e = n.emit();
    boolean transA = n.attrs().getInt("transA", 0) == 1;
    boolean transB = n.attrs().getInt("transB", 0) == 1;
    float alpha = n.attrs().getFloat("alpha", 1f);
    float beta = n.attrs().getFloat("beta", 1f);
    String g = n.outputGrad(0);
    if (n.needsGrad(0)) {
      String rows = transA ? null : ClassRows.product(e, g,
          transB ? n.input(1) : e.transpose(n.input(1), new long[] {1, 0})).orElse(null);
      String ga = rows != null ? (alpha == 1f ? rows : e.mul(rows, e.scalar(alpha)))
          : transA ? gemm(e, n.inputShape(0), n.input(1), g, transB, true, alpha)
          : gemm(e, n.inputShape(0), g, n.input(1), false, !transB, alpha);
      n.addGrad(0, ga);
    }
    if (n.needsGrad(1)) {
      String gb = transB
          ? gemm(e, n.inputShape(1), g, n.input(0), true, transA, alpha)
          : gemm(e, n.inputShape(1), n.input(0), g, !transA, false, alpha);
      n.addGrad(1, gb);
    }
    if (n.needsGrad(2)) {
      String gc = e.unbroadcast(g, n.inputShape(2));
      n.addGrad(2, beta == 1f ? gc : e.mul(gc, e.scalar(beta)));
    }
  }

  /** C is optional only since opset 11: before, a scalar zero stands in. */
  private static String gemm(GradientEmitter e, long[] outShape, String a, String b,
      boolean transA, boolean transB, float alpha) {
    List<String> inputs = e.opset() >= 11 ? List.of(a, b) : List.of(a, b, e.scalar(0f));
    return e.op("Gemm", outShape, inputs, Onnx.attr("transA", transA ? 1L : 0L),
        Onnx.attr("transB", transB ? 1L : 0L), Onnx.attr("alpha", alpha));
  }

  /** Batched matmul with numpy broadcasting; 1-D operands are treated as numpy does. */
  private static void matMul(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] a = n.inputShape(0);
    long[] b = n.inputShape(1);
    if (a.length < 2 || b.length < 2) {
      throw n.unsupported("1-D operands");
    }
    String g = n.outputGrad(0);
    if (n.needsGrad(0)) {
      String bt = e.transpose(n.input(1), swapLast(b.length));
      long[] full = GradientEmitter.broadcast(n.outputShape(0), a);
      full[full.length - 1] = a[a.length - 1];
      String rows = a.length == 2 && b.length == 2 ? ClassRows.product(e, g, bt).orElse(null)
          : null;
      n.addGrad(0, rows != null ? rows
          : e.unbroadcast(e.op("MatMul", full, List.of(g, bt)), a));
    }
    if (n.needsGrad(1)) {
      String at = e.transpose(n.input(0), swapLast(a.length));
      long[] full = GradientEmitter.broadcast(n.outputShape(0), b);
      full[full.length - 2] = b[b.length - 2];
      n.addGrad(1, e.unbroadcast(e.op("MatMul", full, List.of(at, g)), b));
    }
  }

  private static long[] swapLast(int rank) {
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return perm;
  }

  /** Inference mode: y = scale * (x - mean) / sqrt(var + eps) + bias, per channel (axis 1). */
  private static void batchNorm(NodeGradient n) {
    for (int i = 1; i < 5; i++) {
      if (n.needsGrad(i)) {
        throw n.unsupported("gradient with respect to its statistics or affine parameters");
      }
    }
    if (n.node().getOutputCount() > 1 && n.attrs().getInt("training_mode", 0) == 1) {
      throw n.unsupported("training mode");
    }
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    float eps = n.attrs().getFloat("epsilon", 1e-5f);
    String std = e.op("Sqrt", n.inputShape(4), List.of(e.add(n.input(4), e.scalar(eps))));
    String factor = e.div(n.input(1), std);
    long[] perChannel = new long[x.length];
    java.util.Arrays.fill(perChannel, 1);
    perChannel[1] = x[1];
    n.addGrad(0, e.mul(n.outputGrad(0), e.reshape(factor, perChannel)));
  }
}

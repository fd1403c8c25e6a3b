package org.cam4j.internal.autodiff;

import java.util.List;
import java.util.Map;
import org.cam4j.engine.BackwardMode;
import org.cam4j.internal.graph.TensorValues;

/**
 * Pointwise activations and softmax. Kinks follow PyTorch autograd so maps match
 * pytorch-grad-cam: ReLU passes where y > 0 (threshold_backward), Clip where min < y < max
 * (hardtanh_backward, ReLU6's rule). Rectifier masks read the activation's output, not its input:
 * that leaves the producer's output with the activation as its only consumer, so ONNX Runtime
 * still fuses Conv+Relu and Conv+Clip.
 *
 * <p>The masks of Relu and of Clip from 0 to a constant max (ReLU6) are saturated HardSigmoids
 * multiplied into the gradient: ONNX Runtime's NCHWc layout transformer keeps HardSigmoid of a
 * blocked tensor, and Mul of two blocked tensors of one shape, blocked, where comparisons and
 * Cast force the activation and the gradient out of it and the product back in (MobileNetV2, all
 * blocks: 31 reorders instead of 107, 10 % less kernel time; see BENCHMARKS.md, issue 12).
 */
final class ActivationRules {
  private ActivationRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("Relu", ActivationRules::relu);
    rules.put("Clip", ActivationRules::clip);
    rules.put("LeakyRelu", ActivationRules::leakyRelu);
    rules.put("Sigmoid", ActivationRules::sigmoid);
    rules.put("HardSigmoid", ActivationRules::hardSigmoid);
    rules.put("HardSwish", ActivationRules::hardSwish);
    rules.put("Tanh", ActivationRules::tanh);
    rules.put("Exp", n -> n.addGrad(0, n.emit().mul(n.outputGrad(0), n.output(0))));
    rules.put("Softmax", ActivationRules::softmax);
    rules.put("LogSoftmax", ActivationRules::logSoftmax);
  }

  /** {@link BackwardMode#GUIDED}: rectifiers pass only positive gradients. */
  static void registerGuided(Map<String, VjpRule> rules) {
    rules.put("Relu", ActivationRules::guidedRelu);
    rules.put("Clip", ActivationRules::guidedClip);
  }

  /** {@code dx = (y > 0) * g}; y > 0 exactly where x > 0. */
  private static void relu(NodeGradient n) {
    n.addGrad(0, positivePart(n, n.outputGrad(0)));
  }

  /** {@code dx = (min < y < max) * g}; y is strictly inside exactly where x is. */
  private static void clip(NodeGradient n) {
    if (lowerBoundIsZero(n) && SaturatedMask.usable(n.emit(), upperBound(n))) {
      n.addGrad(0, belowUpperBound(n, positivePart(n, n.outputGrad(0))));
      return;
    }
    String mask = clipInterior(n, bound(n, 1, "min"));
    n.addGrad(0, mask == null ? n.outputGrad(0) : n.emit().masked(n.outputGrad(0), mask));
  }

  /** {@code dx = (y > 0) * max(g, 0)}. */
  private static void guidedRelu(NodeGradient n) {
    String positiveGrad = n.emit().op("Relu", n.outputShape(0), List.of(n.outputGrad(0)));
    n.addGrad(0, positivePart(n, positiveGrad));
  }

  /** {@code g} where the rectifier's output y is above 0, 0 elsewhere. */
  private static String positivePart(NodeGradient n, String g) {
    GradientEmitter e = n.emit();
    if (SaturatedMask.usable(e, Float.POSITIVE_INFINITY)) {
      return e.mul(g, SaturatedMask.aboveZero(e, n.output(0)));
    }
    return e.masked(g, e.greater(n.output(0), e.scalar(0f)));
  }

  /** {@code g} where Clip's output is below its constant upper bound, 0 elsewhere. */
  private static String belowUpperBound(NodeGradient n, String g) {
    Float max = upperBound(n);
    if (max == null || max == Float.POSITIVE_INFINITY) {
      return g;
    }
    return n.emit().mul(g, SaturatedMask.belowMax(n.emit(), n.output(0), max));
  }

  /** Clip's upper bound as a constant; +inf when absent; null when computed at run time. */
  private static Float upperBound(NodeGradient n) {
    if (n.input(2).isEmpty()) {
      return n.attrs().has("max") ? n.attrs().getFloat("max", 0f) : Float.POSITIVE_INFINITY;
    }
    return n.emit().graph().constant(n.input(2)).map(t -> {
      float[] v = TensorValues.floats(t);
      return v.length == 1 ? v[0] : null;
    }).orElse(null);
  }

  /**
   * With a constant lower bound of 0 (ReLU6) the lower kink is guided like Relu,
   * {@code dx = (0 < y < max) * max(g, 0)}; any other Clip keeps its true gradient.
   */
  private static void guidedClip(NodeGradient n) {
    if (!lowerBoundIsZero(n)) {
      clip(n);
      return;
    }
    GradientEmitter e = n.emit();
    String positiveGrad = e.op("Relu", n.outputShape(0), List.of(n.outputGrad(0)));
    if (SaturatedMask.usable(e, upperBound(n))) {
      n.addGrad(0, belowUpperBound(n, positivePart(n, positiveGrad)));
      return;
    }
    n.addGrad(0, e.masked(positiveGrad, clipInterior(n, e.scalar(0f))));
  }

  /** The bool mask {@code min < y < max} on Clip's output, null when both bounds are absent. */
  private static String clipInterior(NodeGradient n, String min) {
    GradientEmitter e = n.emit();
    String y = n.output(0);
    String max = bound(n, 2, "max");
    String mask = min == null ? null : e.greater(y, min);
    if (max != null) {
      String below = e.less(y, max);
      mask = mask == null ? below : e.and(mask, below);
    }
    return mask;
  }

  private static boolean lowerBoundIsZero(NodeGradient n) {
    if (!n.input(1).isEmpty()) {
      return n.emit().graph().constant(n.input(1))
          .map(t -> {
            float[] v = TensorValues.floats(t);
            return v.length == 1 && v[0] == 0f;
          })
          .orElse(false);
    }
    return n.attrs().has("min") && n.attrs().getFloat("min", -1f) == 0f;
  }

  /** Clip's bound: an input since opset 11, an attribute before. Null when unbounded. */
  private static String bound(NodeGradient n, int inputIndex, String attribute) {
    if (!n.input(inputIndex).isEmpty()) {
      return n.input(inputIndex);
    }
    if (n.attrs().has(attribute)) {
      return n.emit().scalar(n.attrs().getFloat(attribute, 0f));
    }
    return null;
  }

  private static void leakyRelu(NodeGradient n) {
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    float alpha = n.attrs().getFloat("alpha", 0.01f);
    String positive = e.greater(n.input(0), e.scalar(0f));
    n.addGrad(0, e.where(positive, g, e.mul(g, e.scalar(alpha))));
  }

  private static void sigmoid(NodeGradient n) {
    GradientEmitter e = n.emit();
    String y = n.output(0);
    String slope = e.mul(y, e.sub(e.scalar(1f), y));
    n.addGrad(0, e.mul(n.outputGrad(0), slope));
  }

  /** y = max(0, min(1, alpha*x + beta)): slope alpha strictly inside (0, 1), as PyTorch. */
  private static void hardSigmoid(NodeGradient n) {
    GradientEmitter e = n.emit();
    float alpha = n.attrs().getFloat("alpha", 0.2f);
    float beta = n.attrs().getFloat("beta", 0.5f);
    String t = e.add(e.mul(n.input(0), e.scalar(alpha)), e.scalar(beta));
    String inside = e.and(e.greater(t, e.scalar(0f)), e.less(t, e.scalar(1f)));
    n.addGrad(0, e.mul(e.masked(n.outputGrad(0), inside), e.scalar(alpha)));
  }

  /** y = x * hardsigmoid(x): slope 0 below -3, x/3 + 1/2 on [-3, 3], 1 above (PyTorch). */
  private static void hardSwish(NodeGradient n) {
    GradientEmitter e = n.emit();
    String x = n.input(0);
    String middle = e.add(e.div(x, e.scalar(3f)), e.scalar(0.5f));
    String upper = e.where(e.lessOrEqual(x, e.scalar(3f)), middle, e.scalar(1f));
    String slope = e.where(e.less(x, e.scalar(-3f)), e.scalar(0f), upper);
    n.addGrad(0, e.mul(n.outputGrad(0), slope));
  }

  private static void tanh(NodeGradient n) {
    GradientEmitter e = n.emit();
    String y = n.output(0);
    n.addGrad(0, e.mul(n.outputGrad(0), e.sub(e.scalar(1f), e.mul(y, y))));
  }

  /** dx = y * (g - sum(g * y)) over the softmax axes. */
  private static void softmax(NodeGradient n) {
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    String y = n.output(0);
    String dot = e.reduceSum(e.mul(g, y), softmaxAxes(n), true);
    n.addGrad(0, e.mul(y, e.sub(g, dot)));
  }

  /** dx = g - exp(y) * sum(g) over the softmax axes. */
  private static void logSoftmax(NodeGradient n) {
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    String p = e.op("Exp", n.outputShape(0), List.of(n.output(0)));
    String total = e.reduceSum(g, softmaxAxes(n), true);
    n.addGrad(0, e.sub(g, e.mul(p, total)));
  }

  /** Opset 13+ normalises one axis (default -1); before, all axes from `axis` (default 1) on. */
  private static long[] softmaxAxes(NodeGradient n) {
    int rank = n.inputShape(0).length;
    if (n.emit().opset() >= 13) {
      long axis = n.attrs().getInt("axis", -1);
      return new long[] {axis < 0 ? axis + rank : axis};
    }
    long axis = n.attrs().getInt("axis", 1);
    int first = (int) (axis < 0 ? axis + rank : axis);
    long[] axes = new long[rank - first];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = first + i;
    }
    return axes;
  }
}

package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.Onnx;

/** Ops that move or select elements without arithmetic. */
final class ShapeRules {
  private ShapeRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    VjpRule reshapeBack = n -> n.addGrad(0, n.emit().reshape(n.outputGrad(0), n.inputShape(0)));
    for (String op : List.of("Flatten", "Reshape", "Squeeze", "Unsqueeze")) {
      rules.put(op, reshapeBack);
    }
    rules.put("Transpose", ShapeRules::transpose);
    rules.put("Concat", ShapeRules::concat);
    rules.put("Split", ShapeRules::split);
    rules.put("Slice", ShapeRules::slice);
    rules.put("Pad", ShapeRules::pad);
  }

  private static void transpose(NodeGradient n) {
    int rank = n.inputShape(0).length;
    long[] perm = n.attrs().getInts("perm");
    long[] inverse = new long[rank];
    for (int i = 0; i < rank; i++) {
      inverse[perm == null ? rank - 1 - i : (int) perm[i]] = i;
    }
    n.addGrad(0, n.emit().transpose(n.outputGrad(0), inverse));
  }

  private static void concat(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] out = n.outputShape(0);
    int axis = normalise(n.attrs().getInt("axis", 0), out.length);
    long start = 0;
    for (int i = 0; i < n.inputCount(); i++) {
      long[] in = n.inputShape(i);
      if (n.needsGrad(i)) {
        n.addGrad(i, e.op("Slice", in, List.of(n.outputGrad(0), e.ints(start),
            e.ints(start + in[axis]), e.ints(axis))));
      }
      start += in[axis];
    }
  }

  private static void split(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] in = n.inputShape(0);
    int axis = normalise(n.attrs().getInt("axis", 0), in.length);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < n.node().getOutputCount(); i++) {
      parts.add(n.outputGradOrZeros(i));
    }
    n.addGrad(0, e.op("Concat", in, parts, Onnx.attr("axis", (long) axis)));
  }

  /** Unit-step slices only: the gradient is the output gradient zero-padded back in place. */
  private static void slice(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] in = n.inputShape(0);
    int rank = in.length;
    long[] starts = constant(n, 1);
    long[] ends = constant(n, 2);
    long[] axes = n.input(3).isEmpty() ? null : constant(n, 3);
    long[] steps = n.input(4).isEmpty() ? null : constant(n, 4);
    long[] pads = new long[2 * rank];
    for (int i = 0; i < starts.length; i++) {
      int axis = axes == null ? i : normalise(axes[i], rank);
      if (steps != null && steps[i] != 1) {
        throw n.unsupported("step " + steps[i] + " on axis " + axis + " (only step 1)");
      }
      long dim = in[axis];
      long begin = clamp(starts[i] < 0 ? starts[i] + dim : starts[i], dim);
      long end = clamp(ends[i] < 0 ? ends[i] + dim : ends[i], dim);
      pads[axis] = begin;
      pads[rank + axis] = dim - Math.max(begin, end);
    }
    n.addGrad(0, e.pad(n.outputGrad(0), pads, 0f));
  }

  /** Constant-mode Pad with non-negative pads: the gradient is the un-padded slice. */
  private static void pad(NodeGradient n) {
    GradientEmitter e = n.emit();
    if (!n.attrs().getString("mode", "constant").equals("constant")) {
      throw n.unsupported("mode " + n.attrs().getString("mode", ""));
    }
    long[] in = n.inputShape(0);
    int rank = in.length;
    long[] pads = n.emit().opset() >= 11 ? constant(n, 1) : n.attrs().getInts("pads");
    long[] axes = n.input(3).isEmpty() ? null : constant(n, 3);
    long[] starts = new long[rank];
    long[] ends = new long[rank];
    long[] allAxes = new long[rank];
    int listed = axes == null ? rank : axes.length;
    for (int i = 0; i < rank; i++) {
      allAxes[i] = i;
      ends[i] = in[i];
    }
    for (int i = 0; i < listed; i++) {
      int axis = axes == null ? i : normalise(axes[i], rank);
      if (pads[i] < 0 || pads[listed + i] < 0) {
        throw n.unsupported("negative pads");
      }
      starts[axis] = pads[i];
      ends[axis] = pads[i] + in[axis];
    }
    n.addGrad(0, e.op("Slice", in, List.of(n.outputGrad(0), e.ints(starts), e.ints(ends),
        e.ints(allAxes))));
  }

  /** An integer input known at build time (see {@link GradientEmitter#constantInts}). */
  static long[] constant(NodeGradient n, int input) {
    return n.emit().constantInts(n.input(input)).orElseThrow(
        () -> n.unsupported("input '" + n.input(input) + "' is computed at run time"));
  }

  private static int normalise(long axis, int rank) {
    return (int) (axis < 0 ? axis + rank : axis);
  }

  private static long clamp(long v, long dim) {
    return Math.max(0, Math.min(v, dim));
  }
}

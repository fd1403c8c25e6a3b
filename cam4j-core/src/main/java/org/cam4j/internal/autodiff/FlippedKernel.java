package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.TensorValues;
import org.cam4j.internal.onnx.TensorProto;

/**
 * The kernel of a stride-1 convolution's input gradient written as a Conv: the weights
 * [M, C/g, k...] with output and input channels swapped within each of the g groups, giving
 * [C, M/g, k...], and reversed along every spatial axis. Built here when the weights are
 * constant, else with Reshape, Transpose and Slice (negative steps, opset 10 on).
 */
final class FlippedKernel {
  private FlippedKernel() {
  }

  /** The flipped kernel of the graph's weights, or null when it cannot be built at this opset. */
  static String of(GradientEmitter e, String weights, long group) {
    long[] w = e.shape(weights);
    float[] values = constantFloats(e.graph(), weights);
    if (values != null) {
      return constant(e, w, values, group);
    }
    if (e.opset() < 10 && taps(w) > 1) {
      return null;
    }
    return reverseSpatial(e, regroup(e, weights, w, group));
  }

  /** The flipped kernel of weights known here, as a new constant. */
  static String constant(GradientEmitter e, long[] shape, float[] values, long group) {
    return e.floats(flippedShape(shape, group), flip(values, shape, group));
  }

  /**
   * The values of a float initializer or Constant, or null when the tensor is computed at run
   * time or its values are not stored inline (external data).
   */
  private static float[] constantFloats(ModelGraph graph, String tensor) {
    TensorProto t = graph.constant(tensor).orElse(null);
    if (t == null || t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
      return null;
    }
    float[] values = TensorValues.floats(t);
    long size = 1;
    for (long d : t.getDimsList()) {
      size *= d;
    }
    return values.length == size ? values : null;
  }

  /** [M, C/g, k...] to [C, M/g, k...]. */
  private static long[] flippedShape(long[] w, long group) {
    long[] out = w.clone();
    out[0] = w[1] * group;
    out[1] = w[0] / group;
    return out;
  }

  /** out[j*Cg + c, o, taps-1-t] = w[j*Mg + o, c, t] for group j. */
  private static float[] flip(float[] w, long[] shape, long group) {
    int mg = (int) (shape[0] / group);
    int cg = (int) shape[1];
    int taps = (int) taps(shape);
    float[] out = new float[w.length];
    for (int j = 0; j < group; j++) {
      for (int o = 0; o < mg; o++) {
        for (int c = 0; c < cg; c++) {
          int src = ((j * mg + o) * cg + c) * taps;
          int dst = ((j * cg + c) * mg + o) * taps;
          for (int t = 0; t < taps; t++) {
            out[dst + taps - 1 - t] = w[src + t];
          }
        }
      }
    }
    return out;
  }

  /**
   * Swaps the channel axes within each group: [g, Mg, Cg, k...] transposed to [g, Cg, Mg, k...].
   * When Mg or Cg is 1 the swap moves a unit axis and a Reshape alone does it.
   */
  private static String regroup(GradientEmitter e, String weights, long[] w, long group) {
    long mg = w[0] / group;
    long cg = w[1];
    String grouped = weights;
    if (mg > 1 && cg > 1) {
      long[] split = new long[w.length + 1];
      split[0] = group;
      split[1] = mg;
      split[2] = cg;
      System.arraycopy(w, 2, split, 3, w.length - 2);
      long[] perm = new long[split.length];
      for (int i = 0; i < perm.length; i++) {
        perm[i] = i;
      }
      perm[1] = 2;
      perm[2] = 1;
      grouped = e.transpose(e.reshape(weights, split), perm);
    }
    return e.reshape(grouped, flippedShape(w, group));
  }

  /** Slice from the last element backwards along each spatial axis longer than 1. */
  private static String reverseSpatial(GradientEmitter e, String kernel) {
    long[] shape = e.shape(kernel);
    List<Long> axes = new ArrayList<>();
    for (int i = 2; i < shape.length; i++) {
      if (shape[i] > 1) {
        axes.add((long) i);
      }
    }
    if (axes.isEmpty()) {
      return kernel;
    }
    long[] starts = new long[axes.size()];
    long[] ends = new long[axes.size()];
    long[] steps = new long[axes.size()];
    Arrays.fill(starts, -1);
    Arrays.fill(ends, Long.MIN_VALUE);
    Arrays.fill(steps, -1);
    return e.op("Slice", shape, List.of(kernel, e.ints(starts), e.ints(ends),
        e.ints(axes.stream().mapToLong(Long::longValue).toArray()), e.ints(steps)));
  }

  private static long taps(long[] w) {
    long taps = 1;
    for (int i = 2; i < w.length; i++) {
      taps *= w[i];
    }
    return taps;
  }
}

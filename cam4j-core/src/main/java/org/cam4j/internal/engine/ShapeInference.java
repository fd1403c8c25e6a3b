package org.cam4j.internal.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cam4j.internal.autodiff.StaticInts;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.NodeAttributes;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * Static shape inference: the shape of every node output for a fixed input shape, computed from
 * the ONNX operator definitions without running the model (ONNX Runtime's Java API has none).
 * Covers the operators of common image classifiers and the shape arithmetic of exported
 * transformers ({@link StaticInts}); an output of any other operator, and everything computed
 * from it, is left out, so callers probe for what is missing ({@link TensorShapes}).
 */
public final class ShapeInference {
  /** Ops whose first output has the shape of their first input. */
  private static final Set<String> SAME_SHAPE = Set.of("Relu", "LeakyRelu", "PRelu", "Elu",
      "Selu", "Celu", "Gelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softplus",
      "Softsign", "Mish", "Erf", "Exp", "Log", "Sqrt", "Reciprocal", "Neg", "Abs", "Sign",
      "Floor", "Ceil", "Round", "Not", "Cast", "Identity", "Dropout", "BatchNormalization",
      "InstanceNormalization", "LayerNormalization", "LpNormalization", "LRN", "Softmax",
      "LogSoftmax", "Hardmax", "CumSum");
  /** Ops whose output is their inputs broadcast together (numpy rules). */
  private static final Set<String> BROADCAST = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Mod",
      "Max", "Min", "Sum", "Mean", "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual",
      "And", "Or", "Xor", "Where", "BitShift");
  private static final Set<String> POOLS = Set.of("MaxPool", "AveragePool", "LpPool");
  private static final Set<String> GLOBAL_POOLS = Set.of("GlobalAveragePool", "GlobalMaxPool",
      "GlobalLpPool");
  private static final Set<String> REDUCTIONS = Set.of("ReduceMean", "ReduceSum", "ReduceMax",
      "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceSumSquare",
      "ReduceLogSum");

  private final ModelGraph graph;
  private final Map<String, long[]> shapes = new HashMap<>();
  private final StaticInts ints;

  private ShapeInference(ModelGraph graph) {
    this.graph = graph;
    this.ints = new StaticInts(graph, this::requireShape);
  }

  /**
   * The shapes of the input and of every node output that could be inferred for an input of
   * {@code inputShape}; outputs not inferred are absent.
   */
  public static Map<String, long[]> infer(ModelGraph graph, String inputName, long[] inputShape) {
    ShapeInference inference = new ShapeInference(graph);
    inference.shapes.put(inputName, inputShape.clone());
    for (NodeProto node : graph.nodes()) {
      inference.visit(node);
    }
    return inference.shapes;
  }

  private void visit(NodeProto node) {
    long[] out;
    try {
      out = outputShape(node, NodeAttributes.of(node));
    } catch (IllegalStateException | IllegalArgumentException | ArithmeticException
        | IndexOutOfBoundsException e) {
      out = null; // a form not covered: the tensor is left to the probe
    }
    if (out == null) {
      return;
    }
    shapes.put(node.getOutput(0), out);
    if (node.getOpType().equals("MaxPool") && node.getOutputCount() > 1
        && !node.getOutput(1).isEmpty()) {
      shapes.put(node.getOutput(1), out.clone()); // the indices
    }
  }

  /** The shape of a tensor known so far (a node output, the input or a constant). */
  private long[] shape(String tensor) {
    long[] s = shapes.get(tensor);
    if (s != null) {
      return s;
    }
    Optional<TensorProto> constant = graph.constant(tensor);
    return constant.map(t -> t.getDimsList().stream().mapToLong(Long::longValue).toArray())
        .orElse(null);
  }

  private long[] requireShape(String tensor) {
    long[] s = shape(tensor);
    if (s == null) {
      throw new IllegalStateException("no static shape for " + tensor);
    }
    return s;
  }

  private long[] values(String tensor) {
    return ints.values(tensor).orElseThrow(IllegalStateException::new);
  }

  /** The first output's shape, or null when the op is not covered. */
  private long[] outputShape(NodeProto node, NodeAttributes attrs) {
    String op = node.getOpType();
    if (op.equals("Constant")) {
      return requireShape(node.getOutput(0));
    }
    if (SAME_SHAPE.contains(op)) {
      return requireShape(node.getInput(0)).clone();
    }
    if (BROADCAST.contains(op)) {
      long[] out = new long[0];
      for (String in : node.getInputList()) {
        out = broadcast(out, requireShape(in));
      }
      return out;
    }
    if (POOLS.contains(op)) {
      long[] in = requireShape(node.getInput(0));
      return windowed(in, in[1], attrs.getInts("kernel_shape"), attrs,
          attrs.getInt("ceil_mode", 0) == 1);
    }
    if (GLOBAL_POOLS.contains(op)) {
      long[] out = requireShape(node.getInput(0)).clone();
      Arrays.fill(out, 2, out.length, 1);
      return out;
    }
    if (REDUCTIONS.contains(op)) {
      return reduced(node, attrs);
    }
    return switch (op) {
      case "Conv" -> conv(node, attrs);
      case "Flatten" -> flatten(requireShape(node.getInput(0)), attrs.getInt("axis", 1));
      case "Gemm" -> gemm(node, attrs);
      case "MatMul" -> matMul(requireShape(node.getInput(0)), requireShape(node.getInput(1)));
      case "Concat" -> concat(node, attrs);
      case "Transpose" -> transpose(requireShape(node.getInput(0)), attrs.getInts("perm"));
      case "Reshape" -> reshape(requireShape(node.getInput(0)), values(node.getInput(1)),
          attrs.getInt("allowzero", 0) == 1);
      case "Shape", "Gather", "Unsqueeze", "Squeeze", "Slice", "ConstantOfShape", "Range",
          "Size" -> fromValues(node, attrs);
      case "Expand" -> broadcast(requireShape(node.getInput(0)), values(node.getInput(1)));
      case "Pad" -> pad(node, attrs);
      default -> null;
    };
  }

  /**
   * Shape ops: the output's shape is that of its value when the value is fixed (shape
   * arithmetic); else, for Gather, Unsqueeze, Squeeze and Slice on data tensors, from the rule.
   */
  private long[] fromValues(NodeProto node, NodeAttributes attrs) {
    Optional<long[]> v = ints.values(node.getOutput(0));
    switch (node.getOpType()) {
      case "Shape":
        return new long[] {v.orElseThrow(IllegalStateException::new).length};
      case "Size":
        return new long[0];
      case "ConstantOfShape":
        return values(node.getInput(0));
      case "Gather":
        return gather(requireShape(node.getInput(0)), requireShape(node.getInput(1)),
            attrs.getInt("axis", 0));
      case "Unsqueeze":
        return unsqueeze(requireShape(node.getInput(0)), axes(node, attrs));
      case "Squeeze":
        return squeeze(requireShape(node.getInput(0)), axes(node, attrs));
      case "Slice":
        return slice(node);
      default: // Range
        return new long[] {v.orElseThrow(IllegalStateException::new).length};
    }
  }

  private long[] conv(NodeProto node, NodeAttributes attrs) {
    long[] in = requireShape(node.getInput(0));
    long[] w = requireShape(node.getInput(1));
    long[] kernel = attrs.getInts("kernel_shape");
    if (kernel == null) {
      kernel = Arrays.copyOfRange(w, 2, w.length);
    }
    return windowed(in, w[0], kernel, attrs, false);
  }

  /**
   * Conv and pooling: [N, channels, spatial...] with each spatial size
   * floor_or_ceil((in + pads - dilation * (k - 1) - 1) / stride) + 1, or ceil(in / stride) for
   * SAME auto padding. In ceil mode a last window that would start in the end padding is dropped
   * (ONNX Runtime and PyTorch agree on this).
   */
  private static long[] windowed(long[] in, long channels, long[] kernel, NodeAttributes attrs,
      boolean ceil) {
    int spatial = in.length - 2;
    long[] strides = orOnes(attrs.getInts("strides"), spatial);
    long[] dilations = orOnes(attrs.getInts("dilations"), spatial);
    long[] pads = attrs.getInts("pads");
    String autoPad = attrs.getString("auto_pad", "NOTSET");
    long[] out = new long[in.length];
    out[0] = in[0];
    out[1] = channels;
    for (int i = 0; i < spatial; i++) {
      long size = in[i + 2];
      if (autoPad.startsWith("SAME")) {
        out[i + 2] = Math.floorDiv(size + strides[i] - 1, strides[i]);
        continue;
      }
      long begin = pads == null || autoPad.equals("VALID") ? 0 : pads[i];
      long end = pads == null || autoPad.equals("VALID") ? 0 : pads[i + spatial];
      long span = size + begin + end - dilations[i] * (kernel[i] - 1) - 1;
      long n = (ceil ? Math.floorDiv(span + strides[i] - 1, strides[i])
          : Math.floorDiv(span, strides[i])) + 1;
      if (ceil && (n - 1) * strides[i] >= size + begin) {
        n--;
      }
      out[i + 2] = n;
    }
    return out;
  }

  private long[] gemm(NodeProto node, NodeAttributes attrs) {
    long[] a = requireShape(node.getInput(0));
    long[] b = requireShape(node.getInput(1));
    long rows = attrs.getInt("transA", 0) == 1 ? a[1] : a[0];
    long cols = attrs.getInt("transB", 0) == 1 ? b[0] : b[1];
    return new long[] {rows, cols};
  }

  /** numpy matmul: vectors are promoted and their added axis dropped, batch axes broadcast. */
  private static long[] matMul(long[] a, long[] b) {
    long[] x = a.length == 1 ? new long[] {1, a[0]} : a;
    long[] y = b.length == 1 ? new long[] {b[0], 1} : b;
    long[] batch = broadcast(Arrays.copyOf(x, x.length - 2), Arrays.copyOf(y, y.length - 2));
    long[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = x[x.length - 2];
    out[batch.length + 1] = y[y.length - 1];
    if (b.length == 1) {
      out = Arrays.copyOf(out, out.length - 1);
    }
    if (a.length == 1) {
      long last = out[out.length - 1];
      out = Arrays.copyOf(out, out.length - 1);
      out[out.length - 1] = last;
    }
    return out;
  }

  private long[] concat(NodeProto node, NodeAttributes attrs) {
    long[] out = requireShape(node.getInput(0)).clone();
    int axis = axis(attrs.getInt("axis", 0), out.length);
    for (int i = 1; i < node.getInputCount(); i++) {
      out[axis] += requireShape(node.getInput(i))[axis];
    }
    return out;
  }

  private static long[] flatten(long[] in, long axisAttr) {
    long axis = axisAttr < 0 ? axisAttr + in.length : axisAttr;
    long outer = 1;
    long inner = 1;
    for (int i = 0; i < in.length; i++) {
      if (i < axis) {
        outer *= in[i];
      } else {
        inner *= in[i];
      }
    }
    return new long[] {outer, inner};
  }

  private static long[] transpose(long[] in, long[] perm) {
    long[] out = new long[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[perm == null ? in.length - 1 - i : (int) perm[i]];
    }
    return out;
  }

  /** Reshape: 0 copies the input's dim (unless allowzero), -1 takes what is left. */
  private static long[] reshape(long[] in, long[] target, boolean allowZero) {
    long[] out = target.clone();
    long known = 1;
    int infer = -1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0 && !allowZero) {
        out[i] = in[i];
      }
      if (out[i] == -1) {
        infer = i;
      } else {
        known *= out[i];
      }
    }
    if (infer >= 0) {
      out[infer] = product(in) / known;
    }
    return out;
  }

  private static long[] gather(long[] data, long[] indices, long axisAttr) {
    int axis = axis(axisAttr, data.length);
    long[] out = new long[data.length - 1 + indices.length];
    System.arraycopy(data, 0, out, 0, axis);
    System.arraycopy(indices, 0, out, axis, indices.length);
    System.arraycopy(data, axis + 1, out, axis + indices.length, data.length - axis - 1);
    return out;
  }

  /** Axes of Squeeze / Unsqueeze / reductions: an input since opset 13, an attribute before. */
  private long[] axes(NodeProto node, NodeAttributes attrs) {
    if (node.getInputCount() > 1 && !node.getInput(1).isEmpty()) {
      return values(node.getInput(1));
    }
    return attrs.getInts("axes");
  }

  private static long[] unsqueeze(long[] in, long[] axes) {
    int rank = in.length + axes.length;
    boolean[] inserted = new boolean[rank];
    for (long a : axes) {
      inserted[axis(a, rank)] = true;
    }
    long[] out = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      out[i] = inserted[i] ? 1 : in[j++];
    }
    return out;
  }

  private static long[] squeeze(long[] in, long[] axes) {
    boolean[] removed = new boolean[in.length];
    for (int i = 0; i < in.length; i++) {
      removed[i] = axes == null && in[i] == 1;
    }
    if (axes != null) {
      for (long a : axes) {
        removed[axis(a, in.length)] = true;
      }
    }
    return keep(in, removed);
  }

  private long[] reduced(NodeProto node, NodeAttributes attrs) {
    long[] in = requireShape(node.getInput(0));
    long[] axes = axes(node, attrs);
    boolean keepDims = attrs.getInt("keepdims", 1) == 1;
    boolean[] reduced = new boolean[in.length];
    if (axes == null || axes.length == 0) {
      if (attrs.getInt("noop_with_empty_axes", 0) == 1) {
        return in.clone();
      }
      Arrays.fill(reduced, true);
    } else {
      for (long a : axes) {
        reduced[axis(a, in.length)] = true;
      }
    }
    if (!keepDims) {
      return keep(in, reduced);
    }
    long[] out = in.clone();
    for (int i = 0; i < in.length; i++) {
      if (reduced[i]) {
        out[i] = 1;
      }
    }
    return out;
  }

  /** Slice with static starts, ends, axes and steps (ONNX's clamping rules). */
  private long[] slice(NodeProto node) {
    long[] out = requireShape(node.getInput(0)).clone();
    long[] starts = values(node.getInput(1));
    long[] ends = values(node.getInput(2));
    long[] axes = optionalInput(node, 3);
    long[] steps = optionalInput(node, 4);
    for (int i = 0; i < starts.length; i++) {
      int a = axis(axes == null ? i : axes[i], out.length);
      long step = steps == null ? 1 : steps[i];
      long n = out[a];
      long start = clamp(starts[i] < 0 ? starts[i] + n : starts[i], step > 0 ? 0 : -1,
          step > 0 ? n : n - 1);
      long end = clamp(ends[i] < 0 ? ends[i] + n : ends[i], step > 0 ? 0 : -1,
          step > 0 ? n : n - 1);
      out[a] = step > 0 ? Math.max(0, Math.floorDiv(end - start + step - 1, step))
          : Math.max(0, Math.floorDiv(start - end - step - 1, -step));
    }
    return out;
  }

  private long[] pad(NodeProto node, NodeAttributes attrs) {
    long[] out = requireShape(node.getInput(0)).clone();
    long[] pads = node.getInputCount() > 1 ? values(node.getInput(1)) : attrs.getInts("pads");
    if (node.getInputCount() > 3 && !node.getInput(3).isEmpty()) {
      return null; // axes input (opset 18): not covered
    }
    for (int i = 0; i < out.length; i++) {
      out[i] += pads[i] + pads[i + out.length];
    }
    return out;
  }

  private long[] optionalInput(NodeProto node, int i) {
    return node.getInputCount() > i && !node.getInput(i).isEmpty() ? values(node.getInput(i))
        : null;
  }

  private static long[] broadcast(long[] a, long[] b) {
    int rank = Math.max(a.length, b.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
      long db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException("shapes do not broadcast");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  private static long[] keep(long[] in, boolean[] removed) {
    return java.util.stream.IntStream.range(0, in.length).filter(i -> !removed[i])
        .mapToLong(i -> in[i]).toArray();
  }

  private static long[] orOnes(long[] values, int n) {
    if (values != null) {
      return values;
    }
    long[] ones = new long[n];
    Arrays.fill(ones, 1);
    return ones;
  }

  private static int axis(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
    }
    return (int) a;
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static long product(long[] dims) {
    long p = 1;
    for (long d : dims) {
      p *= d;
    }
    return p;
  }
}

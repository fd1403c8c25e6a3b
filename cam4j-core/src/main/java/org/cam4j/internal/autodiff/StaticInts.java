package org.cam4j.internal.autodiff;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongBinaryOperator;
import java.util.stream.IntStream;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.NodeAttributes;
import org.cam4j.internal.graph.TensorValues;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * Evaluates, at graph-build time, the small integer tensors exporters compute from shapes
 * (Shape -> Gather -> Div -> Concat feeding a Slice or a Reshape): shapes are static once the
 * batch size is fixed, so these are constants for the gradient rules. Covers the integer ops such
 * chains use; anything else is reported as unknown.
 */
public final class StaticInts {
  /** The ops {@link #values} evaluates. */
  static final Set<String> OPS = Set.of("Shape", "Size", "Identity", "Cast",
      "Gather", "Unsqueeze", "Squeeze", "Reshape", "Concat", "Slice", "Add", "Sub", "Mul", "Div",
      "Mod", "Min", "Max", "Equal", "Where", "ConstantOfShape", "Range", "Constant");

  private final ModelGraph graph;
  private final Function<String, long[]> shapeOf;
  private final Map<String, Optional<Ints>> memo = new HashMap<>();

  /**
   * @param shapeOf the static shape of a tensor; throws IllegalStateException when unknown
   */
  public StaticInts(ModelGraph graph, Function<String, long[]> shapeOf) {
    this.graph = graph;
    this.shapeOf = shapeOf;
  }

  /** A row-major integer tensor. */
  private record Ints(long[] dims, long[] values) {
    static Ints vector(long... values) {
      return new Ints(new long[] {values.length}, values);
    }
  }

  /** The values of an integer tensor fixed at build time, or empty when it is not. */
  public Optional<long[]> values(String tensor) {
    return evaluate(tensor).map(Ints::values);
  }

  private Optional<Ints> evaluate(String tensor) {
    Optional<Ints> known = memo.get(tensor);
    if (known == null) {
      known = compute(tensor);
      memo.put(tensor, known);
    }
    return known;
  }

  private Optional<Ints> compute(String tensor) {
    Optional<TensorProto> constant = graph.constant(tensor);
    if (constant.isPresent()) {
      TensorProto t = constant.get();
      if (!isInteger(t.getDataType())) {
        return Optional.empty();
      }
      long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
      return Optional.of(new Ints(dims, TensorValues.longs(t)));
    }
    NodeProto node = graph.producer(tensor).orElse(null);
    if (node == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(apply(node));
    } catch (IllegalStateException | IllegalArgumentException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** The node's first output, or null when its inputs or form are not covered. */
  private Ints apply(NodeProto node) {
    NodeAttributes attrs = NodeAttributes.of(node);
    switch (node.getOpType()) {
      case "Shape": {
        long[] s = shapeOf.apply(node.getInput(0));
        int start = clampAxis(attrs.getInt("start", 0), s.length);
        int end = clampAxis(attrs.getInt("end", s.length), s.length);
        return Ints.vector(Arrays.copyOfRange(s, start, Math.max(start, end)));
      }
      case "Size":
        return new Ints(new long[0], new long[] {product(shapeOf.apply(node.getInput(0)))});
      case "Identity":
        return input(node, 0);
      case "Cast":
        return isInteger((int) attrs.getInt("to", 0)) ? input(node, 0) : null;
      case "Gather":
        return gather(node, attrs);
      case "Unsqueeze":
        return new Ints(unsqueezed(input(node, 0).dims(), axes(node, attrs)),
            input(node, 0).values());
      case "Squeeze":
        return new Ints(squeezed(input(node, 0).dims(), axes(node, attrs)),
            input(node, 0).values());
      case "Reshape":
        return new Ints(reshapedDims(input(node, 0), input(node, 1).values()),
            input(node, 0).values());
      case "Concat":
        return concat(node);
      case "Slice":
        return slice(node);
      case "Add":
        return elementwise(node, Long::sum);
      case "Sub":
        return elementwise(node, (a, b) -> a - b);
      case "Mul":
        return elementwise(node, (a, b) -> a * b);
      case "Div":
        return elementwise(node, (a, b) -> a / b);
      case "Mod":
        return attrs.getInt("fmod", 0) == 1 ? elementwise(node, (a, b) -> a % b)
            : elementwise(node, Math::floorMod);
      case "Min":
        return elementwise(node, Math::min);
      case "Max":
        return elementwise(node, Math::max);
      case "Equal":
        return elementwise(node, (a, b) -> a == b ? 1 : 0);
      case "Where":
        return where(node);
      case "ConstantOfShape": {
        long[] dims = input(node, 0).values();
        TensorProto v = attrs.getTensor("value");
        long fill = v == null ? 0 : TensorValues.longs(v)[0];
        long[] values = new long[(int) product(dims)];
        Arrays.fill(values, fill);
        return new Ints(dims, values);
      }
      case "Range": {
        long start = input(node, 0).values()[0];
        long limit = input(node, 1).values()[0];
        long delta = input(node, 2).values()[0];
        long count = Math.max(0, (limit - start + delta + (delta > 0 ? -1 : 1)) / delta);
        long[] values = new long[(int) count];
        for (int i = 0; i < count; i++) {
          values[i] = start + i * delta;
        }
        return Ints.vector(values);
      }
      default:
        return null;
    }
  }

  private Ints input(NodeProto node, int i) {
    return evaluate(node.getInput(i)).orElseThrow(IllegalStateException::new);
  }

  /** Gather along axis 0 of a vector or scalar list, as shape arithmetic uses it. */
  private Ints gather(NodeProto node, NodeAttributes attrs) {
    Ints data = input(node, 0);
    Ints indices = input(node, 1);
    if (data.dims().length != 1 || attrs.getInt("axis", 0) != 0) {
      return null;
    }
    long[] values = new long[indices.values().length];
    for (int i = 0; i < values.length; i++) {
      long k = indices.values()[i];
      values[i] = data.values()[(int) (k < 0 ? k + data.values().length : k)];
    }
    return new Ints(indices.dims(), values);
  }

  /** Axes of Squeeze / Unsqueeze: an input since opset 13, an attribute before; null if none. */
  private long[] axes(NodeProto node, NodeAttributes attrs) {
    if (node.getInputCount() > 1 && !node.getInput(1).isEmpty()) {
      return input(node, 1).values();
    }
    return attrs.getInts("axes");
  }

  private static long[] unsqueezed(long[] dims, long[] axes) {
    int rank = dims.length + axes.length;
    long[] out = new long[rank];
    boolean[] inserted = new boolean[rank];
    for (long a : axes) {
      inserted[(int) (a < 0 ? a + rank : a)] = true;
    }
    for (int i = 0, j = 0; i < rank; i++) {
      out[i] = inserted[i] ? 1 : dims[j++];
    }
    return out;
  }

  private static long[] squeezed(long[] dims, long[] axes) {
    return IntStream.range(0, dims.length)
        .filter(i -> axes == null ? dims[i] != 1
            : Arrays.stream(axes).noneMatch(a -> (a < 0 ? a + dims.length : a) == i))
        .mapToLong(i -> dims[i]).toArray();
  }

  /** Reshape's target: 0 copies the input's dim, -1 takes what is left. */
  private static long[] reshapedDims(Ints in, long[] target) {
    long[] dims = target.clone();
    long known = 1;
    int infer = -1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == 0) {
        dims[i] = in.dims()[i];
      }
      if (dims[i] == -1) {
        infer = i;
      } else {
        known *= dims[i];
      }
    }
    if (infer >= 0) {
      dims[infer] = in.values().length / known;
    }
    return dims;
  }

  private Ints concat(NodeProto node) {
    long[] all = new long[0];
    for (int i = 0; i < node.getInputCount(); i++) {
      Ints part = input(node, i);
      if (part.dims().length != 1) {
        return null;
      }
      long[] joined = Arrays.copyOf(all, all.length + part.values().length);
      System.arraycopy(part.values(), 0, joined, all.length, part.values().length);
      all = joined;
    }
    return Ints.vector(all);
  }

  /** Slice of a vector with unit or larger positive steps. */
  private Ints slice(NodeProto node) {
    Ints data = input(node, 0);
    if (data.dims().length != 1 || node.getInputCount() < 3) {
      return null;
    }
    long n = data.values().length;
    long start = input(node, 1).values()[0];
    long end = input(node, 2).values()[0];
    long step = node.getInputCount() > 4 && !node.getInput(4).isEmpty()
        ? input(node, 4).values()[0] : 1;
    if (step <= 0) {
      return null;
    }
    start = Math.max(0, Math.min(n, start < 0 ? start + n : start));
    end = Math.max(0, Math.min(n, end < 0 ? end + n : end));
    long[] values = new long[(int) Math.max(0, (end - start + step - 1) / step)];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.values()[(int) (start + i * step)];
    }
    return Ints.vector(values);
  }

  private Ints elementwise(NodeProto node, LongBinaryOperator op) {
    Ints a = input(node, 0);
    Ints b = input(node, 1);
    long[] dims = GradientEmitter.broadcast(a.dims(), b.dims());
    long[] values = new long[(int) product(dims)];
    for (int i = 0; i < values.length; i++) {
      values[i] = op.applyAsLong(at(a, dims, i), at(b, dims, i));
    }
    return new Ints(dims, values);
  }

  private Ints where(NodeProto node) {
    Ints c = input(node, 0);
    Ints a = input(node, 1);
    Ints b = input(node, 2);
    long[] dims = GradientEmitter.broadcast(c.dims(), GradientEmitter.broadcast(a.dims(),
        b.dims()));
    long[] values = new long[(int) product(dims)];
    for (int i = 0; i < values.length; i++) {
      values[i] = at(c, dims, i) != 0 ? at(a, dims, i) : at(b, dims, i);
    }
    return new Ints(dims, values);
  }

  /** The element of {@code t} that numpy broadcasting pairs with flat index {@code i} of dims. */
  private static long at(Ints t, long[] dims, long i) {
    long flat = 0;
    long stride = 1;
    int lead = dims.length - t.dims().length;
    for (int d = dims.length - 1; d >= 0; d--) {
      long coord = i % dims[d];
      i /= dims[d];
      if (d >= lead) {
        long size = t.dims()[d - lead];
        flat += (size == 1 ? 0 : coord) * stride;
        stride *= size;
      }
    }
    return t.values()[(int) flat];
  }

  private static int clampAxis(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    return (int) Math.max(0, Math.min(rank, a));
  }

  private static boolean isInteger(int type) {
    return List.of(TensorProto.DataType.INT64_VALUE, TensorProto.DataType.INT32_VALUE,
        TensorProto.DataType.INT16_VALUE, TensorProto.DataType.INT8_VALUE,
        TensorProto.DataType.UINT8_VALUE, TensorProto.DataType.BOOL_VALUE).contains(type);
  }

  private static long product(long[] dims) {
    long p = 1;
    for (long d : dims) {
      p *= d;
    }
    return p;
  }
}

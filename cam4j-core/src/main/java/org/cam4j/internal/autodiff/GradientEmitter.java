package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * Appends backward nodes and constants to a graph under construction. Every helper respects the
 * model's opset (never raising it) and tracks the static shape of what it creates.
 */
public final class GradientEmitter {
  static final String PREFIX = "cam4j/bw/";

  private final ModelGraph graph;
  private final Map<String, long[]> shapes;
  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<TensorProto> constants = new ArrayList<>();
  /** The class seed and its reshapes that keep the rows, with what each row explains. */
  private final Map<String, ClassSeed> classSeeds = new HashMap<>();
  private final StaticInts staticInts;
  private int counter;

  GradientEmitter(ModelGraph graph, Map<String, long[]> forwardShapes) {
    this.graph = graph;
    this.shapes = new HashMap<>(forwardShapes);
    this.staticInts = new StaticInts(graph, this::shape);
  }

  public int opset() {
    return graph.opset();
  }

  public ModelGraph graph() {
    return graph;
  }

  /**
   * The values of an integer tensor known at build time: a constant, or computed from static
   * shapes (such as a Slice end derived from Shape); empty when it depends on run-time values.
   */
  public Optional<long[]> constantInts(String tensor) {
    return staticInts.values(tensor);
  }

  /** Static shape of a forward tensor, an initializer, or a tensor this emitter made. */
  public long[] shape(String tensor) {
    long[] s = shapes.get(tensor);
    if (s == null) {
      s = graph.initializer(tensor).map(t -> t.getDimsList().stream().mapToLong(Long::longValue)
          .toArray()).orElse(null);
    }
    if (s == null) {
      s = graph.constant(tensor).map(t -> t.getDimsList().stream().mapToLong(Long::longValue)
          .toArray()).orElse(null);
    }
    if (s == null) {
      throw new IllegalStateException("no static shape known for tensor '" + tensor + "'");
    }
    return s.clone();
  }

  private String fresh(String hint) {
    return PREFIX + hint + "_" + (counter++);
  }

  /** Emits a single-output node and returns its output name; the shape is recorded if given. */
  public String op(String opType, long[] outShape, List<String> inputs, AttributeProto... attrs) {
    String out = fresh(opType);
    nodes.add(Onnx.node(opType, out, inputs, List.of(out), attrs));
    if (outShape != null) {
      shapes.put(out, outShape.clone());
    }
    return out;
  }

  /** Emits a node with several outputs. */
  public List<String> opMulti(String opType, int outputs, List<String> inputs,
      AttributeProto... attrs) {
    String base = fresh(opType);
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < outputs; i++) {
      outs.add(base + ":" + i);
    }
    nodes.add(Onnx.node(opType, base, inputs, outs, attrs));
    return outs;
  }

  /**
   * A seed {@code g[r] = weights[r] * onehot(classes[r])}, whatever trailing shape holds the
   * classes of a row.
   *
   * @param classes int64 [N], the class of each row (flat index within the row)
   * @param weights float [N, 1]
   */
  record ClassSeed(String classes, String weights) {
  }

  void markClassSeed(String tensor, ClassSeed seed) {
    classSeeds.put(tensor, seed);
  }

  /** The class seed {@code tensor} holds, if it is one (reshaped or not). */
  Optional<ClassSeed> classSeed(String tensor) {
    return Optional.ofNullable(classSeeds.get(tensor));
  }

  public void recordShape(String tensor, long[] shape) {
    shapes.put(tensor, shape.clone());
  }

  public String scalar(float value) {
    return floats(new long[0], new float[] {value});
  }

  public String floats(long[] dims, float[] values) {
    String name = fresh("const");
    constants.add(Onnx.floatTensor(name, dims, values));
    shapes.put(name, dims.clone());
    return name;
  }

  /** An int64 tensor of the given shape ({@code []} for a scalar). */
  public String longs(long[] dims, long... values) {
    String name = fresh("const");
    constants.add(Onnx.longTensor(name, dims, values));
    shapes.put(name, dims.clone());
    return name;
  }

  /** An int64 vector. */
  public String ints(long... values) {
    return longs(new long[] {values.length}, values);
  }

  public String mul(String a, String b) {
    return op("Mul", broadcast(shape(a), shape(b)), List.of(a, b));
  }

  public String add(String a, String b) {
    return op("Add", broadcast(shape(a), shape(b)), List.of(a, b));
  }

  public String sub(String a, String b) {
    return op("Sub", broadcast(shape(a), shape(b)), List.of(a, b));
  }

  public String div(String a, String b) {
    return op("Div", broadcast(shape(a), shape(b)), List.of(a, b));
  }

  public String neg(String a) {
    return op("Neg", shape(a), List.of(a));
  }

  /** {@code where(cond, a, b)}; cond is a bool tensor. */
  public String where(String cond, String a, String b) {
    return op("Where", broadcast(shape(cond), broadcast(shape(a), shape(b))), List.of(cond, a, b));
  }

  public String greater(String a, String b) {
    return op("Greater", broadcast(shape(a), shape(b)), List.of(a, b));
  }

  public String less(String a, String b) {
    return op("Less", broadcast(shape(a), shape(b)), List.of(a, b));
  }

  public String greaterOrEqual(String a, String b) {
    if (opset() >= 12) {
      return op("GreaterOrEqual", broadcast(shape(a), shape(b)), List.of(a, b));
    }
    return not(less(a, b));
  }

  public String lessOrEqual(String a, String b) {
    if (opset() >= 12) {
      return op("LessOrEqual", broadcast(shape(a), shape(b)), List.of(a, b));
    }
    return not(greater(a, b));
  }

  /** Float equality; Equal accepts floats only since opset 11. */
  public String equal(String a, String b) {
    if (opset() >= 11) {
      return op("Equal", broadcast(shape(a), shape(b)), List.of(a, b));
    }
    String differ = op("Or", broadcast(shape(a), shape(b)), List.of(less(a, b), greater(a, b)));
    return not(differ);
  }

  public String and(String a, String b) {
    return op("And", broadcast(shape(a), shape(b)), List.of(a, b));
  }

  public String not(String a) {
    return op("Not", shape(a), List.of(a));
  }

  /** Converts a bool mask to 0/1 floats. */
  public String toFloat(String mask) {
    return op("Cast", shape(mask), List.of(mask), Onnx.attr("to", (long) TensorProto.DataType.FLOAT_VALUE));
  }

  /** {@code max(0, min(1, alpha * x + beta))}. */
  public String hardSigmoid(String x, float alpha, float beta) {
    return op("HardSigmoid", shape(x), List.of(x), Onnx.attr("alpha", alpha),
        Onnx.attr("beta", beta));
  }

  /** {@code g} where the mask holds, 0 elsewhere. */
  public String masked(String g, String mask) {
    return mul(g, toFloat(mask));
  }

  public String reshape(String x, long[] shape) {
    long[] from = shape(x);
    if (Arrays.equals(from, shape)) {
      return x;
    }
    String out = op("Reshape", shape, List.of(x, ints(shape)));
    ClassSeed seed = classSeeds.get(x);
    if (seed != null && shape.length > 0 && from.length > 0 && shape[0] == from[0]) {
      classSeeds.put(out, seed);
    }
    return out;
  }

  public String transpose(String x, long[] perm) {
    long[] in = shape(x);
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = in[(int) perm[i]];
    }
    return op("Transpose", out, List.of(x), Onnx.attr("perm", perm));
  }

  /** Constant padding by [begins..., ends...]; pads and value are inputs since opset 11. */
  public String pad(String x, long[] pads, float value) {
    long[] out = shape(x);
    for (int i = 0; i < out.length; i++) {
      out[i] += pads[i] + pads[out.length + i];
    }
    AttributeProto mode = Onnx.attr("mode", "constant");
    if (opset() >= 11) {
      return op("Pad", out, List.of(x, ints(pads), scalar(value)), mode);
    }
    return op("Pad", out, List.of(x), Onnx.attr("pads", pads), Onnx.attr("value", value), mode);
  }

  /** Sums over the given axes, using the attribute or input form the opset requires. */
  public String reduceSum(String x, long[] axes, boolean keepDims) {
    long[] in = shape(x);
    long[] out = reducedShape(in, axes, keepDims);
    AttributeProto keep = Onnx.attr("keepdims", keepDims ? 1L : 0L);
    if (opset() >= 13) {
      return op("ReduceSum", out, List.of(x, ints(axes)), keep);
    }
    return op("ReduceSum", out, List.of(x), Onnx.attr("axes", axes), keep);
  }

  /** Broadcasts {@code x} up to a larger static shape. */
  public String expand(String x, long[] shape) {
    if (Arrays.equals(shape(x), shape)) {
      return x;
    }
    return op("Expand", shape, List.of(x, ints(shape)));
  }

  /** A tensor of zeros with the given static shape. */
  public String zeros(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n <= 4096) {
      return floats(shape, new float[(int) n]);
    }
    return op("ConstantOfShape", shape, List.of(ints(shape)),
        Onnx.attr("value", Onnx.floatTensor("", new long[] {1}, new float[] {0f})));
  }

  /**
   * Reduces a gradient computed at a broadcast result's shape back to the shape of one operand
   * (the transpose of numpy broadcasting).
   */
  public String unbroadcast(String g, long[] target) {
    long[] from = shape(g);
    if (Arrays.equals(from, target)) {
      return g;
    }
    int lead = from.length - target.length;
    List<Long> axes = new ArrayList<>();
    for (int i = 0; i < from.length; i++) {
      boolean extra = i < lead;
      if (extra || (target[i - lead] == 1 && from[i] != 1)) {
        axes.add((long) i);
      }
    }
    String reduced = axes.isEmpty() ? g
        : reduceSum(g, axes.stream().mapToLong(Long::longValue).toArray(), true);
    return reshape(reduced, target);
  }

  /** Adds gradient contributions; a single one is returned as is. */
  public String sum(List<String> terms) {
    if (terms.size() == 1) {
      return terms.get(0);
    }
    return op("Sum", shape(terms.get(0)), terms);
  }

  List<NodeProto> nodes() {
    return nodes;
  }

  List<TensorProto> constants() {
    return constants;
  }

  static long[] broadcast(long[] a, long[] b) {
    int rank = Math.max(a.length, b.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
      long db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  static long[] reducedShape(long[] in, long[] axes, boolean keepDims) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < in.length; i++) {
      boolean reduced = false;
      for (long a : axes) {
        if ((a < 0 ? a + in.length : a) == i) {
          reduced = true;
        }
      }
      if (!reduced) {
        out.add(in[i]);
      } else if (keepDims) {
        out.add(1L);
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}

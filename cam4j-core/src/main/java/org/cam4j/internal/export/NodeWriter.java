package org.cam4j.internal.export;

import java.util.ArrayList;
import java.util.List;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.AttributeProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * Writes the nodes and constants an export adds, in the model's own opset (reductions switch
 * between the attribute and the input form of {@code axes} where the opset moved it), each named
 * under one prefix so they cannot collide with the model's tensors.
 */
final class NodeWriter {
  private final String prefix;
  private final int opset;
  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<TensorProto> constants = new ArrayList<>();
  private int counter;

  NodeWriter(String prefix, int opset) {
    this.prefix = prefix;
    this.opset = opset;
  }

  private String fresh(String hint) {
    return prefix + hint + "_" + (counter++);
  }

  /** A single-output node; its output is named {@code out} or, when null, a fresh name. */
  String op(String opType, String out, List<String> inputs, AttributeProto... attrs) {
    String name = out != null ? out : fresh(opType);
    nodes.add(Onnx.node(opType, name, inputs, List.of(name), attrs));
    return name;
  }

  String op(String opType, List<String> inputs, AttributeProto... attrs) {
    return op(opType, null, inputs, attrs);
  }

  String mul(String a, String b) {
    return op("Mul", List.of(a, b));
  }

  String add(String a, String b) {
    return op("Add", List.of(a, b));
  }

  String sub(String a, String b) {
    return op("Sub", List.of(a, b));
  }

  String div(String a, String b) {
    return op("Div", List.of(a, b));
  }

  String relu(String a) {
    return op("Relu", List.of(a));
  }

  /** A float constant; named {@code name}, or freshly when null. */
  String floats(String name, long[] dims, float[] values) {
    String n = name != null ? name : fresh("const");
    constants.add(Onnx.floatTensor(n, dims, values));
    return n;
  }

  String scalar(float value) {
    return floats(null, new long[0], new float[] {value});
  }

  /** A 1-D int64 constant. */
  String ints(long... values) {
    String n = fresh("const");
    constants.add(Onnx.longTensor(n, new long[] {values.length}, values));
    return n;
  }

  /** Sums over axes: {@code axes} is an input from opset 13 on, an attribute before. */
  String reduceSum(String x, long[] axes, boolean keepDims) {
    return reduce("ReduceSum", 13, x, axes, keepDims);
  }

  /** Maximum over axes: {@code axes} is an input from opset 18 on, an attribute before. */
  String reduceMax(String x, long[] axes) {
    return reduce("ReduceMax", 18, x, axes, true);
  }

  /** Minimum over axes: {@code axes} is an input from opset 18 on, an attribute before. */
  String reduceMin(String x, long[] axes) {
    return reduce("ReduceMin", 18, x, axes, true);
  }

  private String reduce(String op, int axesInputSince, String x, long[] axes, boolean keepDims) {
    AttributeProto keep = Onnx.attr("keepdims", keepDims ? 1L : 0L);
    if (opset >= axesInputSince) {
      return op(op, List.of(x, ints(axes)), keep);
    }
    return op(op, List.of(x), Onnx.attr("axes", axes), keep);
  }

  List<NodeProto> nodes() {
    return List.copyOf(nodes);
  }

  List<TensorProto> constants() {
    return List.copyOf(constants);
  }
}

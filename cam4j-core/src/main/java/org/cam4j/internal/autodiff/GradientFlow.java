package org.cam4j.internal.autodiff;

import java.util.Map;
import java.util.Set;
import org.cam4j.internal.graph.NodeAttributes;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;

/**
 * Which inputs and outputs of an operator carry a gradient. Sizes, indices, masks and other
 * integer or piecewise-constant values do not (as in PyTorch autograd): a sub-graph computing an
 * attention mask or position ids from a layer's shape needs no gradient rule.
 */
final class GradientFlow {
  /** Ops whose outputs are integer, boolean or piecewise constant. */
  private static final Set<String> NO_GRADIENT = Set.of("Shape", "Size", "ArgMax", "ArgMin",
      "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "Not", "And", "Or", "Xor",
      "IsNaN", "IsInf", "NonZero", "Sign", "Floor", "Ceil", "Round", "Range", "ConstantOfShape",
      "EyeLike", "OneHot", "RandomNormalLike", "RandomUniformLike", "Bernoulli", "BitShift",
      "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot", "NonMaxSuppression", "Unique");
  /** Inputs holding indices, shapes, axes, conditions or sizes (by position). */
  private static final Map<String, Set<Integer>> INDEX_INPUTS = Map.ofEntries(
      Map.entry("Gather", Set.of(1)), Map.entry("GatherElements", Set.of(1)),
      Map.entry("GatherND", Set.of(1)), Map.entry("ScatterND", Set.of(1)),
      Map.entry("ScatterElements", Set.of(1)), Map.entry("Slice", Set.of(1, 2, 3, 4)),
      Map.entry("Reshape", Set.of(1)), Map.entry("Expand", Set.of(1)),
      Map.entry("Tile", Set.of(1)), Map.entry("Pad", Set.of(1, 3)), Map.entry("Where", Set.of(0)),
      Map.entry("Resize", Set.of(1, 2, 3)), Map.entry("Upsample", Set.of(1)),
      Map.entry("Squeeze", Set.of(1)), Map.entry("Unsqueeze", Set.of(1)),
      Map.entry("Split", Set.of(1)), Map.entry("TopK", Set.of(1)),
      Map.entry("CumSum", Set.of(1)), Map.entry("Trilu", Set.of(1)),
      Map.entry("Dropout", Set.of(1, 2)), Map.entry("ReduceMean", Set.of(1)),
      Map.entry("ReduceSum", Set.of(1)), Map.entry("ReduceMax", Set.of(1)),
      Map.entry("ReduceMin", Set.of(1)), Map.entry("ReduceProd", Set.of(1)),
      Map.entry("ReduceL2", Set.of(1)), Map.entry("ReduceSumSquare", Set.of(1)));
  /** Outputs holding indices or masks (by position). */
  private static final Map<String, Set<Integer>> INDEX_OUTPUTS = Map.of(
      "MaxPool", Set.of(1), "TopK", Set.of(1), "Dropout", Set.of(1));

  private GradientFlow() {
  }

  /** Whether a gradient can flow from the node's outputs back into input {@code i}. */
  static boolean throughInput(NodeProto node, int i) {
    String op = node.getOpType();
    return !NO_GRADIENT.contains(op) && !integerCast(node)
        && !INDEX_INPUTS.getOrDefault(op, Set.of()).contains(i);
  }

  /** Whether output {@code o} can carry a gradient. */
  static boolean fromOutput(NodeProto node, int o) {
    return !INDEX_OUTPUTS.getOrDefault(node.getOpType(), Set.of()).contains(o);
  }

  /** A Cast to an integer or boolean type: its output carries no gradient. */
  private static boolean integerCast(NodeProto node) {
    if (!node.getOpType().equals("Cast")) {
      return false;
    }
    long to = NodeAttributes.of(node).getInt("to", TensorProto.DataType.FLOAT_VALUE);
    return to != TensorProto.DataType.FLOAT_VALUE && to != TensorProto.DataType.DOUBLE_VALUE
        && to != TensorProto.DataType.FLOAT16_VALUE && to != TensorProto.DataType.BFLOAT16_VALUE;
  }
}

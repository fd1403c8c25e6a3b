package org.cam4j.internal.export;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.OperatorSetIdProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.internal.onnx.ValueInfoProto;

/**
 * The structural rules of ONNX's checker that an export could break, checked in Java (there is
 * no Python here): single assignment (each tensor produced once, by a graph input, an initializer
 * or one node), nodes in topological order with every input produced before use, every graph
 * output produced, unique graph input and output names, and a default-domain opset import at
 * least as new as the ops the export adds need. (Node names need no check: every added node is
 * named after its output.)
 */
final class GraphCheck {
  /** The ops the export writes and the default-domain opset each needs in the form used. */
  private static final Map<String, Integer> ADDED_OP_SINCE = Map.ofEntries(
      Map.entry("Where", 9), Map.entry("OneHot", 9), Map.entry("Less", 9),
      Map.entry("ArgMax", 1), Map.entry("Flatten", 1), Map.entry("MatMul", 1),
      Map.entry("ReduceSum", 1), Map.entry("ReduceMin", 1), Map.entry("ReduceMax", 1),
      // the layout views: Slice with starts/ends/axes as inputs, Reshape with a shape input
      Map.entry("Slice", 10), Map.entry("Reshape", 5), Map.entry("Transpose", 1));

  private GraphCheck() {
  }

  /** Throws {@link IllegalStateException} naming the first broken rule. */
  static void verify(ModelProto model) {
    int opset = defaultOpset(model);
    GraphProto g = model.getGraph();
    Set<String> defined = new HashSet<>();
    for (ValueInfoProto in : g.getInputList()) {
      if (!defined.add(in.getName())) {
        throw new IllegalStateException("graph input '" + in.getName() + "' is listed twice");
      }
    }
    Set<String> initializers = new HashSet<>();
    for (TensorProto t : g.getInitializerList()) {
      if (!initializers.add(t.getName())) {
        throw new IllegalStateException("initializer '" + t.getName() + "' is defined twice");
      }
    }
    defined.addAll(initializers);
    for (NodeProto n : g.getNodeList()) {
      for (String in : n.getInputList()) {
        if (!in.isEmpty() && !defined.contains(in)) {
          throw new IllegalStateException("node '" + n.getName() + "' (" + n.getOpType()
              + ") reads '" + in + "' before anything produces it");
        }
      }
      for (String out : n.getOutputList()) {
        if (!out.isEmpty() && !defined.add(out)) {
          throw new IllegalStateException("tensor '" + out + "' is produced twice (node '"
              + n.getName() + "')");
        }
      }
      Integer since = ADDED_OP_SINCE.get(n.getOpType());
      if (since != null && opset < since) {
        throw new IllegalStateException(n.getOpType() + " needs opset " + since
            + " but the model imports opset " + opset);
      }
    }
    Set<String> outputs = new HashSet<>();
    for (ValueInfoProto out : g.getOutputList()) {
      if (!outputs.add(out.getName())) {
        throw new IllegalStateException("graph output '" + out.getName() + "' is listed twice");
      }
      if (!defined.contains(out.getName())) {
        throw new IllegalStateException("graph output '" + out.getName() + "' is never produced");
      }
    }
  }

  private static int defaultOpset(ModelProto model) {
    for (OperatorSetIdProto id : model.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        return (int) id.getVersion();
      }
    }
    throw new IllegalStateException("the model imports no default-domain opset");
  }
}

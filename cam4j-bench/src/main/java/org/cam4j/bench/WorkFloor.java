package org.cam4j.bench;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cam4j.engine.CamModel;
import org.cam4j.internal.autodiff.BackwardPath;
import org.cam4j.internal.engine.ShapeProbe;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.NodeAttributes;
import org.cam4j.internal.onnx.NodeProto;

/**
 * The least an explanation can cost next to the plain forward: 1 + the share of the forward's
 * multiply-adds done by the convolutions and matrix products between the layers and the score,
 * whose input gradients the reverse pass must compute at the same cost. Counted from the graph
 * and probed shapes (multiply-adds, not measured time), so it does not move with machine load;
 * element-wise work and the copies out are left out, so real ratios sit somewhat above it.
 */
final class WorkFloor {
  private static final Set<String> PRODUCTS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");

  private final ModelGraph graph;
  private final Map<String, long[]> shapes;
  private final String score;
  private final double total;

  private WorkFloor(ModelGraph graph, Map<String, long[]> shapes, String score) {
    this.graph = graph;
    this.shapes = shapes;
    this.score = score;
    double sum = 0;
    for (NodeProto node : graph.nodes()) {
      sum += multiplyAdds(node);
    }
    this.total = sum;
  }

  static WorkFloor of(Path path, CamModel model) {
    ModelGraph graph = ModelGraph.load(path);
    Set<String> tensors = new LinkedHashSet<>();
    for (NodeProto node : graph.nodes()) {
      tensors.addAll(node.getOutputList());
    }
    tensors.remove("");
    Map<String, long[]> shapes = ShapeProbe.probe(OrtEnvironment.getEnvironment(), 1, graph,
        model.signature().inputName(), model.signature().inputShape(1), tensors);
    return new WorkFloor(graph, shapes, model.signature().score().name());
  }

  /** 1 + (multiply-adds after the earliest of {@code layers}) / (those of the whole forward). */
  double floor(Collection<String> layers) {
    BackwardPath path = BackwardPath.between(graph, List.copyOf(layers), score);
    double after = 0;
    for (NodeProto node : path.nodes()) {
      if (!node.getInput(0).isEmpty() && path.isDifferentiable(node.getInput(0))) {
        after += multiplyAdds(node);
      }
    }
    return 1 + after / total;
  }

  private double multiplyAdds(NodeProto node) {
    if (!PRODUCTS.contains(node.getOpType()) || node.getInputCount() < 2) {
      return 0;
    }
    long[] out = shape(node.getOutput(0));
    long[] b = shape(node.getInput(1));
    double outputs = 1;
    for (long d : out) {
      outputs *= d;
    }
    return switch (node.getOpType()) {
      // weights [M, C/group, k...]: each output sums C/group * k... products
      case "Conv" -> outputs * product(b, 1);
      // weights [C, M/group, k...]: each input element feeds M/group * k... outputs
      case "ConvTranspose" -> {
        long[] in = shape(node.getInput(0));
        double inputs = 1;
        for (long d : in) {
          inputs *= d;
        }
        yield inputs * product(b, 1);
      }
      case "Gemm" -> outputs * (NodeAttributes.of(node).getInt("transB", 0) == 1 ? b[1] : b[0]);
      default -> outputs * shape(node.getInput(0))[shape(node.getInput(0)).length - 1];
    };
  }

  private static double product(long[] dims, int from) {
    double p = 1;
    for (int i = from; i < dims.length; i++) {
      p *= dims[i];
    }
    return p;
  }

  private long[] shape(String tensor) {
    long[] s = shapes.get(tensor);
    if (s != null) {
      return s;
    }
    return graph.constant(tensor).map(t -> t.getDimsList().stream().mapToLong(Long::longValue)
        .toArray()).orElseThrow(() -> new IllegalStateException("no shape for " + tensor));
  }
}

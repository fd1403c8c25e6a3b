package org.cam4j.graph;

import java.util.Optional;
import java.util.Set;
import org.cam4j.internal.export.ExportMetadata;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.ValueInfoProto;

/**
 * The tensor cam4j explains: the pre-softmax class scores. When an output is a Softmax result,
 * the Softmax input is used instead (gradients of probabilities saturate). The outputs a
 * {@code cam4j export} added (class, maps) are never the score.
 *
 * @param name tensor differentiated
 * @param description how it was chosen, for reports and manifests
 */
public record ScoreTensor(String name, String description) {
  private static final Set<String> SHAPE_ONLY = Set.of("Identity", "Reshape", "Flatten",
      "Squeeze", "Unsqueeze");

  public static ScoreTensor select(ModelGraph graph) {
    ScoreTensor firstSoftmaxInput = null;
    Set<String> exported = ExportMetadata.addedOutputs(graph);
    for (ValueInfoProto out : graph.outputs()) {
      if (exported.contains(out.getName())) {
        continue;
      }
      Optional<NodeProto> softmax = softmaxBehind(graph, out.getName());
      if (softmax.isEmpty()) {
        return new ScoreTensor(out.getName(), "graph output '" + out.getName() + "'");
      }
      if (firstSoftmaxInput == null) {
        NodeProto s = softmax.get();
        firstSoftmaxInput = new ScoreTensor(s.getInput(0), "input of " + s.getOpType()
            + " node '" + s.getName() + "' (graph output '" + out.getName()
            + "' holds probabilities; the pre-softmax scores are explained)");
      }
    }
    if (firstSoftmaxInput == null) {
      throw new ModelLoadException("the model has no outputs");
    }
    return firstSoftmaxInput;
  }

  private static Optional<NodeProto> softmaxBehind(ModelGraph graph, String tensor) {
    String current = tensor;
    while (true) {
      Optional<NodeProto> producer = graph.producer(current);
      if (producer.isEmpty()) {
        return Optional.empty();
      }
      String op = producer.get().getOpType();
      if (op.equals("Softmax") || op.equals("LogSoftmax")) {
        return producer;
      }
      if (!SHAPE_ONLY.contains(op)) {
        return Optional.empty();
      }
      current = producer.get().getInput(0);
    }
  }
}

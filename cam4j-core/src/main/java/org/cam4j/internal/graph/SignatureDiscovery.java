package org.cam4j.internal.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.graph.ModelSignature;
import org.cam4j.graph.NotAnImageModelException;
import org.cam4j.graph.ScoreTensor;
import org.cam4j.internal.export.ExportMetadata;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.internal.onnx.ValueInfoProto;
import org.cam4j.tensor.Layout;

/** Reads a {@link ModelSignature} (image input, layout, score tensor) from a graph. */
public final class SignatureDiscovery {
  private static final Set<String> SHAPE_ONLY = Set.of("Identity", "Reshape", "Flatten",
      "Squeeze", "Unsqueeze");
  /** Float32 values of one input image that fit the byte buffers fed to ONNX Runtime. */
  private static final long MAX_IMAGE_VALUES = Integer.MAX_VALUE / Float.BYTES;

  private SignatureDiscovery() {
  }

  /**
   * The image input, its layout and the score tensor; fails for a model that is no image
   * classifier.
   */
  public static ModelSignature signature(ModelGraph graph) {
    List<ValueInfoProto> inputs = graph.inputs();
    if (inputs.size() != 1) {
      throw new NotAnImageModelException("the model has " + inputs.size() + " inputs ("
          + String.join(", ", inputs.stream().map(ValueInfoProto::getName).toList())
          + "); cam4j needs an image classifier with exactly one image input");
    }
    ValueInfoProto input = inputs.get(0);
    int elemType = input.getType().getTensorType().getElemType();
    if (elemType != TensorProto.DataType.FLOAT_VALUE) {
      throw new NotAnImageModelException("input '" + input.getName() + "' has element type "
          + TensorProto.DataType.forNumber(elemType) + "; cam4j needs a float32 image input"
          + " (quantized or uint8-input models are not supported)");
    }
    long[] shape = ModelGraph.declaredShape(input);
    if (shape == null || shape.length != 4) {
      throw new NotAnImageModelException("input '" + input.getName() + "' has shape "
          + (shape == null ? "unknown" : Arrays.toString(shape))
          + "; cam4j needs a 4-D image input [N,C,H,W] or [N,H,W,C]");
    }
    ModelSignature signature = new ModelSignature(input.getName(), shape,
        detectLayout(graph, input.getName(), shape), score(graph));
    long[] one = signature.inputShape(1);
    if (one[1] * one[2] * one[3] > MAX_IMAGE_VALUES) {
      throw new NotAnImageModelException("input '" + input.getName() + "' has shape "
          + Arrays.toString(shape) + ": one image of " + Arrays.toString(one) + " is more than "
          + MAX_IMAGE_VALUES + " float32 values, the most a Java buffer holds");
    }
    return signature;
  }

  private static Layout detectLayout(ModelGraph graph, String input, long[] s) {
    boolean secondIsChannels = isChannelCount(s[1]);
    boolean lastIsChannels = isChannelCount(s[3]);
    if (secondIsChannels != lastIsChannels) {
      return secondIsChannels ? Layout.NCHW : Layout.NHWC;
    }
    for (NodeProto consumer : graph.consumers(input)) {
      long[] perm = NodeAttributes.of(consumer).getInts("perm");
      if (consumer.getOpType().equals("Transpose") && Arrays.equals(perm, new long[] {0, 3, 1, 2})) {
        return Layout.NHWC;
      }
    }
    return Layout.NCHW;
  }

  private static boolean isChannelCount(long d) {
    return d == 1 || d == 3 || d == 4;
  }

  /**
   * The tensor explained: the pre-softmax class scores. When an output is a Softmax result, the
   * Softmax input is used instead (gradients of probabilities saturate). The outputs a
   * {@code cam4j export} added (class, maps) are never the score.
   */
  public static ScoreTensor score(ModelGraph graph) {
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

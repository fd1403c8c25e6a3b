package org.cam4j.graph;

import java.util.Arrays;
import java.util.List;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.NodeAttributes;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.TensorProto;
import org.cam4j.internal.onnx.ValueInfoProto;
import org.cam4j.tensor.Layout;

/**
 * The image input of a classifier: its name, declared shape, layout, and the score explained.
 *
 * @param inputName the graph input fed with images
 * @param declaredShape as declared; -1 for symbolic dimensions
 * @param layout channel position of the input
 * @param score the tensor whose gradient is taken
 */
public record ModelSignature(String inputName, long[] declaredShape, Layout layout,
    ScoreTensor score) {

  /** Sizes used when the model leaves the image size symbolic. */
  public static final long DEFAULT_IMAGE_SIZE = 224;

  /** Float32 values of one input image that fit the byte buffers fed to ONNX Runtime. */
  private static final long MAX_IMAGE_VALUES = Integer.MAX_VALUE / Float.BYTES;

  public static ModelSignature of(ModelGraph graph) {
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
        detectLayout(graph, input.getName(), shape), ScoreTensor.select(graph));
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

  /** Whether the batch dimension is fixed (then batches run one image at a time). */
  public long fixedBatch() {
    return declaredShape[0];
  }

  /** The concrete input shape for a batch, symbolic image sizes replaced by 224. */
  public long[] inputShape(long batch) {
    long[] s = declaredShape.clone();
    s[0] = batch;
    for (int i = 1; i < 4; i++) {
      if (s[i] < 0) {
        s[i] = i == layout.channelAxis() ? 3 : DEFAULT_IMAGE_SIZE;
      }
    }
    return s;
  }

  public long channels() {
    return inputShape(1)[layout.channelAxis()];
  }

  public long height() {
    return inputShape(1)[layout.heightAxis()];
  }

  public long width() {
    return inputShape(1)[layout.widthAxis()];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSignature m && inputName.equals(m.inputName)
        && Arrays.equals(declaredShape, m.declaredShape) && layout == m.layout
        && score.equals(m.score);
  }

  @Override
  public int hashCode() {
    return inputName.hashCode() * 31 + Arrays.hashCode(declaredShape);
  }

  @Override
  public String toString() {
    return "ModelSignature[" + inputName + " " + Arrays.toString(declaredShape) + " " + layout
        + ", score " + score.name() + "]";
  }
}
